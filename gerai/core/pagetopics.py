"""What each audited action changes of the public pages: the one table the page cache (gerai.core.pagecache)
reads to decide which kept pages an audited write makes stale.

A public page declares the topics it shows (`@pagecache.public_page("news", topics=(NEWS,))`); an audited
write bumps the topics its action names here, in its region and on the platform. Every page shows its region
(name, branding, modules, areas), so a REGION bump makes everything of the region stale.

* An action that changes nothing a public page shows (an application's steps, a sign-in, a citizen's profile,
  a counter's consents) maps to `()`: it bumps nothing. What it changes in the public figures reaches them
  through the rollups, whose fold bumps FIGURES (gerai.dashboards.rollups).
* An action missing from the table bumps everything of its region (`topics_of`): safe, and
  tests/test_pagetopics.py fails until somebody decides what a new action changes and writes it here.

Nothing here imports an app: the apps keep calling `audit_record(action=…)` as before."""

from types import MappingProxyType

CATALOG = "catalog"  # published services, their categories
COMPLAINTS = "complaints"  # the public complaint list and Open311: published reports, categories, policy
NEWS = "news"  # published articles, news categories, comments
TOURISM = "tourism"  # events, destinations, their photos
PRICES = "prices"  # staple prices, markets, thresholds, alerts
INNOVATION = "innovation"  # the innovation library
GOVERNANCE = "governance"  # locked self-assessments, published results
FIGURES = "figures"  # the rollups: transparency, open data, IKM (bumped by the fold, not by a write)
REGION = "region"  # the region itself (name, branding, modules, areas, agencies): every page of the region

TOPICS = frozenset({CATALOG, COMPLAINTS, NEWS, TOURISM, PRICES, INNOVATION, GOVERNANCE, FIGURES, REGION})

NOTHING: tuple[str, ...] = ()

_ACTIONS: dict[str, tuple[str, ...]] = {
    # --- applications: nothing public until the rollups fold (the tracking page is never kept)
    **dict.fromkeys(
        [
            "application.start",
            "application.save_answers",
            "application.attach_document",
            "application.file",
            "application.submit",
            "application.resubmit",
            "application.cancel",
            "application.claim",
            "application.assign",
            "application.complete_step",
            "application.request_correction",
            "application.reject",
            "application.forward",
            "application.note",
            "application.remind_overdue",
            "application.counter_claim",
            "application.counter_code_sent",
            "application.counter_consent",
            "application.counter_start",
            "applications.retention_consents",
            "applications.retention_drafts",
            "document.sign",
            "document.correct",
            "document.revoke",
            "document_template.create",
            "document_template.update",
            "survey.answer",  # the IKM moves when the fold adds it
            "survey.enter",
            "survey.import",
        ],
        NOTHING,
    ),
    # --- people, keys and plumbing: never on a public page
    **dict.fromkeys(
        [
            "api_token.create",
            "api_token.revoke",
            "citizen.profile_save",
            "user.confirm_email",
            "user.notification_preferences",
            "user.password_set",
            "user.register",
            "user.register_existing",
            "user.totp_begin",
            "user.totp_confirm",
            "staff.deactivate",
            "staff.invitation_accept",
            "staff.invitation_revoke",
            "staff.invite",
            "staff_role.grant",
            "staff_role.revoke",
            "signer_certificate.issue",
            "signing_authority.create",
            "webhook.create",
            "webhook.delete",
            "webhook.disable",
            "webhook.enable",
            "webhook.resend",
            "notification.delivery",
            "notification.digest",
            "open311_key.create",  # an api_key changes no GET answer
            "open311_key.revoke",
            "agency.numbering_set",  # letter numbers
            "holiday_override.set",  # due dates of applications, not a public page
            "holiday_override.delete",
            "region.retention_set",
        ],
        NOTHING,
    ),
    # --- the region itself: every page of it
    **dict.fromkeys(
        [
            "region.create",
            "region.onboard",
            "region.branding_set",
            "region.modules_set",
            "region.import_areas",
            "region.map_set",
            "agency.create",
            "agency.update",  # its name is on the catalogue, transparency and Open311
            "platform.load_demo",
        ],
        (REGION,),
    ),
    # --- services
    **dict.fromkeys(
        [
            "service.create",
            "service.copy",
            "service.import",
            "service.update",
            "service.publish",
            "service.upstream_apply",
            "service.edit_formulir",
            "service.edit_dokumen",
            "service.edit_alur",
            "service_category.create",
            "service_category.update",
            "service_category.delete",
        ],
        (CATALOG,),
    ),
    # --- complaints: a report is public once verified (complaints.policy.public_q)
    "report.file": NOTHING,  # unverified: on no list and in no figure until report.verify or the fold
    "report.note": NOTHING,  # internal
    "report.follow": NOTHING,
    "report.unfollow": NOTHING,
    **dict.fromkeys(
        [
            "report.verify",
            "report.request_info",
            "report.not_authority",
            "report.archive",
            "report.merge",
            "report.redact",
            "report.hide_update",
            "report.respond",
            "report.reply",
            "report.reopen",
            "report.auto_close",
            "report.escalate",
            "complaint_category.save",
            "complaint_policy.save",
        ],
        (COMPLAINTS,),
    ),
    # --- news
    **dict.fromkeys(
        [
            "news.article_create",
            "news.article_update",
            "news.article_submit",
            "news.article_schedule",
            "news.article_publish",
            "news.article_unpublish",
            "news.category_create",
            "news.comment_post",
            "news.comment_moderate",
        ],
        (NEWS,),
    ),
    # --- tourism
    **dict.fromkeys(
        [
            "tourism.destination_create",
            "tourism.destination_update",
            "tourism.event_create",
            "tourism.event_update",
            "tourism.photo_add",
            "tourism.photo_delete",
        ],
        (TOURISM,),
    ),
    # --- prices
    **dict.fromkeys(
        [
            "price.commodity_create",
            "price.correct",
            "price.import",
            "price.market_create",
            "price.publish",
            "price.reference_add",
            "price.save",
            "price.submit",
            "price.summary",
            "price.thresholds_set",
        ],
        (PRICES,),
    ),
    # --- innovation
    **dict.fromkeys(
        [
            "innovation.adopt",
            "innovation.create",
            "innovation.delete",
            "innovation.evidence_add",
            "innovation.evidence_delete",
            "innovation.plan_save",
            "innovation.update",
        ],
        (INNOVATION,),
    ),
    # --- governance (drafts are never public, but these are rare: each bumps the governance pages)
    **dict.fromkeys(
        [
            "governance.answer_save",
            "governance.assessment_start",
            "governance.assessment_edit",
            "governance.assessment_submit",
            "governance.assessment_return",
            "governance.assessment_lock",
            "governance.assessment_reopen",
            "governance.assessment_decide",
            "governance.assessment_publish",
            "governance.evidence_attach",
            "governance.iku_save",
            "governance.iku_proposal_accept",
            "governance.iku_proposal_override",
            "governance.proposal_accept",
            "governance.proposal_override",
            "governance.published_record",
        ],
        (GOVERNANCE,),
    ),
}

#: action -> the topics it changes (read-only; add a new action in `_ACTIONS` above)
ACTIONS = MappingProxyType(_ACTIONS)

assert all(set(topics) <= TOPICS for topics in _ACTIONS.values())


def topics_of(action: str) -> tuple[str, ...]:
    """The topics an audited action changes; everything of its region (REGION) when it is not classified."""
    return _ACTIONS.get(action, (REGION,))

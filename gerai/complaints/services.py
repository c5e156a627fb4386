"""Every change to reports. Each takes an explicit actor, records an update on the report's timeline
and an audit entry, and queues the messages, all in one transaction; state changes compare-and-set
on the row's version so two staff acting at once cannot both win."""

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from gerai.accounts.models import StaffRole
from gerai.audit.services import audit_record
from gerai.complaints.models import (
    Category,
    ComplaintPolicy,
    Follower,
    Open311Key,
    Report,
    ReportMedia,
    ReportUpdate,
    Status,
)
from gerai.complaints.policy import ACTIONS, is_agency_staff, is_coordinator, is_public, may_follow
from gerai.core import events
from gerai.core.actors import Actor
from gerai.core.cas import Conflict, StateNotAllowed, compare_and_set
from gerai.core.errors import DomainError
from gerai.core.memo import ttl_memo
from gerai.lib import codes
from gerai.lib.files import FileRejected, proven, rejection_message, sniff
from gerai.notifications.services import notify_user, outbox_enqueue
from gerai.regions.calendar import RegionCalendar

MAX_MEDIA = 4
MEDIA_TYPES = ["jpg", "png", "pdf"]
CONFLICT = gettext_lazy(
    "Someone has just changed this report. The page now shows its current state; check it and act again."
)
NOT_ALLOWED = gettext_lazy("You cannot do this with this report now.")


class ComplaintError(DomainError):
    """A refused change: a stable code, a message in the user's language, per-field details. Invalid input
    answers 422 unless the raiser names another status (403, 409, 503)."""

    status = 422


def policy_of(region) -> ComplaintPolicy:
    return _policy(region.pk) or ComplaintPolicy(region=region)


@ttl_memo
def _policy(region_id: int) -> ComplaintPolicy | None:
    """A region's deadlines; a change applies everywhere within GERAI_REGION_CACHE_SECONDS."""
    return ComplaintPolicy.objects.filter(region_id=region_id).first()


def _deadline(region, days: int, start=None) -> dt.datetime:
    return RegionCalendar(region).add_working_days(start or timezone.now(), days)


def _cas(report: Report, *, allowed: tuple, **fields) -> Report:
    """Compare-and-set (gerai.core.cas): apply `fields` only if nobody changed the report since it was read."""
    try:
        return compare_and_set(report, kind="report", allowed=allowed, **fields)
    except StateNotAllowed:
        raise ComplaintError("invalid_state", NOT_ALLOWED, status=409) from None
    except Conflict:
        raise ComplaintError("conflict", CONFLICT, status=409) from None


def _update(report, actor: Actor, kind, text="", *, public=True) -> ReportUpdate:
    return ReportUpdate.objects.create(
        report=report, actor=actor.user, agency=report.agency, kind=kind, text=text[:4000], public=public
    )


def _audit(actor: Actor, action: str, report: Report, **changes) -> None:
    audit_record(actor=actor, action=f"report.{action}", obj=report, region=report.region, changes=changes)


SUBJECTS = {
    "received": gettext_noop("Your report %(code)s has been received"),
    "update": gettext_noop("Your report %(code)s has an update"),
}


def _notify(report: Report, kind: str, *, include_reporter: bool = True) -> None:
    """The reporter (account or email) and every follower hear of the change."""
    path = reverse("complaints:detail", args=[report.region.slug, report.tracking_code])
    subject = (SUBJECTS["received" if kind == "received" else "update"], {"code": report.tracking_code})
    context = {"report": report, "path": path, "kind": kind}
    people = {f.user for f in Follower.objects.filter(report=report).select_related("user")}
    if include_reporter and report.reporter is not None:
        people.add(report.reporter)
    for user in people:
        notify_user(
            user=user,
            region=report.region,
            event=f"report_{kind}",
            template="report_update",
            context=context,
            subject=subject,
        )
    if include_reporter and report.reporter is None and report.reporter_email:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "notifications/email/report_update.txt",
                {**context, "SITE_URL": settings.SITE_URL, "region": report.region, "user": None},
            )
            outbox_enqueue(
                channel="email",
                to=report.reporter_email,
                user=None,
                region=report.region,
                event=f"report_{kind}",
                subject=_(subject[0]) % subject[1],
                body=body,
            )


# --- intake ------------------------------------------------------------------------------------


def _check_media(uploads) -> list[tuple[bytes, str]]:
    if len(uploads) > MAX_MEDIA:
        raise ComplaintError(
            "too_many_files", _("Attach at most %(n)s photos or documents.") % {"n": MAX_MEDIA}, field="media"
        )
    cleaned = []
    for upload in uploads:
        upload.seek(0)
        data = upload.read(settings.GERAI_MAX_UPLOAD_BYTES + 1)
        try:
            sniffed = sniff(
                data[:262],
                name=upload.name or "",
                allowed=MEDIA_TYPES,
                size=len(data),
                max_size=settings.GERAI_MAX_UPLOAD_BYTES,
            )
            # photos re-encoded without their metadata (no GPS position, camera or owner reaches storage),
            # at most 50 megapixels; PDFs parsed and refused when they carry scripts or files
            data = proven(data, sniffed.kind)
        except FileRejected as exc:
            message = rejection_message(
                exc, name=(upload.name or "?")[:60], allowed=MEDIA_TYPES, max_size=settings.GERAI_MAX_UPLOAD_BYTES
            )
            raise ComplaintError("file_rejected", message, field="media") from None
        cleaned.append((data, sniffed.mime))
    return cleaned


def _tracking_code(region) -> str:
    return codes.tracking_code(f"{region.tracking_prefix}P")


def _check_text(description: str, title: str) -> None:
    if not description:
        raise ComplaintError("description_required", _("Describe what happened."), field="description")
    if len(description) > 4000:
        raise ComplaintError("description_too_long", _("Describe it in at most 4,000 characters."), field="description")
    if len(title) > 150:
        raise ComplaintError("title_too_long", _("The title may have at most 150 characters."), field="title")


def _check_place(region, desa, lat, long, address: str) -> None:
    """A desa of the region, coordinates in Indonesia or an address: at least one of them."""
    if desa is not None and desa.region_id != region.pk:
        raise ComplaintError("unknown_desa", _("Choose a desa/kelurahan of this region."), field="desa")
    if (lat is None) != (long is None):
        raise ComplaintError("bad_location", _("Give both latitude and longitude."), field="lat")
    if lat is not None and not (-11.5 <= float(lat) <= 6.5 and 94.0 <= float(long) <= 141.5):
        raise ComplaintError("bad_location", _("The coordinates are not in Indonesia."), field="lat")
    if desa is None and lat is None and not address.strip():
        raise ComplaintError(
            "location_required", _("Say where: choose the desa/kelurahan or give an address."), field="desa"
        )


def report_file(
    *,
    actor: Actor,
    region,
    category: Category,
    description: str,
    title: str = "",
    kind: str = Report.Kind.COMPLAINT,
    desa=None,
    address: str = "",
    lat=None,
    long=None,
    attributes: dict | None = None,
    uploads=(),
    media_url: str = "",
    reporter=None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    channel: str = Report.Channel.WEB,
    client_key: str = "",
) -> Report:
    """Receive a report. A retried submission with the same client key returns the first report."""
    if category.region_id != region.pk or not category.is_active:
        raise ComplaintError(
            "unknown_category", _("Choose one of this region's categories."), field="category", status=404
        )
    description = description.strip()
    _check_text(description, title)
    _check_place(region, desa, lat, long, address)
    # on the web a person without an account must leave a way to answer them; an integrator is the channel
    if channel == Report.Channel.WEB and reporter is None and not (reporter_email or reporter_phone) and not anonymous:
        raise ComplaintError(
            "contact_required",
            _("Give an email address or mobile number so we can answer you, or report anonymously."),
            field="reporter_email",
        )
    if client_key:
        existing = Report.objects.filter(region=region, client_key=client_key[:100]).first()
        if existing is not None:
            return existing
    media = _check_media(list(uploads))
    now = timezone.now()
    text = title.strip() or description.split("\n")[0][:80]
    fields = dict(
        region=region,
        category=category,
        kind=kind,
        title=text[:150],
        description=description,
        attributes=attributes or {},
        desa=desa,
        address=address.strip()[:300],
        lat=lat,
        long=long,
        media_url=media_url[:500],
        reporter=reporter,
        reporter_name=reporter_name.strip()[:150],
        reporter_email=reporter_email.strip()[:254],
        reporter_phone=reporter_phone.strip()[:20],
        anonymous=anonymous,
        confidential=confidential,
        channel=channel,
        client_key=client_key[:100],
        open311_token=secrets.token_hex(8),
        due_at=_deadline(region, policy_of(region).verify_days, now),
        created_at=now,
        updated_at=now,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(tracking_code=_tracking_code(region), **fields)
                events.changed("report", report, None)
                for data, mime in media:
                    item = ReportMedia(
                        report=report, content_type=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest()
                    )
                    item.file.save("media", ContentFile(data), save=False)
                    item.save()
                _update(report, actor, ReportUpdate.Kind.RECEIVED)
                _audit(actor, "file", report, channel=channel, category=category.code, media=len(media))
                if reporter is not None:
                    Follower.objects.get_or_create(report=report, user=reporter)
                _notify(report, "received")
            return report
        except IntegrityError:
            if client_key and Report.objects.filter(region=region, client_key=client_key[:100]).exists():
                return Report.objects.get(region=region, client_key=client_key[:100])
            continue  # a tracking-code collision: draw again
    raise ComplaintError("busy", _("Please try again."), status=503)


# --- the coordinator ---------------------------------------------------------------------------


def _require_coordinator(actor: Actor, report: Report) -> None:
    if not is_coordinator(actor.user, report.region):
        raise ComplaintError("not_allowed", NOT_ALLOWED, status=403)


def report_verify(*, actor: Actor, report: Report, agency=None, note: str = "") -> Report:
    """Verified: sent to the agency that owns the category (or the one the coordinator chooses)."""
    _require_coordinator(actor, report)
    agency = agency or report.category.agency
    if agency.region_id != report.region_id:
        raise ComplaintError("unknown_agency", _("Choose an agency of this region."), field="agency")
    now = timezone.now()
    policy = policy_of(report.region)
    with transaction.atomic():
        _cas(
            report,
            allowed=ACTIONS["verify"].states,
            status=Status.FORWARDED,
            agency=agency,
            verified_at=now,
            due_at=_deadline(report.region, policy.follow_up_days, now),
            settle_by=now + dt.timedelta(days=policy.settle_days),
            escalated_at=None,
        )
        _update(report, actor, ReportUpdate.Kind.VERIFIED, note)
        _audit(actor, "verify", report, agency=agency.pk)
        _notify(report, "verified")
    return report


def report_request_info(*, actor: Actor, report: Report, question: str) -> Report:
    _require_coordinator(actor, report)
    if not question.strip():
        raise ComplaintError("text_required", _("Write what you need to know."), field="text")
    with transaction.atomic():
        _cas(
            report,
            allowed=ACTIONS["request_info"].states,
            status=Status.INFO_REQUESTED,
            due_at=None,
            status_notes=question[:500],
        )
        _update(report, actor, ReportUpdate.Kind.INFO_REQUESTED, question)
        _audit(actor, "request_info", report)
        _notify(report, "info_requested")
    return report


def report_decline(*, actor: Actor, report: Report, how: str, reason: str) -> Report:
    """Not the region's authority, or archived (spam, duplicate without merge, no substance)."""
    _require_coordinator(actor, report)
    status = {"not_authority": Status.NOT_AUTHORITY, "archive": Status.ARCHIVED}[how]
    if not reason.strip():
        raise ComplaintError("text_required", _("Give the reason; the reporter will read it."), field="text")
    with transaction.atomic():
        _cas(
            report,
            allowed=ACTIONS[how].states,
            status=status,
            closed_at=timezone.now(),
            due_at=None,
            status_notes=reason[:500],
        )
        _update(report, actor, status.value, reason)  # the timeline kinds share these two values
        _audit(actor, how, report)
        _notify(report, how)
    return report


def report_merge(*, actor: Actor, report: Report, into: Report) -> Report:
    """A duplicate joins the report it repeats; its reporter and followers follow that one."""
    _require_coordinator(actor, report)
    if into.region_id != report.region_id or into.pk == report.pk or into.status == Status.MERGED:
        raise ComplaintError("bad_merge", _("Choose another open report of this region."), field="into")
    with transaction.atomic():
        _cas(
            report,
            allowed=ACTIONS["merge"].states,
            status=Status.MERGED,
            merged_into=into,
            closed_at=timezone.now(),
            due_at=None,
            status_notes=into.tracking_code,
        )
        for follower in Follower.objects.filter(report=report):
            Follower.objects.get_or_create(report=into, user=follower.user)
        if report.reporter_id:
            Follower.objects.get_or_create(report=into, user_id=report.reporter_id)
        _update(report, actor, ReportUpdate.Kind.MERGED, into.tracking_code)
        _audit(actor, "merge", report, into=into.tracking_code)
        _notify(report, "merged")
    return report


def report_redact(*, actor: Actor, report: Report, public_description: str, hide_media: list[int]) -> Report:
    """Hide what should not be public (a name, a plate number, a face) after publication."""
    _require_coordinator(actor, report)
    if report.status not in ACTIONS["redact"].states or not is_public(report):
        raise ComplaintError("invalid_state", NOT_ALLOWED, status=409)
    with transaction.atomic():
        report.public_description = public_description.strip()[:4000]
        report.redacted = True
        report.save(update_fields=["public_description", "redacted", "updated_at"])
        hidden = ReportMedia.objects.filter(report=report, pk__in=hide_media).update(hidden=True)
        _update(report, actor, ReportUpdate.Kind.REDACTED, public=False)
        _audit(actor, "redact", report, media_hidden=hidden)
    return report


def report_hide_update(*, actor: Actor, update: ReportUpdate) -> ReportUpdate:
    _require_coordinator(actor, update.report)
    with transaction.atomic():
        update.hidden = True
        update.save(update_fields=["hidden"])
        _audit(actor, "hide_update", update.report, update=update.pk)
    return update


# --- the agency -------------------------------------------------------------------------------


def report_respond(*, actor: Actor, report: Report, text: str, settled: bool = False) -> Report:
    """The agency's follow-up. Settled closes it; otherwise the reporter has the auto-close period to answer."""
    if not is_agency_staff(actor.user, report):
        raise ComplaintError("not_allowed", NOT_ALLOWED, status=403)
    if not text.strip():
        raise ComplaintError(
            "text_required", _("Write the answer the reporter and the public will read."), field="text"
        )
    now = timezone.now()
    first = report.first_response_at or now
    with transaction.atomic():
        if settled:
            _cas(
                report,
                allowed=ACTIONS["settle"].states,
                status=Status.RESOLVED,
                first_response_at=first,
                responded_at=now,
                closed_at=now,
                due_at=None,
                status_notes=text[:500],  # the latest answer, as Open311's status_notes
            )
            _update(report, actor, ReportUpdate.Kind.RESPONSE, text)
            _update(report, actor, ReportUpdate.Kind.RESOLVED)
        else:
            _cas(
                report,
                allowed=ACTIONS["respond"].states,
                status=Status.RESPONDED,
                first_response_at=first,
                responded_at=now,
                due_at=_deadline(report.region, policy_of(report.region).auto_close_days, now),
                status_notes=text[:500],
            )
            _update(report, actor, ReportUpdate.Kind.RESPONSE, text)
        _audit(actor, "respond", report, settled=settled)
        _notify(report, "response")
    return report


def report_note(*, actor: Actor, report: Report, text: str) -> ReportUpdate:
    if not (is_coordinator(actor.user, report.region) or is_agency_staff(actor.user, report)):
        raise ComplaintError("not_allowed", NOT_ALLOWED, status=403)
    if not text.strip():
        raise ComplaintError("text_required", _("Write the note first."), field="text")
    with transaction.atomic():
        update = _update(report, actor, ReportUpdate.Kind.NOTE, text, public=False)
        _audit(actor, "note", report)
    return update


# --- the reporter -----------------------------------------------------------------------------


def _require_reporter(actor: Actor, report: Report) -> None:
    if actor.user is None or report.reporter_id != actor.user.pk:
        raise ComplaintError("not_allowed", NOT_ALLOWED, status=403)


def report_reply(*, actor: Actor, report: Report, text: str) -> Report:
    """The reporter answers a question (back to verification) or the agency's follow-up (back to the agency)."""
    _require_reporter(actor, report)
    if report.status not in ACTIONS["reply"].states:
        raise ComplaintError("invalid_state", NOT_ALLOWED, status=409)
    if not text.strip():
        raise ComplaintError("text_required", _("Write your answer."), field="text")
    policy = policy_of(report.region)
    with transaction.atomic():
        if report.status == Status.INFO_REQUESTED:
            _cas(
                report,
                allowed=(Status.INFO_REQUESTED,),
                status=Status.RECEIVED,
                status_notes="",
                due_at=_deadline(report.region, policy.verify_days),
            )
        else:
            _cas(
                report,
                allowed=(Status.RESPONDED,),
                status=Status.FORWARDED,
                due_at=_deadline(report.region, policy.follow_up_days),
                escalated_at=None,
            )
        _update(report, actor, ReportUpdate.Kind.REPORTER_REPLY, text)
        _audit(actor, "reply", report)
        _notify(report, "reply", include_reporter=False)
    return report


def report_reopen(*, actor: Actor, report: Report, reason: str) -> Report:
    """A report closed as settled that is not: back to the agency."""
    _require_reporter(actor, report)
    if not reason.strip():
        raise ComplaintError("text_required", _("Say why it is not settled."), field="text")
    with transaction.atomic():
        _cas(
            report,
            allowed=ACTIONS["reopen"].states,
            status=Status.FORWARDED,
            closed_at=None,
            due_at=_deadline(report.region, policy_of(report.region).follow_up_days),
            escalated_at=None,
        )
        _update(report, actor, ReportUpdate.Kind.REOPENED, reason)
        _audit(actor, "reopen", report)
        _notify(report, "reopened", include_reporter=False)
    return report


def report_follow(*, actor: Actor, report: Report, follow: bool = True) -> None:
    """Follow a public report (or one's own) to hear of its changes; anyone may stop following."""
    if actor.user is None or (follow and not may_follow(actor.user, report)):
        raise ComplaintError("not_allowed", NOT_ALLOWED, status=403)
    with transaction.atomic():
        if follow:
            Follower.objects.get_or_create(report=report, user=actor.user)
        else:
            Follower.objects.filter(report=report, user=actor.user).delete()
        _audit(actor, "follow" if follow else "unfollow", report)


# --- deadlines ---------------------------------------------------------------------------------


def reports_sweep(*, now: dt.datetime | None = None) -> dict:
    """Close answered reports the reporter left unanswered; escalate overdue ones once to the supervisors
    of the agency (or to the coordinators while still unverified)."""
    now = now or timezone.now()
    system = Actor.system()
    closed = escalated = 0
    for report in Report.objects.filter(status=Status.RESPONDED, due_at__lt=now).select_related("region")[:500]:
        try:
            with transaction.atomic():
                _cas(report, allowed=(Status.RESPONDED,), status=Status.CLOSED, closed_at=now, due_at=None)
                _update(report, system, ReportUpdate.Kind.CLOSED, "")
                _audit(system, "auto_close", report)
            closed += 1
        except ComplaintError:
            continue
    overdue = Report.objects.filter(
        status__in=(Status.RECEIVED, Status.FORWARDED), due_at__lt=now, escalated_at__isnull=True
    ).select_related("region", "agency")[:500]
    for report in overdue:
        with transaction.atomic():
            if not Report.objects.filter(pk=report.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            if report.status == Status.FORWARDED:
                roles = StaffRole.objects.filter(region=report.region, agency=report.agency, role="supervisor")
            else:
                roles = StaffRole.objects.filter(region=report.region, role="coordinator")
            for role in roles.select_related("user"):
                notify_user(
                    user=role.user,
                    region=report.region,
                    event="report_escalated",
                    template="report_escalated",
                    context={
                        "report": report,
                        "path": reverse("complaints:staff_detail", args=[report.region.slug, report.tracking_code]),
                    },
                    subject=(gettext_noop("Overdue report: %(code)s"), {"code": report.tracking_code}),
                )
            _update(report, system, ReportUpdate.Kind.ESCALATED, public=False)
            _audit(system, "escalate", report)
        escalated += 1
    return {"closed": closed, "escalated": escalated}


# --- categories and deadlines (region admins) ------------------------------------------------------


def category_save(*, actor: Actor, region, category: Category | None, data: dict) -> Category:
    """Create or change a category; its code is its Open311 service_code and never changes once used."""
    code = data["code"].strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", code):
        raise ComplaintError("bad_code", _("Use 2–40 lower-case letters, digits and dashes."), field="code")
    if data["agency"].region_id != region.pk:
        raise ComplaintError("unknown_agency", _("Choose an agency of this region."), field="agency")
    if category is not None and category.code != code and category.reports.exists():
        raise ComplaintError("code_in_use", _("Reports use this code; it cannot change."), field="code")
    try:
        with transaction.atomic():
            category = category or Category(region=region)
            for name in ("name", "description", "group", "keywords", "agency", "is_active"):
                setattr(category, name, data[name])
            category.code = code
            category.save()
            audit_record(
                actor=actor, action="complaint_category.save", obj=category, region=region, changes={"code": code}
            )
    except IntegrityError:
        raise ComplaintError("duplicate_code", _("Another category has this code."), field="code") from None
    return category


#: What a new region's reporters can choose from on its first day (code, name, description, group): the usual
#: subjects of SP4N-LAPOR! reports to a kabupaten. Region data, in Indonesian like the region's own entries; the
#: admin renames, regroups, gives each to its dinas or switches it off on the categories page.
DEFAULT_CATEGORIES = [
    ("jalan-rusak", "Jalan rusak", "Jalan berlubang, amblas atau rusak di jalan kabupaten.", "Infrastruktur"),
    ("lampu-jalan", "Lampu jalan mati", "Penerangan jalan umum yang padam atau rusak.", "Infrastruktur"),
    ("sampah", "Sampah dan kebersihan", "Sampah menumpuk, TPS penuh, pembuangan liar.", "Lingkungan"),
    ("air-bersih", "Air bersih dan drainase", "Air PDAM tidak mengalir, saluran tersumbat, banjir.", "Lingkungan"),
    ("pelayanan-publik", "Pelayanan publik", "Adminduk, perizinan dan layanan kantor pemerintah daerah.", "Pelayanan"),
    ("kesehatan", "Layanan kesehatan", "Puskesmas, posyandu dan layanan kesehatan daerah.", "Pelayanan"),
    ("pendidikan", "Pendidikan", "Sekolah negeri, guru dan bantuan pendidikan daerah.", "Pelayanan"),
    ("lainnya", "Lainnya", "Laporan yang tidak masuk kategori lain.", "Lainnya"),
]


def categories_seed_defaults(*, actor: Actor, region, agency) -> list[Category]:
    """Give a region without categories the default set, each held by `agency` (a new region's Setda) through
    category_save, one audit entry each. A region that already has categories is left as it is."""
    if Category.objects.filter(region=region).exists():
        return []
    made = []
    with transaction.atomic():
        for code, name, description, group in DEFAULT_CATEGORIES:
            data: dict[str, object] = {"code": code, "name": name, "description": description, "group": group}
            data |= {"keywords": name.lower(), "agency": agency, "is_active": True}
            made.append(category_save(actor=actor, region=region, category=None, data=data))
        for order, category in enumerate(made):  # "Lainnya" last, not in the alphabet's middle
            Category.objects.filter(pk=category.pk).update(order=order)
    return made


def categories_seed_on_onboarding(*, action, obj, region, changes) -> None:
    """An event handler (gerai/core/events.py) of 'region.onboard': a new region gets the default categories,
    held by its Setda (onboarding makes it), or by its first dinas; none without either."""
    agencies = region.agencies.filter(kind="dinas", is_active=True)
    agency = agencies.filter(slug="setda").first() or agencies.order_by("pk").first()
    if agency is not None:
        categories_seed_defaults(actor=Actor.system(), region=region, agency=agency)


def policy_save(*, actor: Actor, region, verify_days: int, follow_up_days: int, auto_close_days: int, settle_days: int):
    for value in (verify_days, follow_up_days, auto_close_days):
        if not 1 <= value <= 60:
            raise ComplaintError("bad_days", _("Working-day limits run from 1 to 60."), field="verify_days")
    if not 1 <= settle_days <= 365:
        raise ComplaintError("bad_days", _("The settlement limit runs from 1 to 365 days."), field="settle_days")
    with transaction.atomic():
        policy, _created = ComplaintPolicy.objects.update_or_create(
            region=region,
            defaults={
                "verify_days": verify_days,
                "follow_up_days": follow_up_days,
                "auto_close_days": auto_close_days,
                "settle_days": settle_days,
            },
        )
        audit_record(
            actor=actor,
            action="complaint_policy.save",
            obj=policy,
            region=region,
            changes={
                "verify": verify_days,
                "follow_up": follow_up_days,
                "auto_close": auto_close_days,
                "settle": settle_days,
            },
        )
    return policy


# --- Open311 keys -------------------------------------------------------------------------------


def open311_key_create(*, actor: Actor, region, name: str) -> tuple[Open311Key, str]:
    if not name.strip():
        raise ComplaintError("name_required", _("Name the integrator."), field="name")
    raw = "o311_" + secrets.token_urlsafe(24)
    with transaction.atomic():
        key = Open311Key.objects.create(
            region=region,
            name=name.strip()[:100],
            prefix=raw[5:13],
            digest=Open311Key.digest_of(raw),
            created_by=actor.user,
        )
        audit_record(actor=actor, action="open311_key.create", obj=key, region=region, changes={"name": key.name})
    return key, raw


def open311_key_used(key: Open311Key) -> None:
    """Record when an integrator's key was last used (shown to admins; not audited: it is telemetry)."""
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def open311_key_revoke(*, actor: Actor, key: Open311Key) -> None:
    with transaction.atomic():
        Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="open311_key.revoke", obj=key, region=key.region)

"""The messages about applications: to the citizen at each step (or to the phone and email taken at a
counter), to the supervisors of an office holding an overdue application, and each officer's daily digest
of their queue. They go out through the notifications outbox, which knows nothing of applications."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gerai.accounts.models import StaffRole
from gerai.applications.models import ACTIONABLE_STATUSES, QUEUE_STATUSES, Application
from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.notifications.models import DigestLog, OutboxMessage
from gerai.notifications.services import notify_address, notify_user, outbox_enqueue_email
from gerai.regions.models import Region

EVENT_SUBJECTS = {
    "submitted": gettext_noop("Your application %(code)s has been received"),
    "resubmitted": gettext_noop("Your corrected application %(code)s has been received"),
    "step_done": gettext_noop("Your application %(code)s has moved to the next step"),
    "needs_correction": gettext_noop("Your application %(code)s needs a correction"),
    "approved": gettext_noop("Your application %(code)s has been approved"),
    "completed": gettext_noop("Your application %(code)s is complete"),
    "rejected": gettext_noop("Your application %(code)s was not approved"),
    "cancelled": gettext_noop("Your application %(code)s has been cancelled"),
}


def notify_application_event(*, application, kind: str) -> OutboxMessage | None:
    region = application.region
    documents, survey_path = [], ""
    if kind == "completed" and hasattr(application, "survey_invitation"):
        survey_path = reverse("surveys:answer", args=[region.slug, application.survey_invitation.token])
    if kind == "completed":
        for document in application.issued_documents.filter(state="valid"):
            path = reverse("applications:letter", args=[region.slug, application.ref, document.code])
            documents.append({"title": document.title, "number": document.number, "path": path})
    track_path = reverse("applications:track", args=[region.slug])
    context = {
        "application": application,
        "kind": kind,
        "documents": documents,
        "survey_path": survey_path,
        "path": reverse("applications:detail", args=[region.slug, application.ref]),
        "track_path": track_path,
    }
    subject = (EVENT_SUBJECTS[kind], {"code": application.tracking_code})
    if application.applicant_id is None:  # filed at a counter for a citizen without an account (yet)
        filing = getattr(application, "counter_filing", None)
        if filing is None:
            return None
        context |= {"user": {"full_name": filing.name}, "path": f"{track_path}?kode={application.tracking_code}"}
        return notify_address(
            phone=filing.phone,
            email=filing.email,
            region=region,
            event=kind,
            template="application_event",
            context=context,
            subject=subject,
        )
    return notify_user(
        user=application.applicant,
        region=region,
        event=kind,
        template="application_event",
        context=context,
        subject=subject,
    )


def notify_supervisors_overdue(*, application) -> int:
    supervisors = StaffRole.objects.filter(
        region=application.region,
        agency=application.current_agency,
        role=StaffRole.Role.SUPERVISOR,
        user__email__isnull=False,
        user__is_active=True,
    ).select_related("user")
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for role in supervisors:
            if role.user.email is None:  # the query asked for an address; for mypy, which cannot see it
                continue
            outbox_enqueue_email(
                to=role.user.email,
                user=role.user,
                region=application.region,
                template="notifications/email/overdue.txt",
                context={
                    "application": application,
                    "path": reverse("applications:staff_detail", args=[application.region.slug, application.ref]),
                },
                subject=_("Overdue: %(code)s") % {"code": application.tracking_code},
            )
            count += 1
    return count


# --- officers' daily digest -------------------------------------------------------------------


def _digest_rows(region, agencies, now) -> list[dict]:
    counts = (
        Application.objects.filter(region=region, current_agency__in=agencies, status__in=QUEUE_STATUSES)
        .values("current_agency")
        .annotate(
            open=Count("pk"),
            new=Count("pk", filter=Q(submitted_at__gte=now - dt.timedelta(days=1))),
            due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + dt.timedelta(days=2))),
            overdue=Count("pk", filter=Q(due_at__lt=now, status__in=ACTIONABLE_STATUSES)),
        )
    )
    by_agency: dict[int, Mapping[str, Any]] = {row["current_agency"]: row for row in counts}
    keys = ("open", "new", "due_soon", "overdue")
    return [{"agency": a.name, **{k: by_agency.get(a.pk, {}).get(k, 0) for k in keys}} for a in agencies]


def officer_digests_send(*, now: dt.datetime | None = None) -> int:
    """Once a day per officer (at GERAI_DIGEST_HOUR, region time): one message with their agencies'
    queue instead of one per event. Safe to call every minute; nothing is sent twice."""
    now = now or timezone.now()
    sent = 0
    for region in Region.objects.filter(is_active=True):
        local = timezone.localtime(now, region.zone)
        if local.hour < settings.GERAI_DIGEST_HOUR:
            continue
        day = local.date()
        done = set(DigestLog.objects.filter(region=region, day=day).values_list("user_id", flat=True))
        roles = (
            StaffRole.objects.filter(region=region, agency__isnull=False, user__is_active=True)
            .exclude(user_id__in=done)
            .select_related("user", "agency")
            .order_by("user_id")
        )
        agencies_of: dict = {}
        for role in roles:
            agencies_of.setdefault(role.user, []).append(role.agency)
        for user, agencies in agencies_of.items():
            if _send_digest(user, region, agencies, day, now):
                sent += 1
    return sent


def _send_digest(user, region, agencies, day, now) -> bool:
    rows = _digest_rows(region, agencies, now)
    total = {k: sum(row[k] for row in rows) for k in ("open", "new", "due_soon", "overdue")}
    try:
        with transaction.atomic():
            log_row = DigestLog.objects.create(user=user, region=region, day=day)
            if total["open"]:
                log_row.message = notify_user(
                    user=user,
                    region=region,
                    event="digest",
                    template="digest",
                    context={"rows": rows, "total": total, "path": reverse("applications:queue", args=[region.slug])},
                    subject=(gettext_noop("Your queue today: %(open)s open, %(overdue)s overdue"), total),
                )
                log_row.save(update_fields=["message"])
            audit_record(actor=Actor.system(), action="notification.digest", obj=log_row, region=region, changes=total)
    except IntegrityError:
        return False  # another worker got there first
    return bool(total["open"])

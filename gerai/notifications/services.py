import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gerai.notifications.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most 6 hours between tries."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def outbox_enqueue_email(*, to: str, user, region, template: str, context: dict, subject: str) -> OutboxMessage:
    """Queue an email inside the caller's transaction; the worker is told once it commits."""
    from gerai.notifications.tasks import outbox_send

    body = render_to_string(template, {**context, "SITE_URL": settings.SITE_URL, "region": region})
    message = OutboxMessage.objects.create(region=region, user=user, to=to, subject=subject, body=body)
    message_id = message.pk
    transaction.on_commit(lambda: outbox_send.enqueue(message_id))
    return message


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
    applicant = application.applicant
    if not applicant.email:
        return None  # no channel yet for mobile-only accounts; they follow the tracking page
    with translation.override(settings.LANGUAGE_CODE):
        subject = _(EVENT_SUBJECTS[kind]) % {"code": application.tracking_code}
        return outbox_enqueue_email(
            to=applicant.email,
            user=applicant,
            region=application.region,
            template="notifications/email/application_event.txt",
            context={
                "application": application,
                "kind": kind,
                "path": reverse("applications:detail", args=[application.region.slug, application.ref]),
                "track_path": reverse("applications:track", args=[application.region.slug]),
            },
            subject=subject,
        )


def notify_supervisors_overdue(*, application) -> int:
    from gerai.accounts.models import StaffRole

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


def outbox_deliver(message_id: int) -> str:
    """Send one message if it is due. Returns 'sent', 'retry', 'failed' or 'skipped'.
    The row is claimed with a conditional UPDATE so two workers never send it twice."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxMessage.State.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + dt.timedelta(minutes=10))
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except Exception as exc:  # any transport failure: keep the message and try later
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            state=OutboxMessage.State.FAILED if failed else OutboxMessage.State.PENDING,
            next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        log.warning("outbox message %s failed (attempt %s): %s", message_id, message.attempts, type(exc).__name__)
        return "failed" if failed else "retry"
    OutboxMessage.objects.filter(pk=message_id).update(
        state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def outbox_due_ids(limit: int = 200) -> list[int]:
    return list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )

import datetime as dt
import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.notifications.gateways import DELIVERY_WORDS, GatewayError, gateway_for
from gerai.notifications.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Messages that carry a one-time code (its templates are here): the code is kept in the stored body only
# until the message is sent or given up, then blanked out, so the outbox never keeps a usable code.
ONE_TIME_CODE_EVENTS = frozenset({"counter_code"})
_ONE_TIME_CODE = re.compile(r"\b\d{6}\b")


def _without_codes(message: OutboxMessage) -> dict:
    """The update that blanks one-time codes out of a message that will not be sent again."""
    if message.event not in ONE_TIME_CODE_EVENTS:
        return {}
    return {"body": _ONE_TIME_CODE.sub("------", message.body)}


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most 6 hours between tries."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def outbox_enqueue(*, channel: str, to: str, user, region, event: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message inside the caller's transaction. The worker's pulse sends it within seconds of
    the commit (`outbox_send_due`): no second write per message to wake it up."""
    return OutboxMessage.objects.create(
        region=region, user=user, channel=channel, event=event, to=to, subject=subject[:200], body=body
    )


def outbox_enqueue_email(*, to: str, user, region, template: str, context: dict, subject: str) -> OutboxMessage:
    body = render_to_string(template, {**context, "SITE_URL": settings.SITE_URL, "region": region})
    event = template.rsplit("/", 1)[-1].removesuffix(".txt")
    return outbox_enqueue(channel="email", to=to, user=user, region=region, event=event, subject=subject, body=body)


CHANNELS = ("email", "whatsapp", "sms")


def _address(user, channel: str) -> str | None:
    return user.email if channel == "email" else user.phone


def channel_for(user) -> str | None:
    """The citizen's chosen channel when it is switched on and they have an address on it; otherwise
    the first channel that works for them. None: no way to reach them (they follow the tracking page)."""
    for channel in (user.notify_channel, *[c for c in CHANNELS if c != user.notify_channel]):
        if _address(user, channel) and gateway_for(channel) is not None:
            return channel
    return None


def notify_user(*, user, region, event: str, template: str, context: dict, subject) -> OutboxMessage | None:
    """One message to one person, on their channel and in their language, from the template
    notifications/<channel>/<template>.txt (email: the long form; WhatsApp: short; SMS: one text)."""
    channel = channel_for(user)
    address = _address(user, channel) if channel is not None else None
    if channel is None or not address:  # channel_for only names a channel the person has an address on
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            f"notifications/{channel}/{template}.txt",
            {**context, "SITE_URL": settings.SITE_URL, "region": region, "user": user},
        ).strip()
        subject_text = str(_(subject[0]) % subject[1]) if channel == "email" else ""
    return outbox_enqueue(
        channel=channel,
        to=address,
        user=user,
        region=region,
        event=event,
        subject=subject_text,
        body=body,
    )


def notify_address(
    *, phone: str = "", email: str = "", region, event: str, template: str, context: dict, subject
) -> OutboxMessage | None:
    """One message to someone without an account (a citizen served at a counter), in the default language:
    to their phone on WhatsApp or SMS, whichever is switched on, else to their email. None: no way to reach them."""
    channel = next((c for c in ("whatsapp", "sms") if gateway_for(c) is not None), None) if phone else None
    to = phone
    if channel is None and email:
        channel, to = "email", email
    if channel is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            f"notifications/{channel}/{template}.txt", {**context, "SITE_URL": settings.SITE_URL, "region": region}
        ).strip()
        subject_text = str(_(subject[0]) % subject[1]) if channel == "email" else ""
    return outbox_enqueue(
        channel=channel, to=to, user=None, region=region, event=event, subject=subject_text, body=body
    )


def lease() -> dt.timedelta:
    """How long a claimed message is left to its sender: the longest a send may take (a gateway's or the
    mail server's timeout, twice) and a margin. A worker that crashes mid-send delays it by this much."""
    mailer: dict = dict(settings.MAILERS["default"])
    mail_timeout = int((mailer.get("OPTIONS") or {}).get("timeout", 20))
    return dt.timedelta(seconds=2 * max(settings.GERAI_GATEWAY_TIMEOUT, mail_timeout) + 5)


def message_reference(message_id: int) -> str:
    """A stable reference for one outbox message (its email Message-ID, the webhook gateway's
    "reference"): the same on every attempt, so a resend after a crash can be recognised; keyed, so it
    reveals nothing of how many messages the platform sends."""
    token = hmac.new(settings.SECRET_KEY.encode(), f"outbox:{message_id}".encode(), hashlib.sha256).hexdigest()
    return f"gerai-{message_id}-{token[:16]}"


def outbox_deliver(message_id: int) -> str:
    """Send one message if it is due. Returns 'sent', 'retry', 'failed' or 'skipped'.
    The row is claimed with a conditional UPDATE so two workers never send it at once; a crash between
    sending and marking it sent means one resend after the lease, under the same reference."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxMessage.State.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease())
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    gateway = gateway_for(message.channel)
    try:
        if gateway is None:
            raise GatewayError(f"channel {message.channel} is switched off")
        provider_id = gateway.send(
            to=message.to, subject=message.subject, text=message.body, reference=message_reference(message.pk)
        )
    except GatewayError as exc:  # down, refusing or answering garbage: keep the message and try later
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            state=OutboxMessage.State.FAILED if failed else OutboxMessage.State.PENDING,
            next_attempt_at=now + backoff(message.attempts),
            last_error=str(exc)[:300],
            **(_without_codes(message) if failed else {}),
        )
        log.warning("outbox message %s failed (attempt %s): %s", message_id, message.attempts, str(exc)[:100])
        return "failed" if failed else "retry"
    OutboxMessage.objects.filter(pk=message_id).update(
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now(),
        last_error="",
        provider=gateway.name,
        provider_id=provider_id,
        delivery_status="sent",
        delivery_updated_at=timezone.now(),
        **_without_codes(message),
    )
    return "sent"


_DELIVERY_RANK = {"": 0, "sent": 1, "failed": 2, "delivered": 3, "read": 4}


def outbox_delivery_report(*, actor: Actor, provider: str, provider_id: str, status: str) -> bool | None:
    """A gateway's delivery report. Returns True when applied, False for a stale or repeated report
    (a report never moves a message backwards, e.g. read → delivered), None when no message has this id."""
    ours = DELIVERY_WORDS.get(status.strip().lower())
    if ours is None:
        raise ValueError("unknown status")
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(provider=provider, provider_id=provider_id)
            .exclude(provider_id="")
            .first()
        )
        if message is None:
            return None
        if _DELIVERY_RANK[ours] <= _DELIVERY_RANK.get(message.delivery_status, 0):
            return False
        message.delivery_status = ours
        message.delivery_updated_at = timezone.now()
        message.save(update_fields=["delivery_status", "delivery_updated_at"])
        audit_record(
            actor=actor, action="notification.delivery", obj=message, region=message.region, changes={"status": ours}
        )
    return True


def outbox_send_due(limit: int = 200) -> int:
    """Send whatever is due: new messages, retries, messages queued while the worker was down."""
    ids = outbox_due_ids(limit)
    for message_id in ids:
        outbox_deliver(message_id)
    return len(ids)


def outbox_due_ids(limit: int = 200) -> list[int]:
    return list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def _masked_address(to: str) -> str:
    name, at, domain = to.partition("@")
    if at:
        return f"{name[:1]}***@{domain}"
    return f"{to[:4]}****{to[-2:]}" if len(to) > 6 else "****"


def outbox_retention_sweep(limit: int = 500) -> int:
    """Personal data kept no longer than needed (docs/pdp.md): once a message has been sent or has failed
    for GERAI_OUTBOX_KEEP_DAYS, its subject and text are blanked and its address masked. What remains
    (when, which channel, delivered or not) is the record of delivery."""
    cutoff = timezone.now() - dt.timedelta(days=settings.GERAI_OUTBOX_KEEP_DAYS)
    done = OutboxMessage.objects.exclude(state=OutboxMessage.State.PENDING).filter(created_at__lt=cutoff)
    ids = list(done.exclude(body="").values_list("pk", "to")[:limit])
    for pk, to in ids:
        OutboxMessage.objects.filter(pk=pk).update(subject="", body="", to=_masked_address(to))
    return len(ids)

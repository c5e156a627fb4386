"""Exactly-once where it matters: every attempt at one message carries the same Message-ID (email) or
reference (WhatsApp/SMS webhook), and a crash mid-send delays the message by seconds, not minutes."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from gerai.notifications import gateways
from gerai.notifications.models import OutboxMessage
from gerai.notifications.services import lease, message_reference, outbox_deliver, outbox_enqueue

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _email(region):
    return outbox_enqueue(
        channel="email", to="warga@example.id", user=None, region=region, event="test", subject="Uji", body="Isi"
    )


@override_settings(MAILERS=LOCMEM)
def test_a_resend_after_a_crash_carries_the_same_message_id(personas):
    message = _email(personas.a.region)
    assert outbox_deliver(message.pk) == "sent"
    first = mail.outbox[-1].extra_headers["Message-ID"]
    # the worker sent it and died before marking it sent: the message is pending again after the lease
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.PENDING, next_attempt_at=timezone.now()
    )
    assert outbox_deliver(message.pk) == "sent"
    again = mail.outbox[-1]
    assert again.extra_headers["Message-ID"] == first == f"<{message_reference(message.pk)}@gerai.invalid>"
    assert again.message()["Message-ID"] == first
    other = _email(personas.a.region)
    outbox_deliver(other.pk)
    assert mail.outbox[-1].extra_headers["Message-ID"] != first


def test_the_webhook_gateway_gets_the_same_reference_each_time(personas, monkeypatch, settings):
    settings.GERAI_SMS_GATEWAY, settings.GERAI_SMS_WEBHOOK_URL = "webhook", "https://relay.example.id/sms"
    sent = []

    def fake_send(self, *, to, subject, text, reference):
        sent.append(reference)
        raise gateways.GatewayError("down")

    monkeypatch.setattr(gateways.WebhookGateway, "send", fake_send)
    message = outbox_enqueue(
        channel="sms", to="081234567890", user=None, region=personas.a.region, event="t", subject="", body="x"
    )
    outbox_deliver(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver(message.pk)
    assert len(sent) == 2 and sent[0] == sent[1] == message_reference(message.pk)
    assert str(message.pk) in sent[0] and len(sent[0]) > len(str(message.pk)) + 10


@override_settings(MAILERS=LOCMEM)
def test_a_crash_mid_send_delays_the_message_by_seconds(personas, monkeypatch):
    message = _email(personas.a.region)

    def crash(self, **kwargs):
        raise SystemExit("worker killed")  # not a GatewayError: nothing marks the row

    monkeypatch.setattr(gateways.EmailGateway, "send", crash)
    with pytest.raises(SystemExit):
        outbox_deliver(message.pk)
    claimed = OutboxMessage.objects.get(pk=message.pk)
    assert claimed.state == OutboxMessage.State.PENDING
    assert claimed.next_attempt_at - timezone.now() <= lease() <= dt.timedelta(seconds=60)
    monkeypatch.undo()
    assert outbox_deliver(message.pk) == "skipped"  # still leased to the crashed sender
    with time_machine.travel(claimed.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox_deliver(message.pk) == "sent"


@override_settings(MAILERS=LOCMEM, GERAI_OUTBOX_KEEP_DAYS=30)
def test_the_retention_sweep_blanks_old_messages_only(personas):
    from gerai.notifications.services import outbox_retention_sweep

    old, recent, pending = _email(personas.a.region), _email(personas.a.region), _email(personas.a.region)
    outbox_deliver(old.pk)
    outbox_deliver(recent.pk)
    OutboxMessage.objects.filter(pk__in=[old.pk, pending.pk]).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert outbox_retention_sweep() == 1
    swept = OutboxMessage.objects.get(pk=old.pk)
    assert (swept.body, swept.subject, swept.to) == ("", "", "w***@example.id")
    assert swept.state == OutboxMessage.State.SENT and swept.sent_at is not None
    assert OutboxMessage.objects.get(pk=recent.pk).body == "Isi"
    assert OutboxMessage.objects.get(pk=pending.pk).body == "Isi"  # not sent yet: kept
    assert outbox_retention_sweep() == 0

"""Notifications on every channel: channel preference and language, the WhatsApp/SMS gateway adapters
against a fake gateway on localhost, retries, delivery-status callbacks and the officers' digest. The people and
the service are the factories' (tests/factories.py), except for the signed letter's link, which needs the demo's
signers."""

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import parse_qs

import pytest
import time_machine

from gerai.applications import services
from gerai.applications.messages import officer_digests_send
from gerai.core.actors import Actor
from gerai.notifications import services as notify
from gerai.notifications.models import DigestLog, OutboxMessage
from tests.conftest import SKU_ANSWERS, png
from tests.factories import make_application
from tests.fakes import fake_service

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


class FakeGateway:
    """Plays Fonnte (/send), Zenziva (/sendsms) and a relay webhook (/hook), as `mode` says."""

    def __init__(self):
        self.mode, self.requests = "ok", []

    def answer(self, path, headers, body):
        self.requests.append({"path": path, "headers": dict(headers), "body": body})
        if self.mode == "garbage":
            return 200, b"<html>502 Bad Gateway</html>"
        if self.mode == "refuse":
            if path == "/send":
                return 200, json.dumps({"status": False, "reason": "invalid token"}).encode()
            return 200, json.dumps({"status": "0", "text": "Saldo tidak cukup"}).encode()
        n = len(self.requests)
        if path == "/send":
            return 200, json.dumps({"status": True, "id": [f"wa-{n}"], "process": "pending"}).encode()
        if path == "/sendsms":
            return 200, json.dumps({"messageId": f"sms-{n}", "to": "62812", "status": "1", "text": "Success"}).encode()
        return 200, json.dumps({"id": f"hook-{n}"}).encode()


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()

    def answer(path, headers, body):
        status, payload = fake.answer(path, headers, body)
        return status, "application/json", payload

    with fake_service(answer) as (server, base):
        fake.server = server
        _configure(settings, base)
        yield fake


def _configure(settings, base):
    settings.GERAI_WHATSAPP_GATEWAY, settings.GERAI_FONNTE_URL, settings.GERAI_FONNTE_TOKEN = (
        "fonnte",
        base + "/send",
        "t",
    )
    settings.GERAI_SMS_GATEWAY, settings.GERAI_ZENZIVA_URL = "zenziva", base + "/sendsms"
    settings.GERAI_ZENZIVA_USERKEY, settings.GERAI_ZENZIVA_PASSKEY = "u", "p"
    settings.GERAI_WHATSAPP_WEBHOOK_URL = settings.GERAI_SMS_WEBHOOK_URL = base + "/hook"
    settings.GERAI_WEBHOOK_SECRET = "rahasia-relay"
    settings.GERAI_NOTIFY_CALLBACK_TOKEN = "cb-token"
    settings.GERAI_GATEWAY_TIMEOUT = 3


@pytest.fixture
def apply(personas):
    """Region A's citizen's application, submitted through the services: its first step is at the desa office."""
    return lambda: make_application(personas.citizen, personas.service, upload=png)


def _prefer(user, channel, phone="081234567890", language="id"):
    from gerai.accounts.services import notification_preferences_save

    notification_preferences_save(actor=Actor(user=user), user=user, channel=channel, phone=phone, language=language)


def _deliver_all():
    return [notify.outbox_deliver(pk) for pk in OutboxMessage.objects.order_by("pk").values_list("pk", flat=True)]


def test_whatsapp_preference_sends_through_fonnte_and_takes_delivery_reports(gateway, apply, personas, client):
    citizen = personas.citizen
    _prefer(citizen, "whatsapp")
    application = apply()
    message = OutboxMessage.objects.get(user=citizen, event="submitted")
    assert message.channel == "whatsapp" and message.to == "+6281234567890"
    assert application.tracking_code in message.body and "Siti Uji" in message.body
    assert notify.outbox_deliver(message.pk) == "sent"
    sent = parse_qs(gateway.requests[-1]["body"].decode())
    assert sent["target"] == ["6281234567890"] and gateway.requests[-1]["headers"]["Authorization"] == "t"
    message.refresh_from_db()
    assert (message.provider, message.provider_id, message.delivery_status) == ("fonnte", "wa-1", "sent")

    url = "/notifikasi/status/fonnte/?token=cb-token"
    report = {"device": "6281", "id": "wa-1", "stateid": "x", "status": "read"}
    assert client.post(url, json.dumps(report), content_type="application/json").json() == {"ok": True, "applied": True}
    late = {**report, "status": "delivered"}  # arrives after "read": must not move the message back
    assert client.post(url, json.dumps(late), content_type="application/json").json()["applied"] is False
    message.refresh_from_db()
    assert message.delivery_status == "read"


def test_delivery_callbacks_refuse_bad_tokens_and_bodies_without_a_500(gateway, client):
    url = "/notifikasi/status/fonnte/"
    assert client.post(url + "?token=salah", {"id": "x", "status": "read"}).status_code == 403
    assert client.post(url, {"id": "x", "status": "read"}).status_code == 403
    good = url + "?token=cb-token"
    assert client.post(good, b"{not json", content_type="application/json").status_code == 400
    assert client.post(good, b"[1, 2]", content_type="application/json").status_code == 400
    assert client.post(good, {"status": "read"}).status_code == 400
    assert client.post(good, {"id": "tidak-ada", "status": "read"}).status_code == 404
    assert client.post(good, {"id": "x", "status": "meledak"}).status_code == 400
    assert client.post("/notifikasi/status/lain/?token=cb-token", {"id": "x", "status": "read"}).status_code == 404
    assert client.get(good).status_code == 405


def test_sms_for_a_mobile_only_account_through_zenziva(gateway, personas, apply, settings):
    from gerai.accounts.services import citizen_register

    settings.GERAI_WHATSAPP_GATEWAY = ""  # with WhatsApp on, a mobile-only account gets WhatsApp first

    user = citizen_register(
        actor=Actor.system(), identifier="0813 1111 2222", password="kata-sandi-panjang-1", full_name="Made"
    )
    message = notify.notify_user(
        user=user,
        region=personas.a.region,
        event="test",
        template="application_event",
        context=_context(apply()),
        subject=("", {}),
    )
    assert message.channel == "sms" and message.to == "+6281311112222"
    assert len(message.body) <= 320
    assert notify.outbox_deliver(message.pk) == "sent"
    assert parse_qs(gateway.requests[-1]["body"].decode())["to"] == ["6281311112222"]


def _context(application):
    return {"application": application, "kind": "submitted", "documents": [], "path": "/x/", "track_path": "/t/"}


def test_the_generic_webhook_is_signed(gateway, apply, personas, settings):
    settings.GERAI_WHATSAPP_GATEWAY = "webhook"
    _prefer(personas.citizen, "whatsapp")
    apply()
    message = OutboxMessage.objects.get(event="submitted")
    assert notify.outbox_deliver(message.pk) == "sent"
    request = gateway.requests[-1]
    expected = hmac.new(b"rahasia-relay", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Gerai-Signature"] == expected
    assert json.loads(request["body"])["to"] == "+6281234567890"


@pytest.mark.parametrize("mode", ["down", "garbage", "refuse"])
def test_a_gateway_that_is_down_or_answers_garbage_delays_and_loses_nothing(gateway, apply, personas, mode):
    _prefer(personas.citizen, "whatsapp")
    apply()
    message = OutboxMessage.objects.get(event="submitted")
    if mode == "down":
        gateway.server.shutdown()
        gateway.server.server_close()
    gateway.mode = mode
    assert notify.outbox_deliver(message.pk) == "retry"
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1 and message.last_error
    if mode != "down":
        gateway.mode = "ok"
        with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
            assert notify.outbox_deliver(message.pk) == "sent"
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.SENT


def test_a_switched_off_channel_falls_back_to_email(personas, apply, settings):
    settings.GERAI_WHATSAPP_GATEWAY = ""
    _prefer(personas.citizen, "whatsapp")
    apply()
    assert OutboxMessage.objects.get(event="submitted").channel == "email"


def test_messages_follow_the_citizens_language(personas, apply):
    _prefer(personas.citizen, "email", language="en")
    apply()
    message = OutboxMessage.objects.get(event="submitted")
    assert "has been received" in message.subject and "Tracking code" in message.body
    _prefer(personas.citizen, "email", language="id")
    apply()
    assert "diterima" in OutboxMessage.objects.filter(event="submitted").latest("pk").subject


def test_the_completion_message_links_the_signed_document(submitted, people):
    application = submitted(slug="surat-domisili", answers=[{"keperluan": "Bank", "lama_tinggal": "5"}, SKU_ANSWERS[1]])
    services.application_complete_step(actor=Actor(user=people["kades"]), application=application)
    document = application.issued_documents.get()
    message = OutboxMessage.objects.get(event="completed")
    assert f"/banyuwangi/permohonan/{application.ref}/surat/{document.code}/" in message.body


def test_preferences_form_checks_the_number(personas):
    client = personas.client("other_citizen")
    bad = client.post("/akun/pemberitahuan/", {"notify_channel": "sms", "phone": "12345", "language": "id"})
    assert bad.status_code == 400 and "nomor" in bad.content.decode().lower()
    missing = client.post("/akun/pemberitahuan/", {"notify_channel": "whatsapp", "phone": "", "language": "id"})
    assert missing.status_code == 400
    ok = client.post("/akun/pemberitahuan/", {"notify_channel": "sms", "phone": "0812-9999-0000", "language": "en"})
    assert ok.status_code == 302
    personas.other_citizen.refresh_from_db()
    assert (personas.other_citizen.notify_channel, personas.other_citizen.phone) == ("sms", "+6281299990000")


def test_officers_get_one_digest_a_day_instead_of_a_flood(apply, personas):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=WIB), tick=False):
        for _ in range(3):
            apply()  # three applications reach the desa office
    OutboxMessage.objects.all().delete()
    with time_machine.travel(dt.datetime(2026, 11, 25, 6, 30, tzinfo=WIB), tick=False):
        assert officer_digests_send() == 0  # before the digest hour
    with time_machine.travel(dt.datetime(2026, 11, 25, 7, 1, tzinfo=WIB), tick=False):
        sent = officer_digests_send()
        assert officer_digests_send() == 0  # the next minute's sweep sends nothing again
    desa = OutboxMessage.objects.get(event="digest", user=personas.desa_officer)
    assert "3" in desa.subject and "Kantor Desa Padomasan" in desa.body
    assert sent == OutboxMessage.objects.filter(event="digest").count()
    assert not OutboxMessage.objects.filter(event="digest", user=personas.outsider).exists()  # nothing open
    assert DigestLog.objects.filter(user=personas.outsider).exists()

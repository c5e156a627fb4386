"""Where messages leave the platform: email through Django's mailer, WhatsApp and SMS through a
gateway adapter. Adapters: a generic HTTP webhook (any provider behind a small relay), Fonnte
(WhatsApp, https://fonnte.com) and Zenziva (SMS, https://zenziva.id), in their published API shapes.

An adapter returns the provider's id for the message, or raises GatewayError: the outbox keeps the
message and tries again later. A gateway that answers garbage is treated as down."""

import hashlib
import hmac
import json
import logging
import sys
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import console

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)


class GatewayError(Exception):
    pass


def _post(url: str, **kwargs) -> "requests.Response":
    import requests  # only where messages are sent (the worker): ~8 MB that no web worker needs

    try:
        return requests.post(url, timeout=settings.GERAI_GATEWAY_TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise GatewayError(f"unreachable: {type(exc).__name__}") from exc


def _json(response: "requests.Response") -> dict:
    try:
        data = response.json()
    except ValueError:
        raise GatewayError(f"http {response.status_code}, not JSON") from None
    if not isinstance(data, dict):
        raise GatewayError(f"http {response.status_code}, unexpected JSON")
    return data


def msisdn(phone: str) -> str:
    """+6281234567890 / 081234567890 → 6281234567890, as the Indonesian gateways want it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "62" + digits[1:] if digits.startswith("0") else digits


def message_id(reference: str) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "gerai.invalid"
    return f"<{reference}@{domain}>"


class EmailGateway:
    name = "email"

    def send(self, *, to: str, subject: str, text: str, reference: str) -> str:
        """The Message-ID is derived from the outbox row, so a message sent again after a crash (sent,
        but not yet marked sent) carries the same Message-ID and mail systems treat it as the same."""
        headers = {"Message-ID": message_id(reference), "X-Gerai-Reference": reference}
        try:
            EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers).send()
        except Exception as exc:  # any transport failure: the outbox keeps the message
            raise GatewayError(f"{type(exc).__name__}: {exc}") from exc
        return ""


class ConsoleEmailBackend(console.EmailBackend):
    """Where email goes when no mail server is configured (the demo): printed by the task worker as a
    person reads it. Django's console backend prints the raw MIME message, whose quoted-printable text
    turns every "=" into "=3D" and breaks long lines with "=": no link in it could be copied."""

    def write_message(self, message):
        mime = message.message()
        headers = "".join(f"{name}: {mime[name]}\n" for name in ("From", "To", "Subject", "Date") if mime[name])
        self.stream.write(f"{headers}\n{message.body.rstrip()}\n{'-' * 79}\n")


class ConsoleTextGateway:
    """Where a text to a mobile number goes on the demo when neither WhatsApp nor SMS is switched on:
    printed by the task worker, like the demo's email (channel "console", used by registration only)."""

    name = "console"

    def send(self, *, to: str, subject: str, text: str, reference: str) -> str:
        sys.stdout.write(f"To: {to}\n\n{text.rstrip()}\n{'-' * 79}\n")
        sys.stdout.flush()
        return ""


class WebhookGateway:
    """POSTs {"channel", "to", "text", "reference"} as JSON, signed with HMAC-SHA256 of the body in
    X-Gerai-Signature; expects 2xx and {"id": "..."}."""

    name = "webhook"

    def __init__(self, channel: str, url: str):
        self.channel, self.url = channel, url

    def send(self, *, to: str, subject: str, text: str, reference: str) -> str:
        body = json.dumps({"channel": self.channel, "to": to, "text": text, "reference": reference}).encode()
        signature = hmac.new(settings.GERAI_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        response = _post(
            self.url, data=body, headers={"Content-Type": "application/json", "X-Gerai-Signature": signature}
        )
        if not 200 <= response.status_code < 300:
            raise GatewayError(f"http {response.status_code}")
        provider_id = _json(response).get("id")
        if not provider_id:
            raise GatewayError("no id in the answer")
        return str(provider_id)


class FonnteGateway:
    """Fonnte WhatsApp: POST /send with the device token in Authorization; form fields target, message,
    countryCode. Answers {"status": true, "id": ["…"], …} or {"status": false, "reason": "…"}."""

    name = "fonnte"

    def send(self, *, to: str, subject: str, text: str, reference: str) -> str:
        response = _post(
            settings.GERAI_FONNTE_URL,
            headers={"Authorization": settings.GERAI_FONNTE_TOKEN},
            data={"target": msisdn(to), "message": text, "countryCode": "62"},
        )
        data = _json(response)
        if data.get("status") is not True:
            raise GatewayError(f"refused: {str(data.get('reason', '?'))[:100]}")
        ids = data.get("id") or []
        return str(ids[0] if isinstance(ids, list) and ids else ids)


class ZenzivaGateway:
    """Zenziva SMS: POST sendsms with userkey, passkey, to, message. Answers {"messageId", "to",
    "status": "1", "text": "Success"}; any other status is a refusal."""

    name = "zenziva"

    def send(self, *, to: str, subject: str, text: str, reference: str) -> str:
        response = _post(
            settings.GERAI_ZENZIVA_URL,
            data={
                "userkey": settings.GERAI_ZENZIVA_USERKEY,
                "passkey": settings.GERAI_ZENZIVA_PASSKEY,
                "to": msisdn(to),
                "message": text,
            },
        )
        data = _json(response)
        if str(data.get("status")) != "1" or not data.get("messageId"):
            raise GatewayError(f"refused: {str(data.get('text', '?'))[:100]}")
        return str(data["messageId"])


def gateway_for(channel: str):
    """The configured gateway of a channel, or None when the channel is not switched on."""
    if channel == "email":
        return EmailGateway()
    if channel == "console":
        return ConsoleTextGateway()
    choice = settings.GERAI_WHATSAPP_GATEWAY if channel == "whatsapp" else settings.GERAI_SMS_GATEWAY
    if choice == "webhook":
        url = settings.GERAI_WHATSAPP_WEBHOOK_URL if channel == "whatsapp" else settings.GERAI_SMS_WEBHOOK_URL
        return WebhookGateway(channel, url)
    if choice == "fonnte" and channel == "whatsapp":
        return FonnteGateway()
    if choice == "zenziva" and channel == "sms":
        return ZenzivaGateway()
    return None


#: Delivery reports, per provider: the status words each one uses, mapped to ours.
DELIVERY_WORDS = {
    "sent": "sent",
    "pending": "sent",
    "processing": "sent",
    "delivered": "delivered",
    "received": "delivered",
    "read": "read",
    "failed": "failed",
    "expired": "failed",
    "rejected": "failed",
    "invalid": "failed",
    "undelivered": "failed",
}

"""Delivery-status callbacks from the WhatsApp/SMS gateways. They carry the shared token
GERAI_NOTIFY_CALLBACK_TOKEN; the answer is always JSON, never a 500."""

import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gerai.core.actors import Actor, client_ip
from gerai.notifications.services import outbox_delivery_report

PROVIDERS = ("webhook", "fonnte", "zenziva")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def delivery_status(request, provider):
    expected = settings.GERAI_NOTIFY_CALLBACK_TOKEN
    given = request.GET.get("token") or request.headers.get("X-Gerai-Token", "")
    if provider not in PROVIDERS:
        return _error(404, "unknown_provider", "No such gateway.")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return _error(403, "bad_token", "The callback token is missing or wrong.")
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return _error(400, "bad_json", "The body is not JSON.")
    else:
        data = request.POST
    if not isinstance(data, dict) and not hasattr(data, "get"):
        return _error(400, "bad_body", "Expected an object.")
    provider_id = str(data.get("id") or data.get("messageId") or data.get("message_id") or "")[:100]
    status = str(data.get("status") or data.get("state") or "")[:30]
    if not provider_id or not status:
        return _error(400, "missing_fields", "Both id and status are required.")
    try:
        applied = outbox_delivery_report(
            actor=Actor(user=None, ip=client_ip(request), via="callback"),
            provider=provider,
            provider_id=provider_id,
            status=status,
        )
    except ValueError:
        return _error(400, "unknown_status", "Unknown status.")
    if applied is None:
        return _error(404, "unknown_message", "No message has this id.")
    return JsonResponse({"ok": True, "applied": applied})

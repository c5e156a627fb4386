"""Outbound webhooks (docs/webhooks.md). A region admin, on the office pages or through the API,
subscribes a URL to some of the region's events. The writes that make those events already record an
audit entry in their transaction; `gerai.core.events` hands it to `deliveries_record`, which writes
one delivery row per interested subscription in the same transaction. The worker's pulse sends what
is due (`webhooks_send_due`): never a request inside a web request's transaction."""

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import random
import secrets
import socket
import ssl
import threading
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.notifications.services import outbox_enqueue_email
from gerai.webhooks.models import Attempt, Delivery, Event, Subscription

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 30 s, 2 min, 8 min, 32 min, 2 h, 8.5 h, 12 h apart (±20 %): about a day, then it gives up
DISABLE_AFTER_FAILURES = 10  # failed requests in a row …
DISABLE_AFTER = dt.timedelta(days=1)  # … the first of them at least a day ago
RESPONSE_KEPT = 500  # characters of each answer kept in the attempt log
SIGNATURE_HEADER = "X-Gerai-Signature"

#: audited writes (see gerai.core.events) that send events, and which
SENT_FOR = (
    "application.submit",
    "application.file",
    "application.resubmit",
    "application.request_correction",
    "application.complete_step",
    "application.reject",
    "application.cancel",
    "report.file",
    "report.respond",
)


class WebhookError(DomainError):
    """A refused subscription: the API answers 422."""

    status = 422


def _event_types(action: str, obj) -> list[Event]:
    if action in ("application.submit", "application.file"):
        return [Event.APPLICATION_SUBMITTED]
    if action == "report.file":
        return [Event.REPORT_RECEIVED]
    if action == "report.respond":
        return [Event.REPORT_ANSWERED]
    if action.startswith("application."):
        completed = getattr(obj, "status", "") == "completed"
        return [Event.APPLICATION_STATUS_CHANGED] + ([Event.APPLICATION_COMPLETED] if completed else [])
    return []


def _data(obj) -> dict:
    """The minimal payload: codes and states, never a name, NIK, phone or address. A receiver that
    needs more asks the API with its own token, under the API's own permission checks."""
    if obj._meta.label_lower == "complaints.report":
        return {"tracking_code": obj.tracking_code, "status": obj.status, "category": obj.category.code}
    return {"tracking_code": obj.tracking_code, "status": obj.status, "service": obj.service.slug}


def deliveries_record(*, action: str, obj, region, changes: dict) -> int:
    """An audited write happened (inside its transaction): one delivery per active subscription of the
    region that wants the event. Returns how many rows were written."""
    if region is None or obj is None:
        return 0
    types = _event_types(action, obj)
    subscriptions = list(Subscription.objects.filter(region_id=region.pk, is_active=True).only("pk", "events"))
    if not types or not subscriptions:
        return 0
    now = timezone.now()
    rows = []
    for event_type in types:
        wanted = [s for s in subscriptions if event_type in s.event_list]
        if not wanted:
            continue
        event_id = f"evt_{uuid.uuid4().hex}"
        body = json.dumps(
            {
                "id": event_id,
                "type": str(event_type),
                "occurred_at": now.isoformat(),
                "region": region.slug,
                "data": _data(obj),
            },
            separators=(",", ":"),
        )
        rows += [
            Delivery(
                subscription=s,
                code=secrets.token_urlsafe(9),
                event_id=event_id,
                event_type=str(event_type),
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            for s in wanted
        ]
    Delivery.objects.bulk_create(rows)
    return len(rows)


# --- addresses: only the public internet (SSRF) ---------------------------------------------------


class UnsafeAddress(OSError):
    pass


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _inner(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, IPv4-compatible, 6to4, Teredo, NAT64): a packet to
    it reaches them, so they are checked too (::127.0.0.1 and 64:ff9b::a9fe:a9fe are loopback and metadata)."""
    inner: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        inner.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        inner.append(ip.sixtofour)
    if ip.teredo is not None:
        inner += list(ip.teredo)
    if ip in _IPV4_COMPATIBLE or any(ip in net for net in _NAT64):
        inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return inner


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        candidates += _inner(ip)
    return all(c.is_global and not c.is_multicast for c in candidates)


def _addresses(host: str, port: int) -> list[tuple]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not settings.GERAI_WEBHOOKS_ALLOW_PRIVATE and not all(_public(str(info[4][0])) for info in infos):
        raise UnsafeAddress(f"{host} resolves to a private, loopback or link-local address")
    return infos


def _connect_checked(address, timeout=None, source_address=None, *args, deadline=None, **kwargs) -> socket.socket:
    """http.client's connect, resolving the name once and refusing private addresses: a name that
    resolved to a public address when it was checked cannot point inside the network when it is used.
    With a deadline, each address gets only the time left and the connected socket is watched by it."""
    host, port = address
    last: OSError = OSError(f"cannot connect to {host}")
    for family, kind, proto, _name, sockaddr in _addresses(host, port):
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout if deadline is None else min(timeout or deadline.seconds, deadline.left()))
        try:
            sock.connect(sockaddr)
            if deadline is not None:
                deadline.watch(sock)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last


def url_check(url: str) -> str:
    """A subscription's URL: http or https, a host, no credentials, and (in production) a public address."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookError("invalid_url", _("Enter a valid http or https address."), field="url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise WebhookError("invalid_url", _("Enter a valid http or https address."), field="url")
    if parts.username or parts.password:
        raise WebhookError("invalid_url", _("Put no user name or password in the address."), field="url")
    if settings.GERAI_WEBHOOKS_ALLOW_PRIVATE:
        return url  # development and tests: any host, checked again (and refused if unreachable) when used
    try:
        _addresses(parts.hostname, port)
    except UnsafeAddress:
        raise WebhookError(
            "private_url", _("This address points into a private network. Use a public address."), field="url"
        ) from None
    except OSError:
        raise WebhookError("invalid_url", _("This host name cannot be found."), field="url") from None
    return url


class _Deadline:
    """A hard limit on a whole request, not on each socket read: a receiver that dribbles its answer a byte at a
    time resets a read timeout forever. When the time is up a timer shuts the connection down (through a
    duplicate of its socket, which stays valid until `close`), so a blocked read or write returns at once."""

    def __init__(self, seconds: float):
        self.seconds, self.at = seconds, time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(self.at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._sock is None:
                self._sock = sock.dup()
            if self.expired:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self.expired = self.expired or time.monotonic() >= self.at
            if self._sock is not None:
                self._sock.close()
                self._sock = None


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, int, str]:
    """One POST, no redirects followed, given up after GERAI_WEBHOOKS_TIMEOUT seconds in all (connecting, sending
    and reading the whole answer). Returns (status, answer, ms, error)."""
    parts = urlsplit(url)
    timeout = settings.GERAI_WEBHOOKS_TIMEOUT
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    deadline = _Deadline(timeout)
    conn._create_connection = functools.partial(_connect_checked, deadline=deadline)  # type: ignore[attr-defined]
    status, answer, error = None, "", ""
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read(RESPONSE_KEPT * 4).decode("utf-8", "replace")[:RESPONSE_KEPT]
        status = response.status
    except UnsafeAddress:
        error = "refused: the address is private"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        deadline.close()
        conn.close()
    if deadline.expired:  # whatever the read that was cut short raised, or even if it ended in time by a hair
        return None, "", _ms(started), f"timed out: no complete answer within {timeout} s"
    return status, answer, _ms(started), error


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe and Standard Webhooks do."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def backoff(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: 30 s × 4^(n-1), at most 12 hours, with ±20 % jitter so that a
    receiver coming back up is not hit by every waiting delivery in the same second."""
    seconds = min(30 * 4 ** max(attempts - 1, 0), 12 * 3600)
    return dt.timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not a secret


# --- sending (the worker's pulse) -----------------------------------------------------------------


def _fair_order(due: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(delivery, subscription) pairs, oldest first, reordered round-robin by subscription: every subscription's
    oldest delivery, then every one's second, and so on, so a busy or slow receiver (of any region) does not
    hold back the others."""
    queues: dict[int, list[tuple[int, int]]] = {}
    for pair in due:
        queues.setdefault(pair[1], []).append(pair)
    rounds = max((len(q) for q in queues.values()), default=0)
    return [q[i] for i in range(rounds) for q in queues.values() if i < len(q)]


def webhooks_send_due(limit: int = 50) -> int:
    """Send whatever is due: new deliveries, retries, and deliveries queued while the worker was down. Round-robin
    by subscription; a subscription whose attempt failed without an answer (timed out, refused) gets no more
    attempts in this pulse, so a receiver that hangs costs each pulse one deadline at most. Returns how many
    deliveries were tried."""
    due = list(
        Delivery.objects.filter(
            state=Delivery.State.PENDING, next_attempt_at__lte=timezone.now(), subscription__is_active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "subscription_id")[:limit]
    )
    unreachable: set[int] = set()
    tried = 0
    for delivery_id, subscription_id in _fair_order(due):
        if subscription_id in unreachable:
            continue
        tried += 1
        if delivery_attempt(delivery_id) == "unreachable":
            unreachable.add(subscription_id)
    return tried


def claim_lease() -> dt.timedelta:
    """How long a claimed delivery is left to the worker sending it: well past the request's hard deadline, so a
    send in progress is never claimed again by another worker; after it, a worker that died is retried."""
    return dt.timedelta(seconds=max(600, 2 * settings.GERAI_WEBHOOKS_TIMEOUT + 60))


def delivery_attempt(delivery_id: int) -> str:
    """Send one delivery if it is due. Returns 'sent', 'retry' (it failed with an answer), 'unreachable' (it
    failed without one: a retry too), 'failed' (given up) or 'skipped'. The row is claimed with a conditional
    UPDATE (its next attempt moved a lease on, longer than the request's deadline), so two workers never send it
    at once, and a worker that dies mid-request leaves it to be retried."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now, subscription__is_active=True
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + claim_lease())
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = delivery.body.encode()
    timestamp = int(time.time())
    status, answer, ms, error = _post(
        subscription.url,
        body,
        {
            "Content-Type": "application/json",
            "User-Agent": "Gerai-Webhooks/1",
            "X-Gerai-Event": delivery.event_type,
            "X-Gerai-Event-Id": delivery.event_id,
            "X-Gerai-Delivery": delivery.code,
            SIGNATURE_HEADER: signature(subscription.secret, timestamp, body),
        },
    )
    ok = status is not None and 200 <= status < 300
    if status is not None and not ok and not error:
        error = f"HTTP {status}"
    done = timezone.now()
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery, at=done, status_code=status, response_body=answer, duration_ms=ms, error=error
        )
        if ok:
            Delivery.objects.filter(pk=delivery_id).update(state=Delivery.State.SENT, sent_at=done)
            Subscription.objects.filter(pk=subscription.pk).exclude(failures_in_a_row=0).update(
                failures_in_a_row=0, failing_since=None
            )
            return "sent"
        gave_up = delivery.attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id).update(
            state=Delivery.State.FAILED if gave_up else Delivery.State.PENDING,
            next_attempt_at=done + backoff(delivery.attempts),
        )
        Subscription.objects.filter(pk=subscription.pk).update(
            failures_in_a_row=F("failures_in_a_row") + 1, failing_since=Coalesce(F("failing_since"), done)
        )
        subscription.refresh_from_db(fields=["failures_in_a_row", "failing_since", "is_active"])
        if (
            subscription.is_active
            and subscription.failures_in_a_row >= DISABLE_AFTER_FAILURES
            and subscription.failing_since is not None
            and subscription.failing_since <= done - DISABLE_AFTER
        ):
            _disable_failing(subscription)
    log.warning("webhook delivery %s failed (attempt %s): %s", delivery.code, delivery.attempts, error[:100])
    return "failed" if gave_up else "retry" if status is not None else "unreachable"


def _disable_failing(subscription: Subscription) -> None:
    reason = "failing"
    if not Subscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, disabled_reason=reason
    ):
        return
    Delivery.objects.filter(subscription=subscription, state=Delivery.State.PENDING).update(state=Delivery.State.FAILED)
    audit_record(
        actor=Actor.system(),
        action="webhook.disable",
        obj=subscription,
        region=subscription.region,
        changes={"reason": reason, "failures": subscription.failures_in_a_row},
    )
    owner = subscription.owner
    if owner.email:
        with translation.override(owner.language or settings.LANGUAGE_CODE):
            outbox_enqueue_email(
                to=owner.email,
                user=owner,
                region=subscription.region,
                template="webhooks/email/webhook_disabled.txt",
                context={
                    "subscription": subscription,
                    "failures": subscription.failures_in_a_row,
                    "path": f"/{subscription.region.slug}/kantor/webhook/{subscription.code}/",
                },
                subject=_("Webhook switched off: %(url)s") % {"url": subscription.url[:120]},
            )


# --- the region admin's writes --------------------------------------------------------------------


def _events_check(events) -> list[str]:
    chosen = [e for e in dict.fromkeys(events) if e]
    if not chosen or any(e not in Event.values for e in chosen):
        raise WebhookError("invalid_events", _("Choose at least one event from the list."), field="events")
    return chosen


def subscription_create(*, actor: Actor, region, url: str, events, description: str = "") -> tuple[Subscription, str]:
    """A new subscription, active at once, owned by the actor (who is told if it is switched off for
    failing). Returns it with its secret, which is shown only now."""
    if actor.user is None:
        raise ValueError("a webhook subscription needs a person as its owner")
    url = url_check(url)
    chosen = _events_check(events)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        subscription = Subscription.objects.create(
            region=region,
            owner=actor.user,
            code=secrets.token_urlsafe(9),
            url=url,
            description=description.strip()[:100],
            events=",".join(chosen),
            secret=secret,
        )
        audit_record(
            actor=actor,
            action="webhook.create",
            obj=subscription,
            region=region,
            changes={"url": url, "events": chosen},
        )
    return subscription, secret


def subscription_set_active(*, actor: Actor, subscription: Subscription, active: bool) -> Subscription:
    """Switch a subscription off, or on again (which forgets its failures)."""
    with transaction.atomic():
        fields: dict = {"is_active": active}
        fields |= {"failures_in_a_row": 0, "failing_since": None, "disabled_reason": ""} if active else {}
        fields |= {} if active else {"disabled_reason": "by_hand"}
        Subscription.objects.filter(pk=subscription.pk).update(**fields)
        audit_record(
            actor=actor,
            action="webhook.enable" if active else "webhook.disable",
            obj=subscription,
            region=subscription.region,
        )
    subscription.refresh_from_db()
    return subscription


def subscription_delete(*, actor: Actor, subscription: Subscription) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="webhook.delete",
            obj=subscription,
            region=subscription.region,
            changes={"url": subscription.url},
        )
        subscription.delete()


def delivery_resend(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Send an event again by hand: a new delivery of the same body and event id (a receiver that
    already has it can recognise it), sent by the worker within seconds."""
    subscription = delivery.subscription
    if not subscription.is_active:
        raise WebhookError("inactive", _("Switch the subscription on before resending."))
    with transaction.atomic():
        again = Delivery.objects.create(
            subscription=subscription,
            code=secrets.token_urlsafe(9),
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            body=delivery.body,
            resent_from=delivery,
        )
        audit_record(
            actor=actor,
            action="webhook.resend",
            obj=again,
            region=subscription.region,
            changes={"delivery": delivery.code, "event_id": delivery.event_id},
        )
    return again

"""Outbound webhooks against a receiver this test starts on 127.0.0.1: signed deliveries, retries
after a 500, a subscription switched off after failing for a day, resending by hand, who may see the
pages, and private addresses refused in production. The people and the service are the factories' (tests/factories.py):
region A is "jember-uji", region B "tanahlaut-uji"."""

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from gerai.accounts.services import api_token_create
from gerai.applications import services as app_services
from gerai.complaints import services as complaint_services
from gerai.core.actors import Actor
from gerai.notifications.models import OutboxMessage
from gerai.webhooks.models import Attempt, Delivery, Subscription
from gerai.webhooks.services import DISABLE_AFTER_FAILURES, _public, claim_lease, webhooks_send_due
from tests.conftest import png
from tests.factories import make_application, make_category

pytestmark = pytest.mark.django_db

LIST = "/jember-uji/kantor/webhook/"


class Receiver:
    """An HTTP server that records every request and answers with the next status in `answers`
    (the last one repeats)."""

    def __init__(self, answers=(200,)):
        self.answers, self.requests = list(answers), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                if status == "slow":
                    time.sleep(2)
                    status = 200
                if status == "dribble":  # a byte every 0.3 s: no single read ever waits a whole second
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    try:
                        for _byte in range(10):
                            time.sleep(0.3)
                            self.wfile.write(b"a")
                            self.wfile.flush()
                        self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")
                    except OSError:  # the sender hung up at its deadline
                        pass
                    return
                answer = (b"x" * 2000) if status >= 500 else b'{"ok":true}'
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/gerai?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(answers=(200,)):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def submitted(personas):
    """Region A's citizen's application, submitted through the services (it emits application.submitted)."""
    return lambda: make_application(personas.citizen, personas.service, upload=png, keperluan="Lamaran ke PT Kopi Jaya")


def subscribe(client, url, events=("application.submitted",)) -> str:
    """Subscribe on the office page; returns the secret, which the page after the redirect shows once."""
    response = client.post(LIST, {"url": url, "events": list(events), "description": "SIMPEG"})
    assert response.status_code == 302 and response["Location"] == LIST
    response = client.get(LIST)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return re.search(r"data-new-secret>([^<]+)<", response.content.decode()).group(1)


def test_the_new_secret_is_shown_once_after_the_redirect_and_a_refresh_creates_nothing(personas, receiver):
    admin = personas.client("admin")
    secret = subscribe(admin, receiver().url)
    assert Subscription.objects.get().secret == secret and secret.startswith("whsec_")
    again = admin.get(LIST)  # the refresh of the page after the redirect: a GET, nothing made, no secret
    assert again.status_code == 200 and "data-new-secret" not in again.content.decode()
    assert secret not in again.content.decode() and Subscription.objects.count() == 1


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What docs/webhooks.md tells a receiver to do."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_a_delivery_is_signed_and_carries_no_personal_data(personas, receiver, submitted):
    hook = receiver()
    secret = subscribe(personas.client("admin"), hook.url)
    application = submitted()
    assert not hook.requests  # nothing is sent inside the writer's request: the worker sends it
    assert webhooks_send_due() == 1
    (request,) = hook.requests
    assert request["path"] == "/hooks/gerai?x=1"
    assert verify(secret, request["headers"]["X-Gerai-Signature"], request["body"])
    assert not verify("whsec_wrong", request["headers"]["X-Gerai-Signature"], request["body"])
    assert not verify(secret, request["headers"]["X-Gerai-Signature"], request["body"] + b" ")
    event = json.loads(request["body"])
    assert event["type"] == "application.submitted" and event["region"] == "jember-uji"
    assert event["id"] == request["headers"]["X-Gerai-Event-Id"] and event["occurred_at"]
    assert event["data"] == {
        "tracking_code": application.tracking_code,
        "status": "submitted",
        "service": "surat-keterangan",
    }
    text = request["body"].decode()
    nik = personas.citizen.citizen.nik
    assert "Siti" not in text and nik not in text and "Kopi Jaya" not in text  # no name, NIK or answer
    delivery = Delivery.objects.get()
    assert delivery.state == "sent" and delivery.attempt_log.get().status_code == 200
    assert webhooks_send_due() == 0 and len(hook.requests) == 1  # sent once


def test_status_changes_completion_and_reports_are_sent_to_those_who_asked(personas, receiver, submitted):
    hook = receiver()
    subscribe(personas.client("admin"), hook.url, events=("application.status_changed", "application.completed"))
    application = submitted()  # not asked for
    app_services.application_reject(actor=Actor(user=personas.desa_officer), application=application, reason="x")
    webhooks_send_due()
    assert [json.loads(r["body"])["type"] for r in hook.requests] == ["application.status_changed"]
    assert json.loads(hook.requests[0]["body"])["data"]["status"] == "rejected"


def test_reports_received_and_answered_carry_no_reporter_or_address(personas, receiver):
    hook = receiver()
    subscribe(personas.client("admin"), hook.url, events=("report.received", "report.answered"))
    report = complaint_services.report_file(
        actor=Actor(user=personas.citizen),
        region=personas.a.region,
        category=make_category(personas.a, "jalan-rusak"),  # sent to the dinas
        description="Jalan berlubang besar di depan SDN 1 Padomasan",
        reporter=personas.citizen,
        desa=personas.a.desa,
        address="Jl. Padomasan 3",
    )
    complaint_services.report_verify(actor=Actor(user=personas.coordinator), report=report)
    complaint_services.report_respond(actor=Actor(user=personas.dinas_officer), report=report, text="Besok.")
    assert webhooks_send_due() == 2
    events = [json.loads(r["body"]) for r in hook.requests]
    assert [e["type"] for e in events] == ["report.received", "report.answered"]  # not the verification
    assert events[1]["data"] == {
        "tracking_code": report.tracking_code,
        "status": "responded",
        "category": "jalan-rusak",
    }
    text = b"".join(r["body"] for r in hook.requests).decode()
    assert "Padomasan" not in text and "Siti" not in text and "Besok" not in text


def test_a_500_is_retried_after_the_backoff_and_then_succeeds(personas, receiver, submitted):
    hook = receiver(answers=(500, 200))
    subscribe(personas.client("admin"), hook.url)
    submitted()
    webhooks_send_due()
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1
    first = delivery.attempt_log.get()
    assert first.status_code == 500 and len(first.response_body) == 500  # the answer is kept, truncated
    assert webhooks_send_due() == 0 and len(hook.requests) == 1  # not before the backoff
    assert dt.timedelta(seconds=23) < delivery.next_attempt_at - first.at < dt.timedelta(seconds=37)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        assert webhooks_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2 and len(hook.requests) == 2
    assert [a.status_code for a in delivery.attempt_log.all()] == [200, 500]
    assert hook.requests[0]["body"] == hook.requests[1]["body"]  # the same event, signed afresh


def test_a_redirect_is_not_followed_and_counts_as_a_failure(personas, receiver, submitted):
    hook = receiver(answers=(302,))
    subscribe(personas.client("admin"), hook.url)
    submitted()
    webhooks_send_due()
    assert [r["path"] for r in hook.requests] == ["/hooks/gerai?x=1"]  # never /elsewhere
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.attempt_log.get().status_code == 302


def test_a_slow_receiver_is_given_up_on_after_the_timeout(personas, receiver, submitted, settings):
    settings.GERAI_WEBHOOKS_TIMEOUT = 1
    hook = receiver(answers=("slow",))
    subscribe(personas.client("admin"), hook.url)
    submitted()
    started = time.monotonic()
    webhooks_send_due()
    assert time.monotonic() - started < 1.9
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "timed out" in attempt.error and 900 <= attempt.duration_ms < 1900


def test_a_receiver_dribbling_its_answer_is_cut_off_at_the_deadline(personas, receiver, submitted, settings):
    """GERAI_WEBHOOKS_TIMEOUT bounds the whole request: an answer sent a byte every 0.3 s (3 s in all) never lets
    a single read wait 1 s, and used to be logged as a success after 3 s."""
    settings.GERAI_WEBHOOKS_TIMEOUT = 1
    hook = receiver(answers=("dribble",))
    subscribe(personas.client("admin"), hook.url)
    submitted()
    started = time.monotonic()
    webhooks_send_due()
    assert time.monotonic() - started < 1.9
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "timed out" in attempt.error and 900 <= attempt.duration_ms < 1900
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.next_attempt_at > timezone.now()  # retried after the backoff


def test_the_claim_lease_outlasts_the_deadline(settings):
    for seconds in (1, 5, 600, 3600):
        settings.GERAI_WEBHOOKS_TIMEOUT = seconds
        assert claim_lease() > dt.timedelta(seconds=seconds + 30)


def test_a_slow_receiver_does_not_starve_the_other_subscriptions(personas, receiver, submitted, settings):
    """Round-robin by subscription, and a receiver that gave no answer gets no more tries in this pulse: four
    deliveries to a hanging receiver cost one deadline, and the other subscription's newer one is served too."""
    settings.GERAI_WEBHOOKS_TIMEOUT = 1
    slow, fast = receiver(answers=("slow",)), receiver()
    subscribe(personas.client("admin"), slow.url)
    for _ in range(3):
        submitted()
    subscribe(personas.client("admin"), fast.url)
    submitted()  # the fast subscription's only delivery, and the slow one's fourth, are the newest
    started = time.monotonic()
    assert webhooks_send_due() == 2  # the slow one's first, the fast one's; the slow one's others wait
    assert time.monotonic() - started < 1.9
    assert len(fast.requests) == 1 and len(slow.requests) == 1
    assert Delivery.objects.filter(state="sent").count() == 1
    assert Delivery.objects.filter(state="pending", attempts=0).count() == 3


def test_a_subscription_failing_for_a_day_is_switched_off_and_its_owner_told(personas, receiver, submitted):
    hook = receiver(answers=(503,))
    subscribe(personas.client("admin"), hook.url)
    submitted()
    submitted()
    subscription = Subscription.objects.get()
    start, seen = timezone.now(), []
    for step in range(8):
        with time_machine.travel(start + dt.timedelta(hours=13 * step)):
            webhooks_send_due()
        subscription.refresh_from_db()
        seen.append((step * 13, subscription.failures_in_a_row, subscription.is_active))
        if not subscription.is_active:
            break
    # two deliveries fail at each pulse: ten failures in a row are reached at 52 hours, past a day
    assert seen[1] == (13, 4, True)
    assert seen[-1] == (52, DISABLE_AFTER_FAILURES, False), seen
    assert subscription.disabled_reason == "failing"
    assert not Delivery.objects.filter(state="pending").exists()
    message = OutboxMessage.objects.get(user=personas.admin, event="webhook_disabled")
    assert hook.url in message.body and subscription.code in message.body
    page = personas.client("admin").get(f"{LIST}{subscription.code}/")
    assert page.status_code == 200 and "503" in page.content.decode()
    requests = len(hook.requests)
    with time_machine.travel(start + dt.timedelta(days=5)):
        assert webhooks_send_due() == 0 and len(hook.requests) == requests  # nothing more is sent


def test_a_delivery_can_be_resent_by_hand(personas, receiver, submitted):
    hook = receiver()
    admin = personas.client("admin")
    subscribe(admin, hook.url)
    submitted()
    webhooks_send_due()
    subscription, delivery = Subscription.objects.get(), Delivery.objects.get()
    page = f"{LIST}{subscription.code}/"
    response = admin.post(page, {"what": "resend", "delivery": delivery.code}, follow=True)
    assert response.status_code == 200 and len(hook.requests) == 1  # queued, not sent in the request
    assert webhooks_send_due() == 1 and len(hook.requests) == 2
    first, again = (json.loads(r["body"]) for r in hook.requests)
    assert first == again and hook.requests[1]["headers"]["X-Gerai-Delivery"] != delivery.code
    assert Delivery.objects.filter(resent_from=delivery, state="sent").exists()
    other = personas.client("outsider_admin").post(page, {"what": "resend", "delivery": delivery.code})
    assert other.status_code == 404 and Delivery.objects.count() == 2


def test_the_pages_are_for_the_regions_admins_only(personas, receiver):
    hook = receiver()
    subscribe(personas.client("admin"), hook.url)
    detail = f"{LIST}{Subscription.objects.get().code}/"
    for outsider in ("outsider_admin", "desa_officer", "supervisor", "citizen"):
        assert personas.client(outsider).get(LIST).status_code == 404, outsider
        assert personas.client(outsider).get(detail).status_code == 404, outsider
        assert personas.client(outsider).post(detail, {"what": "delete"}).status_code == 404, outsider
    assert personas.client(None).get(LIST).status_code == 302  # to sign in
    assert f'href="{LIST}"' in personas.client("admin").get("/jember-uji/kantor/").content.decode()
    assert f'href="{LIST}"' not in personas.client("desa_officer").get("/jember-uji/kantor/").content.decode()
    elsewhere = f"/tanahlaut-uji/kantor/webhook/{Subscription.objects.get().code}/"
    assert personas.client("outsider_admin").get(elsewhere).status_code == 404
    assert Subscription.objects.filter(is_active=True).count() == 1


def test_private_addresses_are_refused_unless_allowed(personas, receiver, submitted, settings):
    hook = receiver()
    admin = personas.client("admin")
    subscribe(admin, hook.url)  # allowed in tests (GERAI_WEBHOOKS_ALLOW_PRIVATE)
    settings.GERAI_WEBHOOKS_ALLOW_PRIVATE = False
    embedded = (  # IPv6 addresses carrying a loopback or metadata IPv4 address
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64
        "http://[64:ff9b:1::a9fe:a9fe]/",  # local-use NAT64
        "http://[2002:a9fe:a9fe::1]/",  # 6to4
        "http://[2001:0:a9fe:a9fe:0:f227:80fe:fefe]/",  # Teredo (server 169.254.169.254, client 127.1.1.1)
    )
    for url in (hook.url, "http://localhost/x", "http://169.254.169.254/latest", "http://10.1.2.3/", "http://[::1]/"):
        response = admin.post(LIST, {"url": url, "events": ["report.received"]})
        assert "jaringan privat" in response.content.decode(), url  # "points into a private network"
    for url in ("ftp://example.org/x", "javascript:alert(1)", "http://user:pw@example.org/"):
        response = admin.post(LIST, {"url": url, "events": ["report.received"]})
        assert response.status_code == 200 and "data-new-secret" not in response.content.decode(), url
    assert _public("2606:4700::1111") and _public("64:ff9b::808:808") and _public("2002:808:808::1")  # public inside
    for url in embedded:
        response = admin.post(LIST, {"url": url, "events": ["report.received"]})
        assert "jaringan privat" in response.content.decode(), url
    assert Subscription.objects.count() == 1
    submitted()
    webhooks_send_due()  # the address is checked again when it is used (a name may change what it points at)
    assert not hook.requests
    assert "private" in Attempt.objects.get().error


def test_the_api_manages_subscriptions_for_region_admins(client, receiver, personas):
    hook = receiver()

    def token(user):
        _record, value = api_token_create(actor=Actor.system(), user=user, name="t")
        return {"HTTP_AUTHORIZATION": f"Bearer {value}"}

    admin = token(personas.admin)
    url = "/api/v1/regions/jember-uji/webhooks"
    made = client.post(url, {"url": hook.url, "events": ["report.received"]}, content_type="application/json", **admin)
    assert made.status_code == 201, made.content
    assert made.json()["secret"].startswith("whsec_") and made.json()["events"] == ["report.received"]
    listed = client.get(url, **admin).json()
    assert [s["code"] for s in listed] == [made.json()["code"]] and "secret" not in listed[0]
    for outsider in (personas.outsider_admin, personas.citizen, personas.desa_officer):
        assert client.get(url, **token(outsider)).status_code == 404
    bad = client.post(url, {"url": hook.url, "events": ["nope"]}, content_type="application/json", **admin)
    assert bad.status_code == 422 and list(bad.json()["error"]["details"]) == ["body.events.0"]
    gone = client.delete(f"{url}/{made.json()['code']}", **admin)
    assert gone.status_code == 204 and not Subscription.objects.exists()

"""Issue #20: Gerai on several machines. Two web instances (granian, separate processes and ports) and two task
workers (`manage.py run_worker`) run against one PostgreSQL primary with a hot-standby streaming replica on other
ports (DATABASE_REPLICA_URL), Redis for the shared cache, one media root. Through HTTP, across both instances at
once, the test shows: outbox messages sent once, rollups exact, letter numbers gapless, throttles shared, and a
read after a write that sees it while the replica lags.

Runs with `make test-scale` (`pytest -m scale -p no:xdist -s`); it prints the figures it observed. Skipped when
the PostgreSQL server binaries are missing, or when the test runs neither as root nor as postgres."""

import base64
import csv
import io
import itertools
import json
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from tests.scale.cluster import make_cluster, why_not
from tests.scale.stack import LOGIN_ATTEMPTS, REDIS_URL, ROOT, Relay, Stack

REASON = why_not()
pytestmark = [pytest.mark.scale, pytest.mark.skipif(REASON is not None, reason=REASON or "")]

SUBMISSIONS_PER_CITIZEN = 6  # four citizens: 24 applications, 24 letters
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4//8/AwAI/AL+p5qgoAAAAABJRU5ErkJggg=="
)
FIGURES: dict[str, object] = {}


def wait_for(check, seconds: float, what: str, stack: Stack | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if stack is not None:
            stack.check_alive()
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{stack.logs()}" if stack else ""))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import redis

    started = time.monotonic()
    redis.Redis.from_url(REDIS_URL).flushdb()
    cluster = make_cluster()
    cluster.start_bouncer()
    FIGURES["primary reached through"] = (
        f"PgBouncer in transaction mode (port {cluster.bouncer_port})"
        if cluster.bouncer_port
        else "a direct connection"
    )
    relay = Relay()
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    stack = Stack(cluster=cluster, work=tmp_path_factory.mktemp("scale"), relay=relay)
    try:
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # production settings serve the manifest
            stack.manage("collectstatic", "--noinput", "-v0")
        stack.manage("migrate", "--noinput", "-v0")
        FIGURES["migrated in"] = f"{time.monotonic() - started:.0f} s"
        stack.setup = stack.prepare()
        FIGURES["prepared in"] = f"{time.monotonic() - started:.0f} s"
        for n in (1, 2):
            stack.start_web(f"web{n}")
            stack.start_worker(f"worker{n}")
        stack.wait_ready()
        FIGURES["stack up in"] = f"{time.monotonic() - started:.0f} s"
        yield stack
    finally:
        if cluster.bouncer_port:
            try:
                FIGURES["transactions through PgBouncer"] = str(cluster.bouncer_transactions())
            except psycopg.Error as exc:  # a figure only: never in the way of the teardown
                FIGURES["transactions through PgBouncer"] = f"not read ({exc})"
        stopping = time.monotonic()
        stack.stop()
        relay.shutdown()
        cluster.stop()
        FIGURES["stopped in"] = f"{time.monotonic() - stopping:.0f} s"
        print("\nscale-out figures (tests/test_scale_out.py):")
        for name, value in FIGURES.items():
            print(f"  {name}: {value}")


def _primary(stack: Stack, sql: str, params=()) -> list[tuple]:
    with stack.cluster.connect(stack.cluster.primary_port) as conn:
        return conn.execute(sql, params).fetchall()


def _replica(stack: Stack, sql: str, params=()) -> list[tuple]:
    with stack.cluster.connect(stack.cluster.replica_port) as conn:
        return conn.execute(sql, params).fetchall()


def _base(stack: Stack, n: int) -> str:
    return f"http://127.0.0.1:{stack.web_ports[n % 2]}"


@pytest.fixture(scope="module")
def workload(stack):
    """Citizens submit applications through the API and the desa head signs each one, every request on the other
    web instance than the one before, four clients at once; both workers send and fold meanwhile."""
    setup = stack.setup
    region, service = setup["region"], setup["service"]
    started = time.monotonic()
    turn = itertools.count()

    def submit(token: str) -> list[str]:
        refs = []
        for _ in range(SUBMISSIONS_PER_CITIZEN):
            response = requests.post(
                f"{_base(stack, next(turn))}/api/v1/regions/{region}/services/{service}/applications",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                data={"answers": json.dumps({"keperluan": "Membuka rekening", "desa": setup["desa"]})},
                files={"ktp": ("ktp.png", PNG, "image/png")},
                timeout=60,
            )
            assert response.status_code == 201, response.text
            refs.append(response.json()["ref"])
        return refs

    with ThreadPoolExecutor(len(setup["citizens"])) as pool:
        refs = [ref for batch in pool.map(submit, setup["citizens"]) for ref in batch]

    def sign(batch: list[str]) -> list[str]:
        statuses = []
        for ref in batch:
            response = requests.post(
                f"{_base(stack, next(turn))}/api/v1/regions/{region}/applications/{ref}/actions",
                headers={"Authorization": f"Bearer {setup['kades']}"},
                json={"action": "complete"},
                timeout=120,
            )
            assert response.status_code == 200, response.text
            statuses.append(response.json()["status"])
        return statuses

    with ThreadPoolExecutor(4) as pool:
        statuses = [s for batch in pool.map(sign, [refs[i::4] for i in range(4)]) for s in batch]
    FIGURES["applications submitted and signed"] = f"{len(refs)} in {time.monotonic() - started:.1f} s"
    return {"refs": refs, "statuses": statuses}


def test_letter_numbers_are_gapless_across_instances(stack, workload):
    (fmt,) = _primary(stack, "SELECT letter_number_format FROM regions_agency WHERE id = %s", [stack.setup["agency"]])[
        0
    ]
    position = fmt.split("/").index("{nomor}")
    numbers = sorted(
        int(number.split("/")[position])
        for (number,) in _primary(
            stack, "SELECT number FROM documents_issueddocument WHERE agency_id = %s", [stack.setup["agency"]]
        )
    )
    (last,) = _primary(
        stack, "SELECT last_number FROM documents_lettersequence WHERE agency_id = %s", [stack.setup["agency"]]
    )[0]
    FIGURES["letter numbers"] = f"{len(numbers)} letters numbered {numbers[0]}..{numbers[-1]}, sequence at {last}"
    assert workload["statuses"] == ["completed"] * len(workload["refs"])  # each signed, issued and closed
    assert len(numbers) == len(workload["refs"])
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no duplicate
    assert last == len(numbers)


def test_outbox_messages_are_sent_once(stack, workload):
    def settled():
        rows = _primary(stack, "SELECT state, count(*) FROM notifications_outboxmessage GROUP BY state")
        return dict(rows) if rows and set(dict(rows)) == {"sent"} else None

    wait_for(settled, 60, "every outbox message to be sent", stack)
    time.sleep(2.5)  # two more pulses of both workers: a second send would show now
    messages = _primary(stack, "SELECT id, channel, state, attempts FROM notifications_outboxmessage")
    whatsapp = {pk for pk, channel, _, _ in messages if channel == "whatsapp"}
    received = dict(stack.relay.received)
    by_id = {int(reference.split("-")[1]): times for reference, times in received.items()}
    emails = {pk for pk, channel, _, _ in messages if channel == "email"}  # an officer's digest, say

    def sent_emails() -> int:
        return _primary(stack, "SELECT count(*) FROM notifications_outboxmessage WHERE channel = 'email'")[0][0]

    # printed before it is marked sent: more prints than emails would be a second send
    wait_for(lambda: stack.emails_printed() == sent_emails(), 10, "the emails printed once each", stack)
    FIGURES["outbox"] = (
        f"{len(messages)} messages ({len(whatsapp)} on WhatsApp, {len(emails)} email printed "
        f"{stack.emails_printed()} times), relay received {sum(received.values())} "
        f"POSTs for {len(received)} references, most for one message: {max(received.values(), default=0)}; "
        f"sent by {dict(sorted(stack.relay.by_sender.items()))}"
    )
    assert len(whatsapp) >= 2 * len(workload["refs"])  # a receipt and a letter-ready message per application
    assert set(by_id) == whatsapp  # every message reached the relay
    assert all(times == 1 for times in by_id.values()), {k: v for k, v in by_id.items() if v != 1}
    assert all(state == "sent" and attempts == 1 for _, _, state, attempts in messages)
    assert set(stack.relay.by_sender) == {"worker1", "worker2"}  # both workers were sending at once


def test_rollups_are_exact(stack, workload):
    wait_for(lambda: not _primary(stack, "SELECT 1 FROM dashboards_pendingchange LIMIT 1"), 60, "the folds", stack)
    stack.cluster.wait_replayed()
    region = stack.setup["region"]
    (region_id,) = _primary(stack, "SELECT id FROM regions_region WHERE slug = %s", [region])[0]
    submitted, completed = _primary(
        stack,
        "SELECT count(*) FILTER (WHERE submitted_at IS NOT NULL), count(*) FILTER (WHERE status = 'completed') "
        "FROM applications_application WHERE region_id = %s",
        [region_id],
    )[0]
    seen = []
    for n in (0, 1):  # the open data CSV, read from the replica by each instance
        response = requests.get(f"{_base(stack, n)}/{region}/data/statistik-layanan-bulanan.csv", timeout=30)
        assert response.status_code == 200, response.status_code
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        seen.append((sum(int(r["diajukan"] or 0) for r in rows), sum(int(r["selesai"] or 0) for r in rows)))
    (folded,) = _primary(
        stack,
        "SELECT sum(submitted), sum(completed) FROM dashboards_applicationmonth WHERE region_id = %s AND level = 0",
        [region_id],
    )
    FIGURES["rollups"] = (
        f"COUNT(*) submitted {submitted}, completed {completed}; rollup rows {folded[0]}, {folded[1]}; "
        f"open data CSV on each instance {seen}"
    )
    assert submitted == completed == len(workload["refs"])
    assert tuple(folded) == (submitted, completed)
    assert seen == [(submitted, completed)] * 2


def _csrf(session: requests.Session, url: str) -> tuple[str, str]:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the form"
    return token.group(1), page.text


def test_throttles_are_shared_across_instances(stack):
    """Sign-in attempts (GERAI_LOGIN_ATTEMPTS_PER_15_MIN per address and account) counted in Redis: alternating
    instances, the attempt after the limit is refused, though neither instance has seen the limit's worth."""
    session = requests.Session()
    token, _ = _csrf(session, f"{_base(stack, 0)}/akun/masuk/")
    statuses = []
    for n in range(LOGIN_ATTEMPTS + 2):
        response = session.post(
            f"{_base(stack, n)}/akun/masuk/",
            data={"csrfmiddlewaretoken": token, "identifier": stack.setup["login"], "password": "salah-sekali"},
            headers={"Referer": f"{_base(stack, n)}/akun/masuk/"},
            timeout=30,
        )
        statuses.append(response.status_code)
    FIGURES["throttle"] = (
        f"limit {LOGIN_ATTEMPTS}; failed sign-ins alternating instances answered {statuses} "
        f"(each instance saw {(LOGIN_ATTEMPTS + 2) // 2})"
    )
    assert (LOGIN_ATTEMPTS + 2) // 2 < LOGIN_ATTEMPTS  # counted per process, every attempt would be answered
    assert statuses == [200] * LOGIN_ATTEMPTS + [429] * 2


def test_a_read_after_a_write_sees_it_while_the_replica_lags(stack):
    region, cluster = stack.setup["region"], stack.cluster
    session = requests.Session()
    token, form = _csrf(session, f"{_base(stack, 0)}/{region}/pengaduan/baru/")
    once = re.search(r'name="once" value="([^"]*)"', form)
    cluster.wait_replayed()
    _replica(stack, "SELECT pg_wal_replay_pause()")
    try:
        posted = session.post(
            f"{_base(stack, 0)}/{region}/pengaduan/baru/",
            data={
                "csrfmiddlewaretoken": token,
                "once": once.group(1) if once else "",
                "category": stack.setup["category"],
                "kind": "complaint",
                "title": "Lampu jalan mati",
                "description": "Lampu jalan di depan balai desa mati sejak tiga malam.",
                "desa": stack.setup["desa"],
                "address": "Depan balai desa",
                "reporter_name": "Warga Uji",
                "reporter_email": "warga.uji@example.id",
            },
            headers={"Referer": f"{_base(stack, 0)}/{region}/pengaduan/baru/"},
            allow_redirects=False,
            timeout=30,
        )
        problem = re.search(r'class="error-summary".*?</ul>', posted.text, re.S)
        assert posted.status_code == 302, problem.group(0) if problem else posted.status_code
        assert "gerai_primary" in posted.cookies
        location = posted.headers["Location"]
        code = location.split("/pengaduan/")[1].split("?")[0]
        on_primary = _primary(stack, "SELECT count(*) FROM complaints_report WHERE tracking_code = %s", [code])[0][0]
        on_replica = _replica(stack, "SELECT count(*) FROM complaints_report WHERE tracking_code = %s", [code])[0][0]
        lag = _primary(
            stack,
            "SELECT pg_current_wal_lsn() - %s::pg_lsn",
            [_replica(stack, "SELECT pg_last_wal_replay_lsn()")[0][0]],
        )[0][0]
        plain = requests.get(f"{_base(stack, 1)}{location}", timeout=30)  # the other instance, no pin: the replica
        pinned = session.get(f"{_base(stack, 1)}{location}", timeout=30)  # the redirect, with the pin cookie
        FIGURES["read after write"] = (
            f"replica paused {lag} bytes of WAL behind; report on primary {on_primary}, on replica {on_replica}; "
            f"GET without the pin on the other instance {plain.status_code}, the redirected GET with it "
            f"{pinned.status_code}"
        )
        assert (on_primary, on_replica) == (1, 0) and lag > 0
        assert plain.status_code == 404  # the replica is really read, and it has not seen the report yet
        assert pinned.status_code == 200 and code in pinned.text
    finally:
        _replica(stack, "SELECT pg_wal_replay_resume()")
    cluster.wait_replayed()
    caught_up = requests.get(f"{_base(stack, 1)}{location}", timeout=30)
    FIGURES["read after write"] += f"; after replay resumed, GET without the pin {caught_up.status_code}"
    assert caught_up.status_code == 200


def _submitted_this_year(stack: Stack, n: int) -> int | None:
    """The transparency page's "submitted this year" as instance n serves it to an anonymous visitor."""
    page = requests.get(f"{_base(stack, n)}/{stack.setup['region']}/transparansi/", timeout=30)
    assert page.status_code == 200, page.status_code
    figure = re.search(r'data-figure="submitted">.*?<dd>([^<]*)</dd>', page.text, re.S)
    digits = re.sub(r"\D", "", figure.group(1)) if figure else ""
    return int(digits) if digits else None


def test_a_public_page_rebuilt_while_the_replica_lags_shows_the_change(stack, workload):
    """The transparency page is kept in the shared cache until its region changes. A new application is folded into
    the rollups while the replica's replay is paused: the first visitor after the fold rebuilds the page, from the
    primary (gerai/core/pagecache.py), so the page kept under the new version shows the new figure."""
    setup, cluster = stack.setup, stack.cluster
    before = _submitted_this_year(stack, 0)  # kept now
    cluster.wait_replayed()
    _replica(stack, "SELECT pg_wal_replay_pause()")
    try:
        response = requests.post(
            f"{_base(stack, 0)}/api/v1/regions/{setup['region']}/services/{setup['service']}/applications",
            headers={"Authorization": f"Bearer {setup['citizens'][0]}", "Idempotency-Key": uuid.uuid4().hex},
            data={"answers": json.dumps({"keperluan": "Membuka rekening", "desa": setup["desa"]})},
            files={"ktp": ("ktp.png", PNG, "image/png")},
            timeout=60,
        )
        assert response.status_code == 201, response.text
        wait_for(lambda: not _primary(stack, "SELECT 1 FROM dashboards_pendingchange LIMIT 1"), 30, "the fold", stack)
        try:  # the fold's version bump follows its commit by moments
            during = wait_for(lambda: _submitted_this_year(stack, 1) == before + 1 and before + 1, 10, "the new figure")
        except AssertionError:
            during = _submitted_this_year(stack, 1)
        (replica_folded,) = _replica(
            stack,
            "SELECT sum(submitted) FROM dashboards_applicationmonth m JOIN regions_region r ON r.id = m.region_id "
            "WHERE r.slug = %s AND m.level = 0",
            [setup["region"]],
        )[0]
    finally:
        _replica(stack, "SELECT pg_wal_replay_resume()")
    cluster.wait_replayed()
    after = _submitted_this_year(stack, 0)
    FIGURES["public page"] = (
        f"transparency 'submitted this year' {before}; one more application folded while the replica (rollup "
        f"sum {replica_folded}) was paused: rebuilt on the other instance {during}, after replay {after}"
    )
    assert replica_folded == before  # the replica had not seen the fold
    assert during == after == before + 1

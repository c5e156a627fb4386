"""The regions-per-server benchmark (bench/regions.py, issue #20): its profile adds up, and the load script
builds requests that Gerai answers (recorded from wrk itself, then replayed through Django). No timing."""

import re
import shutil
import subprocess
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from bench import region_day
from bench.regions import lua_data, verdict
from bench.run import LUA

pytestmark = pytest.mark.django_db


def test_the_profile_adds_up_to_the_peak_rate_the_ramp_offers():
    peak = region_day.peak_hour()
    assert set(peak) == {k.name for k in region_day.DAY}
    assert all(n > 0 for n in peak.values())
    assert peak["submission"] == round(region_day.APPLICATIONS_PER_DAY * region_day.PEAK_SHARE)
    assert region_day.per_region_rate() == pytest.approx(sum(peak.values()) / 3600)
    assert sum(region_day.PUBLIC_PAGES.values()) == 100
    table = region_day.table()
    assert all(f"| {k.name} |" in table for k in region_day.DAY)
    # a server carrying 1 request a second for an hour: 3,600 requests for one server-hour
    assert region_day.rupiah_per_thousand(1.0) == pytest.approx(region_day.server_rupiah_per_hour() / 3.6)


def test_every_kind_of_the_profile_has_a_request_in_the_load_script():
    script = (LUA / "mixed.lua").read_text()
    assert set(re.findall(r'builders\["([^"]+)"\] = function', script)) == {k.name for k in region_day.DAY}


def test_a_step_fails_on_p99_on_unexpected_answers_and_on_falling_behind():
    ok = {"p99_ms": 80, "unexpected": {}, "socket_errors": 0, "offered_rps": 100, "rps": 97, "late": 0, "seconds": 30}
    ok["sent"] = {"public page": 3000}
    assert verdict(ok) == []
    assert verdict(ok | {"p99_ms": 501})
    assert verdict(ok | {"unexpected": {"429": 1}})
    assert verdict(ok | {"rps": 80})
    assert verdict(ok | {"offered_rps": 4.3, "rps": 3.7}) == []  # 111 of 130 offered: within Poisson noise
    assert verdict(ok | {"late": 31})


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list = []

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if len(self.seen) < 2000:
            self.seen.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_the_load_script_builds_requests_that_gerai_answers(banyuwangi, tmp_path):
    from bench.fill_regions import credentials, fill_applications, fill_invitations
    from gerai.accounts.models import User
    from gerai.complaints.models import Category
    from gerai.core.actors import Actor

    fill_applications(banyuwangi, 20, [User.objects.get(login="warga@banyuwangi.demo").pk])
    fill_invitations(banyuwangi, 10)
    officer, citizen = User.objects.get(login="capil@banyuwangi.demo"), User.objects.get(login="warga@banyuwangi.demo")
    session, token = credentials(Actor.system(), officer, citizen)
    region = {
        "slug": "banyuwangi",
        "prefix": banyuwangi.tracking_prefix,
        "rows": 20,
        "desa": citizen.citizen.desa_id,
        "category": Category.objects.filter(region=banyuwangi).order_by("order")[0].code,
        "survey_tag": f"s{banyuwangi.pk}x",
        "surveys": 10,
        "session": session,
        "token": token,
        "service": "surat-domisili",
    }
    weights = {k.name: 1 for k in region_day.DAY}  # every kind alike, so that each appears in a short run
    data = tmp_path / "data.lua"
    data.write_text(lua_data([region], rate=0.0, survey_start=0, connections=2, run_tag="t", weights=weights))
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subprocess.run(  # noqa: S603 - the benchmark's own script and data
            [
                shutil.which("wrk") or "wrk",
                "-t1",
                "-c1",
                "-d1s",
                "-s",
                str(LUA / "mixed.lua"),
                f"http://127.0.0.1:{server.server_port}/",
            ],
            env={"BENCH_LUA_DIR": str(LUA), "BENCH_MIXED_DATA": str(data), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            timeout=60,
        )
    finally:
        server.shutdown()

    by_kind = defaultdict(list)
    for method, path, headers, body in _Recorder.seen:
        by_kind[_kind(method, path)].append((method, path, headers, body))
    assert set(by_kind) == {k.name for k in region_day.DAY}
    for kind, requests in by_kind.items():
        for method, path, headers, body in requests[:3]:  # three each: the complaint throttle allows five
            client = Client(enforce_csrf_checks=True)
            extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k.lower() != "host"}
            extra.pop("HTTP_CONTENT_TYPE", None)
            extra.pop("HTTP_CONTENT_LENGTH", None)
            answer = client.generic(method, path, body, content_type=headers.get("Content-Type", ""), **extra)
            assert answer.status_code in (200, 201), (kind, path, answer.status_code, answer.content[:300])


def _kind(method: str, path: str) -> str:
    if method == "POST":
        return "submission" if "/applications" in path else "complaint" if "/reports" in path else "survey answer"
    if "/track/" in path:
        return "tracking API"
    if "/lacak/" in path:
        return "tracking page"
    if "/kantor/" in path:
        return "officer queue"
    return "Open311 poll" if path.startswith("/open311/") else "public page"

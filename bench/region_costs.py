"""Where a region's peak hour spends the server's time (bench/regions.py --costs): each kind of request of the
profile timed in one process through Django's test client against the prepared database (median of ROUNDS,
spread over the regions), then weighted by its count in the peak hour. Public pages are timed as cache hits
and as misses; the share of misses is estimated from how often what each page shows goes stale
(gerai/core/pagecache.py): the topics the peak hour's writes bump (gerai/core/pagetopics.py: a submission, a
complaint filed and a survey answer bump none), the worker's fold of their rollups (FIGURES, once a pulse
with anything to fold) and the cache's time limit. `miss share before` is the same estimate when every
audited write made every page of its region stale (before topics).

    DJANGO_SETTINGS_MODULE=bench.settings python bench/region_costs.py REGIONS.json [ROUNDS]
    ... bench/region_costs.py REGIONS.json --profile "officer queue" [ROUNDS]   (cProfile, top functions)
Prints one JSON line: {kind: ms} and the public pages' hit and miss times and estimated miss share."""

import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import resolve  # noqa: E402

from bench import region_day  # noqa: E402
from gerai.core import pagecache, pagetopics  # noqa: E402
from gerai.regions.models import Region  # noqa: E402

PDF_LUA = Path(__file__).resolve().parent / "lua" / "pdf.lua"


def _pdf() -> bytes:
    """The PDF mixed.lua sends (bench/lua/pdf.lua, one Lua string of ASCII and escapes)."""
    text = PDF_LUA.read_text(encoding="utf-8")
    return text.split('bench_pdf = "', 1)[1].rsplit('"', 1)[0].encode().decode("unicode_escape").encode("latin-1")


def requests(region: dict, n: int):
    """The same requests as bench/lua/mixed.lua, as test-client calls (kind -> callable)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    slug, code = region["slug"], f"{region['prefix']}-0000-{(n * 37) % region['rows'] + 1:04d}"
    token = {"HTTP_AUTHORIZATION": "Bearer " + region["token"], "HTTP_IDEMPOTENCY_KEY": f"costs-{time.time_ns()}"}
    answers = json.dumps(
        {"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": region["desa"], "telepon": "081234567890"}
    )
    report = {"category": region["category"], "desa": region["desa"], "title": "Jalan rusak", "description": "x" * 40}
    survey = {f"u{k}": "4" for k in range(1, 10)} | {"saran": ""}
    link = _unused_link(region)
    return {
        "submission": lambda c: c.post(
            f"/api/v1/regions/{slug}/services/{region['service']}/applications",
            {"answers": answers, "ktp": SimpleUploadedFile("ktp.pdf", _pdf(), "application/pdf")},
            **token,
        ),
        "tracking API": lambda c: c.get(f"/api/v1/regions/{slug}/track/{code}"),
        "tracking page": lambda c: c.get(f"/{slug}/lacak/?kode={code}"),
        "officer queue": lambda c: c.get(f"/{slug}/kantor/", HTTP_COOKIE=f"sessionid={region['session']}"),
        "complaint": lambda c: c.post(
            f"/api/v1/regions/{slug}/reports", json.dumps(report), content_type="application/json", **token
        ),
        "survey answer": lambda c: c.post(f"/{slug}/survei/{link}/", survey),
        "Open311 poll": lambda c: c.get(f"/open311/v2/requests.json?jurisdiction_id={slug}"),
    }


def _unused_link(region: dict) -> str:
    """The region's last unused survey link: the wrk runs take them from the first."""
    from gerai.surveys.models import SurveyInvitation

    return (
        SurveyInvitation.objects.filter(
            application__region__slug=region["slug"], token__startswith=region["survey_tag"], used_at__isnull=True
        )
        .order_by("-pk")
        .values_list("token", flat=True)[0]
    )


def timed(call, client) -> float:
    started = time.perf_counter()
    answer = call(client)
    took = (time.perf_counter() - started) * 1000
    if answer.status_code >= 400:
        raise SystemExit(f"region_costs: {answer.status_code} {answer.content[:300]!r}")
    return took


#: the action each write of the peak hour records (what bumps the page cache)
WRITE_ACTIONS = {"submission": "application.file", "complaint": "report.file", "survey answer": "survey.answer"}
PULSE_SECONDS = 2  # the worker folds the rollups every pulse (gerai.core.jobs.every_pulse)


def _share(views: float, stales: float) -> float:
    """The share of a page's views that build it, when it goes stale `stales` times an hour at random
    (Poisson) and is viewed `views` times an hour: one build in each interval that has a view."""
    if stales <= 0:
        return 0.0
    per_interval = views / stales
    return (1 - math.exp(-per_interval)) / per_interval


def page_topics(page: str) -> tuple[str, ...] | None:
    """What the page declares it shows (@pagecache.public_page), None when it is never kept."""
    return getattr(resolve(f"/banyuwangi/{page}").func, "page_topics", None)


def miss_shares(*, topics: bool = True) -> dict[str, float]:
    """Each public page's expected share of views that find it stale in a region's peak hour. With `topics`
    (now): a page goes stale when a topic it shows is bumped: by the writes whose actions change it, by the
    fold of the rollups (FIGURES, at most once a pulse) and at the cache's time limit. Without (before): at
    every audited write of the region."""
    peak = region_day.peak_hour()
    writes = sum(peak[kind] for kind in WRITE_ACTIONS)
    bumps: dict[str, float] = {topic: 0.0 for topic in pagetopics.TOPICS}
    for kind, action in WRITE_ACTIONS.items():
        for topic in pagetopics.topics_of(action):
            bumps[topic] += peak[kind]
    pulse = PULSE_SECONDS / 3600
    bumps[pagetopics.FIGURES] += (1 - math.exp(-writes * pulse)) / pulse  # pulses with a change to fold
    expiries = 3600 / settings.GERAI_PUBLIC_CACHE_SECONDS if settings.GERAI_PUBLIC_CACHE_SECONDS else 0.0
    total = sum(region_day.PUBLIC_PAGES.values())
    shares = {}
    for page, weight in region_day.PUBLIC_PAGES.items():
        views = peak["public page"] * weight / total
        shown = page_topics(page)
        if shown is None:
            shares[page] = 1.0  # built at every view
        elif topics:
            shares[page] = _share(views, sum(bumps[t] for t in shown) + expiries)
        else:
            shares[page] = _share(views, writes)
    return shares


def main(path: str, rounds: int) -> None:
    regions = json.loads(Path(path).read_text(encoding="utf-8"))[:10]
    client = Client(HTTP_HOST="127.0.0.1")
    out: dict = {}
    for kind in region_day.peak_hour():
        if kind == "public page":
            continue
        for i in range(len(regions)):  # each region's memos built first (a worker rebuilds them every 30 s)
            timed(requests(regions[i], rounds + i)[kind], client)
        times = [timed(requests(regions[i % len(regions)], i)[kind], client) for i in range(rounds)]
        out[kind] = statistics.median(times)
    hits: dict[str, list[float]] = {p: [] for p in region_day.PUBLIC_PAGES}
    misses: dict[str, list[float]] = {p: [] for p in region_day.PUBLIC_PAGES}
    for i in range(rounds):
        region = regions[i % len(regions)]
        for page in region_day.PUBLIC_PAGES:
            pagecache._bump(Region.objects.get(slug=region["slug"]).pk)
            misses[page].append(timed(lambda c, p=page, s=region["slug"]: c.get(f"/{s}/{p}"), client))
            hits[page].append(timed(lambda c, p=page, s=region["slug"]: c.get(f"/{s}/{p}"), client))
    shares, total = miss_shares(), sum(region_day.PUBLIC_PAGES.values())
    out["public page"] = sum(
        w / total * (shares[p] * statistics.median(misses[p]) + (1 - shares[p]) * statistics.median(hits[p]))
        for p, w in region_day.PUBLIC_PAGES.items()
    )
    out["public page hit"] = sum(w / total * statistics.median(hits[p]) for p, w in region_day.PUBLIC_PAGES.items())
    out["public page miss"] = sum(w / total * statistics.median(misses[p]) for p, w in region_day.PUBLIC_PAGES.items())
    out["public page miss share"] = sum(w / total * shares[p] for p, w in region_day.PUBLIC_PAGES.items())
    before = miss_shares(topics=False)
    out["public page miss share before"] = sum(w / total * before[p] for p, w in region_day.PUBLIC_PAGES.items())
    out["public page before"] = sum(
        w / total * (before[p] * statistics.median(misses[p]) + (1 - before[p]) * statistics.median(hits[p]))
        for p, w in region_day.PUBLIC_PAGES.items()
    )
    out["public page miss shares"] = shares
    print(json.dumps(out))


def _stale_then_get(client, region: dict, page: str):
    pagecache._bump(region["pk"])
    return client.get(f"/{region['slug']}/{page}")


def profile(path: str, kind: str, rounds: int) -> None:
    """cProfile of one kind (a public page as built after a write, or any other kind), top functions by own time."""
    import cProfile
    import pstats

    regions = json.loads(Path(path).read_text(encoding="utf-8"))[:10]
    client = Client(HTTP_HOST="127.0.0.1")
    calls = []
    for i in range(rounds):
        region = regions[i % len(regions)]
        if kind == "public page":
            for page in region_day.PUBLIC_PAGES:
                calls.append(lambda c, p=page, r=region: _stale_then_get(c, r, p))
        else:
            calls.append(requests(region, i)[kind])
    for region in regions:
        region["pk"] = Region.objects.get(slug=region["slug"]).pk
    timed(calls[0], client)
    profiler = cProfile.Profile()
    profiler.enable()
    for call in calls[1:]:
        call(client)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[2] == "--profile":
        profile(sys.argv[1], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10)
    else:
        main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)

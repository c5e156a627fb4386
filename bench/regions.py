"""Regions per server (issue #20): how many Banyuwangi-sized regencies one 2-core server carries at their
peak hour, served at once.

It prepares N regions (bench/fill_regions.py: Banyuwangi's demo and real regencies onboarded and adopting its
catalogue), starts granian as bench/run.py does (WSGI, 2 workers, 4 blocking threads) and replays the peak
hour of bench/region_day.py with wrk and bench/lua/mixed.lua: every request's kind drawn by the profile's
weights, its region among the N. The load is open-loop: Poisson arrivals at N x the per-region peak rate (wrk 4
has no -R, so the script's delay() keeps the schedule). It raises N until a step fails (p99 over 500 ms, an
answer other than 2xx/3xx, the server falling behind the offered rate, or more than 1 % of requests sent over
100 ms late), then bisects. It also measures the mix in a closed loop (16 connections, as fast as it goes).

It reports the regions carried, each granian worker's RSS after the run (goal <= 150 MB), the database's size
and the cost of 1,000 requests at bench/region_day.py's price per server-hour.

    python bench/regions.py [--db sqlite postgresql] [--regions 160] [--duration 30] [--quick] [--reuse]
"""

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import region_day
from bench.run import LUA, PY, ROOT, run, start_server, stop_server, worker_rss, wrk_url

PORT = int(os.environ.get("BENCH_PORT", "8766"))
PG_URL = os.environ.get("BENCH_REGIONS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gerai_regions")
#: production keeps the page cache and the throttles' counters in Redis; db 13 is this benchmark's own
REDIS_URL = os.environ.get("BENCH_REGIONS_REDIS_URL", "redis://127.0.0.1:6379/13")
P99_LIMIT_MS = 500.0
#: hello on granian, 2 workers, on the reference 2-core machine (../shared/reference/performance.md)
REFERENCE_HELLO_RPS = 14_351


def env_for(db: str) -> dict:
    var = ROOT / "var" / f"bench-regions-{db}"
    var.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GERAI_VAR_DIR": str(var),
        "GERAI_HTTPS": "false",
        "GERAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_LUA_DIR": str(LUA),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": PG_URL if db == "postgresql" else f"sqlite:///{var / 'bench.sqlite3'}",
    }
    if REDIS_URL:
        env["GERAI_REDIS_URL"] = REDIS_URL
    return env


def prepare(db: str, env: dict, regions: int, rows: int, surveys: int) -> list[dict]:
    """The platform with the demo (once), then N regions (bench/fill_regions.py fills only what is missing)."""
    var = Path(env["GERAI_VAR_DIR"])
    if not (var / "demo-loaded").exists():
        if db == "postgresql":
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_URL.rsplit("/", 1)[1]],
                capture_output=True,
                check=False,
            )
        run([PY, "manage.py", "migrate", "-v0"], env)
        run([PY, "manage.py", "createcachetable"], env)
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        run([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
        (var / "demo-loaded").write_text("")
    started = time.monotonic()
    out = run(
        [PY, "bench/fill_regions.py", str(regions), str(rows), str(surveys)], env, capture_output=True, text=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    (var / "regions.json").write_text(json.dumps([r | {"service": data["service"]} for r in data["regions"]]))
    print(f"   {len(data['regions'])} regions ready ({time.monotonic() - started:.0f} s)", flush=True)
    return [r | {"service": data["service"]} for r in data["regions"]]


def lua_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_value(k)}] = {lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=True)  # ASCII JSON string escapes are Lua 5.1's too


def lua_data(
    regions: list[dict], *, rate: float, survey_start: int, connections: int, run_tag: str, weights: dict | None = None
) -> str:
    """The data mixed.lua reads: the regions, the profile's weights (requests per peak hour) and the pacing."""
    peak = weights or region_day.peak_hour()
    fields = ("slug", "prefix", "rows", "desa", "category", "survey_tag", "surveys", "session", "token")
    return "\n".join(
        [
            "-- written by bench/regions.py from bench/region_day.py and bench/fill_regions.py",
            f"regions = {lua_value([{k: r[k] for k in fields} for r in regions])}",
            f"kinds = {lua_value([{'name': k, 'weight': w} for k, w in peak.items()])}",
            f"pages = {lua_value([{'path': p, 'weight': w} for p, w in region_day.PUBLIC_PAGES.items()])}",
            f"service = {lua_value(regions[0]['service'])}",
            f"rate = {rate!r}",
            f"survey_start = {survey_start}",
            f"connections = {connections}",
            f"run_tag = {lua_value(run_tag)}",
            "",
        ]
    )


def connections_for(rate: float) -> int:
    """Enough connections that the schedule never waits for one below the p99 limit: rate x 0.5 s, plus 16."""
    return min(1000, int(math.ceil(rate * P99_LIMIT_MS / 1000)) + 16)


class Mixed:
    """One wrk run of the mix, and the survey links it has used up (each answers once): survey_start is the
    first index of each region's links that no run has used yet."""

    def __init__(self, env: dict, regions: list[dict], server: subprocess.Popen | None = None):
        self.env, self.regions, self.server = env, regions, server
        self.state = Path(env["GERAI_VAR_DIR"]) / "surveys-used"
        self.survey_start = int(self.state.read_text()) if self.state.exists() else 0
        self.runs = 0

    def __call__(self, n: int, rate: float, duration: float, connections: int) -> dict:
        self.runs += 1
        data = Path(self.env["GERAI_VAR_DIR"]) / "mixed-data.lua"
        tag = f"{int(time.time())}-{self.runs}"
        data.write_text(
            lua_data(self.regions[:n], rate=rate, survey_start=self.survey_start, connections=connections, run_tag=tag)
        )
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout", "10s"]
        cmd += ["-s", str(LUA / "mixed.lua"), f"http://127.0.0.1:{PORT}/"]
        env = self.env | {"BENCH_MIXED_DATA": str(data)}
        pids = server_pids(self.server, self.env) if self.server else []
        cpu_before = cpu_seconds(pids)
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 120)
        cpu = cpu_seconds(pids) - cpu_before
        if out.returncode != 0 or "mixed:" not in out.stdout:
            raise SystemExit(f"bench: wrk failed\n{out.stdout}\n{out.stderr}")
        result = parse(out.stdout)
        # the links this run may have used: up to ceil(sent / n) of each of its n regions
        self.survey_start += math.ceil(result["sent"].get("survey answer", 0) / n) + 1
        self.state.write_text(str(self.survey_start))
        served = result["rps"] * duration
        return result | {
            "regions": n,
            "offered_rps": rate,
            "connections": connections,
            "seconds": duration,
            "cpu_s": cpu,
            "cpu_ms_per_request": cpu * 1000 / served if served else 0.0,
        }


def server_pids(server: subprocess.Popen, env: dict) -> list[int]:
    """The processes that serve: granian and its workers, and on PostgreSQL this database's backends (the
    server is shared with other databases; Redis, shared too, is left out)."""
    out = subprocess.run(["ps", "--ppid", str(server.pid), "-o", "pid="], capture_output=True, text=True).stdout
    pids = [server.pid, *(int(p) for p in out.split())]
    if env["DATABASE_URL"].startswith("postgres"):
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        out = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-Atc", query], capture_output=True, text=True
        ).stdout
        pids += [int(p) for p in out.split()]
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (those gone since count as 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def parse(out: str) -> dict:
    mixed = json.loads(out.split("mixed:", 1)[1].strip().splitlines()[0])
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise SystemExit(f"bench: no throughput in wrk's output\n{out}")
    rps = float(found.group(1))
    sock = (
        sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out.split("Socket errors:")[1]))
        if "Socket errors:" in out
        else 0
    )
    unexpected = {code: count for code, count in mixed["status"].items() if not 200 <= int(code) < 400}
    return mixed | {"rps": rps, "socket_errors": sock, "unexpected": unexpected}


def verdict(result: dict) -> list[str]:
    """Why a step fails (empty: it passes)."""
    problems = []
    if result["p99_ms"] > P99_LIMIT_MS:
        problems.append(f"p99 {result['p99_ms']:.0f} ms")
    if result["unexpected"]:
        problems.append("answers " + ", ".join(f"{c} x{n}" for c, n in sorted(result["unexpected"].items())))
    if result["socket_errors"]:
        problems.append(f"{result['socket_errors']} socket errors")
    # Poisson arrivals: the count offered in a step varies by its square root, so three of those are allowed
    # (4 % at 20 req/s for 30 s, 27 % at 4 req/s); lateness, checked below, says whether the server kept up
    offered = result["offered_rps"] * result["seconds"]
    if offered and result["rps"] * result["seconds"] < offered - 3 * math.sqrt(offered):
        problems.append(f"served {result['rps']:.1f} of {result['offered_rps']:.1f} req/s offered")
    sent = sum(result["sent"].values()) or 1
    if result["late"] > 0.01 * sent:
        problems.append(f"{result['late']} requests sent > 100 ms late (the server fell behind)")
    return problems


def show(result: dict, problems: list[str]) -> None:
    print(
        f"   N={result['regions']:4d}  offered {result['offered_rps']:7.1f} req/s  served {result['rps']:7.1f}  "
        f"p50 {result['p50_ms']:6.1f}  p99 {result['p99_ms']:7.1f} ms  late {result['late']:4d}  "
        f"c={result['connections']:3d}  " + ("ok" if not problems else "FAILS: " + "; ".join(problems)),
        flush=True,
    )


def ramp(mixed: Mixed, args, available: int) -> tuple[int, list[dict]]:
    """Raise N (doubling) until a step fails, then bisect: the largest N that passed."""
    per_region = region_day.per_region_rate()
    steps: list[dict] = []

    def step(n: int) -> bool:
        rate = n * per_region
        connections = connections_for(rate)
        mixed(n, rate, args.warmup, connections)  # new regions' pages, memos and connections; not measured
        result = mixed(n, rate, args.duration, connections)
        problems = verdict(result)
        show(result, problems)
        steps.append(result | {"problems": problems})
        return not problems

    good, bad = 0, None
    n = min(args.start, available)
    while True:
        if step(n):
            good = n
            if n >= available:
                break
            n = min(available, n * 2)
        else:
            bad = n
            break
    while bad is not None and bad - good > max(1, good // 10) and len(steps) < args.max_steps:
        n = (good + bad) // 2
        if step(n):
            good = n
        else:
            bad = n
    return good, steps


def hello_rps(env: dict, seconds: float) -> float:
    """The plain view's throughput now (wrk, 16 connections): how fast this shared machine is at the moment."""
    return wrk_url(f"http://127.0.0.1:{PORT}/bench/hello", "", env, max(1, int(seconds)), 16)["rps"]


def costs_in_process(env: dict, rounds: int) -> dict:
    """Each kind's time in one process (bench/region_costs.py), with the server stopped."""
    regions = str(Path(env["GERAI_VAR_DIR"]) / "regions.json")
    out = run([PY, "bench/region_costs.py", regions, str(rounds)], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def where_the_time_goes(costs: dict) -> list[str]:
    """Each kind's time weighted by its count in a region's peak hour: the share of the server it takes."""
    peak = region_day.peak_hour()
    spent = {kind: costs[kind] * count for kind, count in peak.items()}
    total = sum(spent.values())
    lines = ["   where a region's peak hour goes (in process, one request at a time, median ms):"]
    for kind, ms in sorted(spent.items(), key=lambda item: -item[1]):
        lines.append(
            f"     {kind:15s} {costs[kind]:7.1f} ms x {peak[kind]:5,d} = {ms / 1000:6.1f} s  {ms / total:4.0%}"
        )
    lines.append(
        f"     public pages: {costs['public page hit']:.1f} ms kept, {costs['public page miss']:.1f} ms built; "
        f"{costs['public page miss share']:.0%} of views find their page stale (the topics it shows bumped, the "
        f"fold, the time limit; {costs['public page miss share before']:.0%} and {costs['public page before']:.1f} "
        "ms a view when every audited write made the region's pages stale)"
    )
    lines.append(
        f"     {total / 1000:.0f} s of one core per region-hour: two cores fully busy would carry "
        f"{2 * 3_600_000 / total:.0f} regions"
    )
    return lines


def db_size(db: str, env: dict) -> float:
    """The database's size on disk, MB."""
    if db == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    out = run(
        [
            PY,
            "-c",
            "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
            "c.execute('SELECT pg_database_size(current_database())'); print(c.fetchone()[0])",
        ],
        env,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.split()[-1]) / 1e6


def bench_db(db: str, args) -> dict:
    env = env_for(db)
    print(f"\n== {db}: preparing {args.regions} regions", flush=True)
    regions = prepare(db, env, args.regions, args.rows, args.surveys)
    run([PY, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"], env)
    server = start_server(env, PORT)
    mixed = Mixed(env, regions, server)
    try:
        print(
            f"   per region at peak: {region_day.per_region_rate():.2f} req/s "
            f"({sum(region_day.peak_hour().values()):,} requests in the hour)",
            flush=True,
        )
        hello = [hello_rps(env, args.warmup)]
        closed = mixed(len(regions), 0.0, args.warmup, 16)
        closed = mixed(len(regions), 0.0, args.duration, 16)
        print(
            f"   closed loop, {len(regions)} regions, 16 connections: {closed['rps']:.1f} req/s, "
            f"p99 {closed['p99_ms']:.0f} ms, unexpected answers {closed['unexpected'] or 'none'}",
            flush=True,
        )
        carried, steps = ramp(mixed, args, len(regions))
        rss = worker_rss(server)
        hello.append(hello_rps(env, args.warmup))
        print(f"   hello before and after: {hello[0]:.0f} and {hello[1]:.0f} req/s", flush=True)
    finally:
        stop_server(server)
    costs = costs_in_process(env, args.cost_rounds)
    return {
        "costs_ms": costs,
        "hello_rps": hello,
        "regions_available": len(regions),
        "regions_carried": carried,
        "closed_loop": closed,
        "steps": steps,
        "workers_rss_mb": rss,
        "db_mb": db_size(db, env),
        "per_region_rps": region_day.per_region_rate(),
    }


def report(db: str, r: dict) -> list[str]:
    per_region = r["per_region_rps"]
    carried = r["regions_carried"]
    closed = r["closed_loop"]["rps"]
    rupiah_hour = region_day.server_rupiah_per_hour()
    day_requests = sum(k.per_day for k in region_day.DAY)

    def cost(regions: float) -> str:
        """Rupiah per 1,000 requests: at peak, and over a region's day on a server sized for its peak."""
        if not regions:
            return "n/a (no region carried)"
        at_peak = region_day.rupiah_per_thousand(regions * per_region)
        return f"Rp {at_peak:.2f} at peak, Rp {rupiah_hour * 24 / regions / day_requests * 1000:.2f} over the day"

    limit = " (every region prepared: raise --regions)" if carried and carried >= r["regions_available"] else ""
    hello = sum(r["hello_rps"]) / len(r["hello_rps"])
    cpu_ms = statistics.median([s["cpu_ms_per_request"] for s in [r["closed_loop"], *r["steps"]]])
    cpu_regions = 2000 / (cpu_ms * per_region) if cpu_ms else 0.0
    backends = ", PostgreSQL backends" if db == "postgresql" else ""
    scale = REFERENCE_HELLO_RPS / hello
    return [
        f"\n== {db}: regions per server (2 workers, shared 2-core machine: absolute figures are noisy)",
        f"   regions carried at peak: {carried}{limit}  (goal 100; {carried / 100:.2f} x the goal)",
        f"   closed-loop capacity of the mix: {closed:.1f} req/s = {closed / per_region:.0f} regions' peak "
        f"(p99 {r['closed_loop']['p99_ms']:.0f} ms); the paced figure is {carried * per_region / closed:.2f} x it",
        f"   hello meanwhile {hello:.0f} req/s; the mix's closed-loop capacity is {closed / hello:.4f} x hello. Scaled "
        f"to the reference machine's hello ({REFERENCE_HELLO_RPS:,} req/s, an estimate): {carried * scale:.0f} regions "
        f"paced, {closed * scale / per_region:.0f} by the closed loop",
        f"   CPU per request of the mix (granian and its workers{backends}): "
        f"{cpu_ms:.1f} ms (median of the steps): two cores of its own would carry {cpu_regions:.0f} regions "
        f"(2,000 ms a second / ({cpu_ms:.1f} ms x {per_region:.2f} req/s))",
        f"   worker RSS after the run: {', '.join(f'{x:.0f}' for x in r['workers_rss_mb'])} MB (goal <= 150 MB)",
        f"   database on disk: {r['db_mb']:.0f} MB (with every region prepared in it so far)",
        f"   cost per 1,000 requests at Rp {rupiah_hour:,.0f} per server-hour (ASSUMPTION, bench/region_day.py), on a "
        f"server sized for the peak: {cost(carried)} with the regions carried here; {cost(cpu_regions)} with "
        f"the regions two cores of its own would carry",
        *where_the_time_goes(r["costs_ms"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument("--regions", type=int, default=160, help="regions prepared (the most the ramp tries)")
    parser.add_argument("--rows", type=int, default=3000, help="synthetic applications per region")
    parser.add_argument("--surveys", type=int, default=200, help="one-use survey links per region")
    parser.add_argument("--start", type=int, default=10, help="the ramp's first N")
    parser.add_argument("--duration", type=float, default=30, help="seconds measured per step")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load before each step, not measured")
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--cost-rounds", type=int, default=15, help="in-process timings of each kind (medians)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 small regions, 3-second steps")
    args = parser.parse_args()
    if args.quick:
        args.regions, args.rows, args.surveys, args.start = 3, 300, 50, 1
        args.duration, args.warmup, args.max_steps, args.cost_rounds = 3, 1, 4, 3
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk; `make bench-regions` does it)")
    lines = []
    for db in args.db:
        results = bench_db(db, args)
        lines += report(db, results)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / f"regions-{db}{'-quick' if args.quick else ''}.json").write_text(json.dumps(results, indent=2))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

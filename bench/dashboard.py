"""The dashboards' benchmark: the same transparency pages served from a database of 100,000
applications and from one of 10,000,000 (PostgreSQL, granian, the production configuration), both
servers up at once and measured in interleaved rounds. It prints the cost of each page at 10M as a
ratio to its cost at 100k (target at most 1.5: the pages read rollups, not the history) and each
against the plain "hello" view of the same server.

    python bench/dashboard.py [--sizes 100000 10000000] [--duration 10] [--rounds 3]

Filling 10M rows takes a while (COPY, then the rollups' rebuild); a database already filled is reused.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import time

from run import PY, ROOT, env_for, run, start_server, stop_server, wrk_url

PAGES = {
    "region": "/banyuwangi/transparansi/",
    "kecamatan": "/banyuwangi/transparansi/?kecamatan=35.10.15",
    "agency": "/banyuwangi/transparansi/?instansi=dispendukcapil",
    "open data": "/banyuwangi/data/statistik-layanan-bulanan.csv",
}
TARGET = 1.5


def prepare(size: int, *, build: bool = True) -> dict:
    name = f"gerai_dash_{size}"
    env = env_for("postgresql", size) | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "GERAI_VAR_DIR": str(ROOT / "var" / f"bench-dash-{size}"),
        "BENCH_EVENTS": "0",
        "BENCH_REPORTS": str(size // 10),
        "BENCH_SURVEYS": str(size // 20),
    }
    (ROOT / "var" / f"bench-dash-{size}").mkdir(parents=True, exist_ok=True)
    if not build:
        return env
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
    print(f"\n== {size:,} applications ({name})", flush=True)
    run([PY, "manage.py", "migrate", "-v0"], env)
    run([PY, "manage.py", "createcachetable"], env)
    run([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    run([PY, "bench/fill.py", str(size)], env)
    started = time.monotonic()
    run([PY, "manage.py", "rollups_rebuild", "banyuwangi"], env)
    print(f"   rollups rebuilt in {time.monotonic() - started:.0f} s", flush=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 10_000_000])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure-only", action="store_true", help="the databases were filled by an earlier run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk; `make bench` does it)")
    small, large = args.sizes
    envs = {size: prepare(size, build=not args.measure_only) for size in (small, large)}
    ports = {small: 8771, large: 8772}
    servers = {size: start_server(env, ports[size]) for size, env in envs.items()}
    results: dict = {size: {name: [] for name in ["hello", *PAGES]} for size in envs}
    try:
        urls = {size: {"hello": f"http://127.0.0.1:{ports[size]}/bench/hello"} for size in envs}
        for size in envs:
            urls[size] |= {name: f"http://127.0.0.1:{ports[size]}{path}" for name, path in PAGES.items()}
        for size in envs:  # warm-up
            for url in urls[size].values():
                wrk_url(url, "", envs[size], 2, args.connections)
        for _ in range(args.rounds):  # interleaved, so a noisy moment hits both sizes alike
            for name in results[small]:
                for size in envs:
                    results[size][name].append(
                        wrk_url(urls[size][name], "", envs[size], args.duration, args.connections)
                    )
    finally:
        for server in servers.values():
            stop_server(server)
    med = {
        size: {
            name: {
                "rps": statistics.median(r["rps"] for r in runs),
                "p99": statistics.median(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
            }
            for name, runs in by_name.items()
        }
        for size, by_name in results.items()
    }
    print(f"\n== dashboards: cost at {large:,} as a ratio to {small:,} (target <= {TARGET}), medians of {args.rounds}")
    failures = []
    for name in PAGES:
        a, b = med[small][name], med[large][name]
        ratio = a["rps"] / b["rps"]
        verdict = "ok" if ratio <= TARGET and not (a["errors"] or b["errors"]) else "ABOVE TARGET"
        if verdict != "ok":
            failures.append(name)
        print(
            f"   {name:10s} {a['rps']:7.0f} -> {b['rps']:7.0f} req/s   cost x{ratio:4.2f}   "
            f"p99 {a['p99']:6.1f} -> {b['p99']:6.1f} ms   vs hello {a['rps'] / med[small]['hello']['rps']:.4f} / "
            f"{b['rps'] / med[large]['hello']['rps']:.4f}   errors {a['errors'] + b['errors']}   {verdict}"
        )
    hello = {size: med[size]["hello"] for size in envs}
    print(f"   hello      {hello[small]['rps']:7.0f} / {hello[large]['rps']:7.0f} req/s (the baseline of each server)")
    print("   " + ("all targets met" if not failures else "not met: " + ", ".join(failures)))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()

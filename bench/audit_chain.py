"""What the audit log's hash chain costs a write: N audit_record calls, each in its own transaction
(as every service writes one), against N bare inserts of the same row; and what audit_verify and a
checkpoint cost per entry. Runs on the database the environment names (a migrated one).

    GERAI_VAR_DIR=… python bench/audit_chain.py [--n 2000]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerai.settings")
import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gerai.audit import chain  # noqa: E402
from gerai.audit.models import AuditEntry  # noqa: E402
from gerai.audit.services import audit_record  # noqa: E402
from gerai.core.actors import Actor  # noqa: E402
from gerai.regions.models import Region  # noqa: E402


def timed(n: int, write) -> float:
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            write(i)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    region = Region.objects.order_by("pk").first()
    actor = Actor(user=None, ip="10.0.0.1", via="web")

    counter = iter(range(10**9))

    def bare(i):
        AuditEntry.objects.create(
            region=region,
            via="web",
            action="bench.bare",
            changes={"i": i},
            ip="10.0.0.1",
            at=timezone.now(),
            chain="bench-bare",
            seq=next(counter),
        )

    def chained(i):
        audit_record(actor=actor, action="bench.chain", region=region, changes={"i": i})

    for _ in range(2):  # warm up, then measure each twice, alternating
        timed(50, bare)
        timed(50, chained)
    results = {"bare insert": [], "audit_record (chained)": []}
    for _ in range(2):
        results["bare insert"].append(timed(n, bare))
        results["audit_record (chained)"].append(timed(n, chained))
    for name, values in results.items():
        print(f"{name:26s} {min(values):8.0f} µs per write (best of 2 runs of {n})")
    name = chain.chain_for(region.pk)
    start = time.perf_counter()
    verdict = chain.verify_chain(name)
    per = (time.perf_counter() - start) / max(verdict.count, 1) * 1e6
    print(f"audit_verify               {per:8.1f} µs per entry ({verdict.count} entries, sound={verdict.ok})")
    AuditEntry.objects.filter(chain="bench-bare").delete()


if __name__ == "__main__":
    main()

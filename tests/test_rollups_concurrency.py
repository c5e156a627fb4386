"""Rollup counters under concurrent changes: several processes record submissions for rows that do not
exist yet (the first applications of a month), some of their transactions roll back, and each process
also adds pending changes to the rollups between its own, racing the others' folds. Every committed
submission must be counted exactly once at every grain. Real processes need a server database, so this
runs on PostgreSQL."""

import datetime as dt
import multiprocessing
import os
import random

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PROCESSES, ROUNDS = 6, 15
DESA = "35.10.15.2004"


class Abandoned(Exception):
    pass


def _count_many(database_url: str, region_id: int, service_id: int, month: str, seed: int, queue) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("GERAI_SECRET_KEY", "rollup-test-" + "x" * 40)
    import django

    django.setup()
    from django.db import transaction

    from gerai.dashboards.rollups import application_contribution, record, rollups_fold
    from gerai.regions.models import Region

    region = Region.objects.get(pk=region_id)
    moment = dt.datetime.fromisoformat(month)
    state = (region_id, service_id, DESA, "submitted", moment, None, None, None, False)
    rng = random.Random(seed)
    committed = 0
    for _ in range(ROUNDS):
        try:
            with transaction.atomic():
                record(application_contribution(state, region))
                if rng.random() < 0.3:
                    raise Abandoned
            committed += 1
        except Abandoned:
            pass
        if rng.random() < 0.5:
            rollups_fold(limit=3)
    rollups_fold()  # the last process to finish adds whatever the others left
    queue.put(committed)


def _clean_up(database_url: str, region_id: int, month: str) -> None:
    """Committed rows outlive the test's own transaction: another process removes them."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("GERAI_SECRET_KEY", "rollup-test-" + "x" * 40)
    import django

    django.setup()
    from gerai.dashboards.models import ApplicationMonth, PendingChange

    ApplicationMonth.objects.filter(region_id=region_id, month=month).delete()
    PendingChange.objects.filter(region_id=region_id).delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="processes need a shared server database")
def test_concurrent_changes_count_once_at_every_grain(banyuwangi):
    from gerai.catalog.models import Service
    from gerai.dashboards.models import ApplicationMonth, PendingChange

    service = Service.objects.get(region=banyuwangi, slug="akta-kelahiran")
    # a month of its own, far in the future
    month = dt.datetime(2100 + random.randrange(800), random.randrange(1, 13), 10, 12, tzinfo=dt.UTC)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [
        ctx.Process(target=_count_many, args=(url, banyuwangi.pk, service.pk, month.isoformat(), seed, queue))
        for seed in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    committed = sum(queue.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert 0 < committed < PROCESSES * ROUNDS  # some rolled back
    rows = ApplicationMonth.objects.filter(region=banyuwangi, service=service, month=month.date().replace(day=1))
    assert sorted(rows.values_list("level", "submitted")) == [(0, committed), (3, committed), (5, committed)]
    assert not PendingChange.objects.filter(region=banyuwangi).exists()
    cleaner = ctx.Process(target=_clean_up, args=(url, banyuwangi.pk, month.date().replace(day=1).isoformat()))
    cleaner.start()
    cleaner.join(timeout=60)

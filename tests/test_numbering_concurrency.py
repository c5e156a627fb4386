"""Letter numbers under concurrent signing: several processes allocate from one sequence at once,
some of their transactions roll back (a failed signature), and the committed numbers must be exactly
1..N: no duplicates, no gaps. Real processes need a server database, so this runs on PostgreSQL."""

import multiprocessing
import os
import random
import time
import uuid

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PROCESSES, ROUNDS = 6, 12


class SigningFailed(Exception):
    pass


def _sign_many(database_url: str, agency_id: int, classification: str, seed: int, queue) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("GERAI_SECRET_KEY", "numbering-test-" + "x" * 40)
    import django

    django.setup()
    from django.db import transaction

    from gerai.documents.services import letter_number_allocate
    from gerai.regions.models import Agency

    agency = Agency.objects.get(pk=agency_id)
    rng = random.Random(seed)
    committed, rolled_back = [], 0
    for _ in range(ROUNDS):
        try:
            with transaction.atomic():
                number = letter_number_allocate(agency=agency, classification=classification, year=2026)
                time.sleep(rng.uniform(0, 0.01))  # rendering and signing while the number is held
                if rng.random() < 0.25:
                    raise SigningFailed
            committed.append(number)
        except SigningFailed:
            rolled_back += 1
    queue.put((committed, rolled_back))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="processes need a shared server database")
def test_concurrent_signers_get_gapless_unique_numbers(banyuwangi):
    from gerai.documents.models import LetterSequence
    from gerai.regions.models import Agency

    agency = Agency.objects.get(region=banyuwangi, area_id="35.10.15.2004")
    classification = "T" + uuid.uuid4().hex[:10]  # committed rows outlive the test: keep them apart
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [
        ctx.Process(target=_sign_many, args=(url, agency.pk, classification, seed, queue)) for seed in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    numbers = sorted(n for committed, _ in results for n in committed)
    assert sum(rolled for _, rolled in results) > 0  # the test did exercise rollbacks
    assert numbers == list(range(1, len(numbers) + 1))
    assert LetterSequence.objects.get(agency=agency, classification=classification, year=2026).last_number == len(
        numbers
    )

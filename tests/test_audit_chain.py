"""The audit log's hash chain: every edit, deletion, reordering and truncation is named by audit_verify."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gerai.audit import chain
from gerai.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from gerai.audit.services import audit_record
from gerai.core.actors import Actor


@pytest.fixture(autouse=True)
def _own_witness(settings, tmp_path):
    settings.GERAI_AUDIT_WITNESS = tmp_path / "checkpoints.jsonl"


@pytest.fixture
def log(personas):
    """Ten entries in region A's chain, signed at entry 10, then two more."""
    region = personas.a.region
    actor = Actor(user=personas.admin, ip="10.0.0.7", via="web")
    global BASE
    BASE = AuditChainHead.objects.get(chain=chain.chain_for(region.pk)).seq  # what making the region wrote
    for n in range(12):
        with transaction.atomic():
            audit_record(actor=actor, action="test.write", region=region, obj=personas.citizen, changes={"n": n})
        if n == 9:
            with transaction.atomic():
                chain.checkpoint(chain.chain_for(region.pk))
    return chain.chain_for(region.pk)


def verify(name):
    out = io.StringIO()
    try:
        call_command("audit_verify", chain=name, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


BASE = 0


def entry(name, n):
    """The fixture's n-th entry (1 to 12)."""
    return AuditEntry.objects.get(chain=name, seq=BASE + n)


def at(n):
    return BASE + n


def test_a_sound_chain_verifies_and_every_region_has_its_own(log, personas):
    base = AuditEntry.objects.filter(chain=log).count()
    ok, out = verify(log)
    assert ok and f"{base} entries, sound" in out
    assert AuditEntry.objects.filter(chain=log).order_by("seq").first().seq == 1
    other = chain.chain_for(personas.b.region.pk)
    assert not AuditEntry.objects.filter(chain=log, region=personas.b.region).exists()
    assert verify(other)[0]
    call_command("audit_verify", stdout=io.StringIO())  # every chain, the platform's included


def test_an_edited_entry_is_named(log):
    target = entry(log, 5)
    AuditEntry.objects.filter(pk=target.pk).update(ip="10.6.6.6", actor=None)
    ok, out = verify(log)
    assert not ok and f"BROKEN at entry {at(5)}" in out and "changed" in out


def test_an_edited_changes_field_is_named(log):
    target = entry(log, 7)
    AuditEntry.objects.filter(pk=target.pk).update(changes={"n": 99})
    assert f"BROKEN at entry {at(7)}" in verify(log)[1]


def test_an_entry_given_to_another_actor_is_named(log, personas):
    AuditEntry.objects.filter(pk=entry(log, 3).pk).update(actor=personas.supervisor)
    assert f"BROKEN at entry {at(3)}" in verify(log)[1]


def test_an_edit_that_rehashes_the_entry_breaks_the_next_link(log):
    target = entry(log, 4)
    target.changes = {"n": 1000}
    target.hash = chain.entry_hash(target)
    target.save()
    ok, out = verify(log)
    assert not ok and f"BROKEN at entry {at(5)}" in out and "does not follow" in out


def test_a_deleted_entry_is_named(log):
    AuditEntry.objects.filter(pk=entry(log, 6).pk).delete()
    ok, out = verify(log)
    assert not ok and f"BROKEN at entry {at(6)}" in out and "missing" in out


def test_reordered_entries_are_named(log):
    a, b = entry(log, 3), entry(log, 4)
    AuditEntry.objects.filter(pk=a.pk).update(seq=100000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=at(3))
    AuditEntry.objects.filter(pk=a.pk).update(seq=at(4))
    ok, out = verify(log)
    assert not ok and f"BROKEN at entry {at(3)}" in out


def test_a_cut_tail_is_caught_by_the_signed_checkpoint(log):
    # cut the last four entries (two of them signed at entry 10) and rewrite the head to match
    AuditEntry.objects.filter(chain=log, seq__gt=at(8)).delete()
    last = entry(log, 8)
    AuditChainHead.objects.filter(chain=log).update(seq=at(8), hash=last.hash)
    ok, out = verify(log)
    assert not ok and "cut" in out


def test_a_cut_tail_with_its_checkpoints_deleted_is_caught_by_the_witness(log):
    AuditEntry.objects.filter(chain=log, seq__gt=at(8)).delete()
    AuditChainHead.objects.filter(chain=log).update(seq=at(8), hash=entry(log, 8).hash)
    AuditCheckpoint.objects.filter(chain=log).delete()
    ok, out = verify(log)
    assert not ok and "cut" in out


def test_a_forged_checkpoint_is_refused(log):
    AuditEntry.objects.filter(chain=log, seq__gt=at(8)).delete()
    AuditChainHead.objects.filter(chain=log).update(seq=at(8), hash=entry(log, 8).hash)
    AuditCheckpoint.objects.filter(chain=log).update(seq=at(8), hash=entry(log, 8).hash)
    chain.witness_path().write_text("")
    ok, out = verify(log)
    assert not ok and "bad signature" in out


def test_a_cut_tail_after_the_last_checkpoint_is_caught_by_the_head(log):
    AuditEntry.objects.filter(chain=log, seq=at(12)).delete()
    ok, out = verify(log)
    assert not ok and f"head says {at(12)}" in out


def test_checkpoint_signs_only_a_sound_chain_and_writes_the_witness(log):
    with transaction.atomic():
        made = chain.checkpoint(log)
    assert made is not None and made.verified and made.seq == at(12)
    row = json.loads(chain.witness_path().read_text().splitlines()[-1])
    assert row["seq"] == at(12) and row["sig"] == made.signature
    AuditEntry.objects.filter(pk=entry(log, 2).pk).update(action="test.other")
    with transaction.atomic():
        audit_record(actor=Actor.system(), action="test.write", region=entry(log, 1).region)
    with transaction.atomic():
        # the incremental check reads only entry 13 on: the edit of entry 2 is for audit_verify
        assert chain.checkpoint(log).verified
    with transaction.atomic():
        audit_record(actor=Actor.system(), action="test.write", region=entry(log, 1).region)
    AuditEntry.objects.filter(pk=entry(log, 14).pk).update(action="test.other")
    with transaction.atomic():
        broken = chain.checkpoint(log)
    assert not broken.verified and f"entry {at(14)}" in broken.problem
    with transaction.atomic():
        assert chain.checkpoint(log) is None  # a broken chain is not signed over


def test_the_audit_page_shows_the_chain_state(log, personas):
    page = personas.client("admin").get(f"/{personas.a.region.slug}/kantor/audit/")
    assert page.status_code == 200
    assert "no break found" in page.text or "tidak ada" in page.text.lower()
    AuditEntry.objects.filter(pk=entry(log, 12).pk).update(action="test.other")  # after the last checkpoint
    page = personas.client("admin").get(f"/{personas.a.region.slug}/kantor/audit/")
    assert 'role="alert"' in page.text


def test_existing_entries_are_linked_by_the_migration(personas):
    from django.apps import apps as global_apps

    from gerai.audit.migrations import __name__ as pkg  # noqa: F401

    module = __import__("gerai.audit.migrations.0002_hash_chain", fromlist=["link_existing"])
    region = personas.a.region
    name = chain.chain_for(region.pk)
    AuditEntry.objects.filter(chain=name).update(seq=None, hash="", prev_hash="", chain="")
    AuditChainHead.objects.filter(chain=name).delete()
    module.link_existing(global_apps, None)
    ok, out = verify(name)
    assert ok, out


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_one_region_never_fork_the_chain(settings):
    """On PostgreSQL the head row's lock makes concurrent writers take turns (CI runs this there)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has a single writer")
    from tests.factories import make_region

    region = make_region("63.01", "tanahlaut-uji", "TTL").region

    def write():
        try:
            for n in range(15):
                with transaction.atomic():
                    audit_record(actor=Actor.system(), action="test.race", region=region, changes={"n": n})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert chain.verify_chain(chain.chain_for(region.pk)).ok
    assert AuditEntry.objects.filter(action="test.race").count() == 45

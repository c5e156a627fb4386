"""The audit log's hash chains and their signed checkpoints.

Every region has one chain (and platform-wide entries one more). An entry's `hash` is SHA-256 over a
canonical JSON of its content and the previous entry's hash, so editing, deleting or reordering an entry
breaks every link after it. The chain's head is signed now and then (`audit_checkpoint`, a minute job) with
an HMAC key derived from GERAI_AUDIT_SECRET, which lives outside the database: a database writer who
cuts the tail and rewrites the head cannot produce a checkpoint for the shorter chain, and the last
checkpoint still vouches for the entries that were cut."""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from gerai.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry

PLATFORM = "platform"
logger = logging.getLogger("gerai.audit")


def chain_for(region_id) -> str:
    return f"r{region_id}" if region_id else PLATFORM


def canonical_changes(changes) -> dict:
    """The changes as they come back from the database (tuples become lists, keys strings)."""
    return json.loads(json.dumps(changes or {}, default=str))


def canonical_ip(ip):
    return AuditEntry._meta.get_field("ip").get_prep_value(ip) if ip else None


def entry_hash(entry) -> str:
    body = {
        "chain": entry.chain,
        "seq": entry.seq,
        "region": entry.region_id,
        "actor": entry.actor_ref,
        "via": entry.via,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "ip": entry.ip,
        "at": entry.at.astimezone(UTC).isoformat(),
        "prev": entry.prev_hash,
    }
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def append(entry: AuditEntry) -> AuditEntry:
    """Link an unsaved entry to its chain and save it. Runs inside the caller's transaction: the chain's
    head row is locked until that transaction ends, so concurrent writers in one region queue here
    (on PostgreSQL by the row lock, on SQLite by its single writer) and (chain, seq) is unique besides."""
    entry.chain = chain_for(entry.region_id)
    connection = connections[router.db_for_write(AuditChainHead)]
    head = _locked_head(connection, entry.chain)
    if head is None:
        AuditChainHead.objects.get_or_create(chain=entry.chain)
        head = _locked_head(connection, entry.chain)
        assert head is not None  # made just now, in this transaction
    head_id, seq, prev_hash = head
    entry.seq = seq + 1
    entry.prev_hash = prev_hash
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    with connection.cursor() as cursor:
        cursor.execute(_MOVE_HEAD.format(table=AuditChainHead._meta.db_table), [entry.seq, entry.hash, head_id])
    return entry


# only the table's name from model metadata is put into the text; every value is a parameter
_READ_HEAD = "SELECT id, seq, hash FROM {table} WHERE chain = %s{lock}"
_MOVE_HEAD = "UPDATE {table} SET seq = %s, hash = %s WHERE id = %s"


def _locked_head(connection, chain: str) -> tuple[int, int, str] | None:
    """(id, seq, hash) of the chain's head, locked until the transaction ends. Every audited write passes here:
    two plain statements, not the ORM's (compiling them cost more than running them, issue #20)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite: its single writer
    with connection.cursor() as cursor:
        cursor.execute(_READ_HEAD.format(table=AuditChainHead._meta.db_table, lock=lock), [chain])
        return cursor.fetchone()


# ---- signing ----


def _key(chain: str) -> bytes:
    secret = settings.GERAI_AUDIT_SECRET.encode()
    return hmac.new(secret, f"gerai-audit:{chain}".encode(), hashlib.sha256).digest()


def checkpoint_signature(*, chain: str, seq: int, hash: str, at) -> str:
    message = f"{chain}|{seq}|{hash}|{at.astimezone(UTC).isoformat()}".encode()
    return hmac.new(_key(chain), message, hashlib.sha256).hexdigest()


# ---- verifying ----


@dataclass
class Verdict:
    chain: str
    ok: bool = True
    count: int = 0  # entries checked
    seq: int | None = None  # the first broken link's number
    entry_id: int | None = None
    problem: str = ""

    def fail(self, problem: str, *, seq=None, entry_id=None) -> "Verdict":
        self.ok, self.problem, self.seq, self.entry_id = False, problem, seq, entry_id
        return self


def _check_links(verdict: Verdict, entries, *, expected: int, prev: str) -> tuple[int, str]:
    """Walk entries (ordered by seq) from `expected` on; returns the last seq and hash, or fails verdict."""
    for entry in entries:
        if entry.seq != expected:
            what = "missing" if entry.seq > expected else "out of order"
            verdict.fail(f"entry {expected} is {what} (found {entry.seq} next)", seq=expected, entry_id=entry.pk)
            break
        if entry.prev_hash != prev:
            verdict.fail(f"entry {entry.seq} does not follow entry {entry.seq - 1}", seq=entry.seq, entry_id=entry.pk)
            break
        if entry_hash(entry) != entry.hash or chain_for(entry.region_id) != verdict.chain:
            verdict.fail(f"entry {entry.seq} was changed", seq=entry.seq, entry_id=entry.pk)
            break
        if entry.actor_id is not None and str(entry.actor_id) != entry.actor_ref:
            verdict.fail(f"entry {entry.seq} names another actor", seq=entry.seq, entry_id=entry.pk)
            break
        verdict.count += 1
        prev = entry.hash
        expected += 1
    return expected - 1, prev


def witness_path() -> Path:
    return Path(settings.GERAI_AUDIT_WITNESS)


def _witnessed(chain: str) -> list[AuditCheckpoint]:
    """Checkpoints copied to the witness file (outside the database), so deleting checkpoint rows and
    cutting the log together is caught too."""
    path = witness_path()
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if row.get("chain") == chain:
            at = datetime.fromisoformat(row["at"])
            found.append(AuditCheckpoint(chain=chain, seq=row["seq"], hash=row["hash"], at=at, signature=row["sig"]))
    return found


def _check_checkpoints(verdict: Verdict, last_seq: int) -> None:
    stored = list(AuditCheckpoint.objects.filter(chain=verdict.chain, verified=True))
    checkpoints = sorted(stored + _witnessed(verdict.chain), key=lambda cp: cp.seq)
    for cp in checkpoints:
        good = checkpoint_signature(chain=cp.chain, seq=cp.seq, hash=cp.hash, at=cp.at)
        if not hmac.compare_digest(good, cp.signature):
            verdict.fail(f"checkpoint of entry {cp.seq} has a bad signature", seq=cp.seq)
            return
        if cp.seq > last_seq:
            verdict.fail(
                f"the log was cut: a checkpoint vouches for {cp.seq} entries, {last_seq} remain", seq=last_seq + 1
            )
            return
    wanted = {cp.seq: cp.hash for cp in checkpoints}
    found = dict(AuditEntry.objects.filter(chain=verdict.chain, seq__in=list(wanted)).values_list("seq", "hash"))
    for seq, hash_ in sorted(wanted.items()):
        if found.get(seq) != hash_:
            verdict.fail(f"entry {seq} differs from its signed checkpoint", seq=seq)
            return


def verify_chain(chain: str) -> Verdict:
    """Check every link of one chain, its head and its signed checkpoints; stops at the first break."""
    verdict = Verdict(chain=chain)
    entries = AuditEntry.objects.filter(chain=chain).order_by("seq", "pk").iterator(chunk_size=2000)
    last_seq, last_hash = _check_links(verdict, entries, expected=1, prev="")
    if not verdict.ok:
        return verdict
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is not None and (head.seq, head.hash) != (last_seq, last_hash):
        return verdict.fail(f"the head says {head.seq} entries, the chain has {last_seq}", seq=last_seq + 1)
    _check_checkpoints(verdict, last_seq)
    return verdict


def all_chains() -> list[str]:
    names = set(AuditChainHead.objects.values_list("chain", flat=True))
    names |= set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    names |= set(AuditCheckpoint.objects.values_list("chain", flat=True).distinct())
    return sorted(names)


def checkpoint(chain: str) -> AuditCheckpoint | None:
    """Check the entries written since the last checkpoint and sign the head. Cheap: it reads only the
    new entries (`audit_verify` reads them all)."""
    if AuditCheckpoint.objects.filter(chain=chain).order_by("-pk").values_list("verified", flat=True).first() is False:
        return None  # a broken chain waits for a person (audit_verify), it is not signed over
    last = AuditCheckpoint.objects.filter(chain=chain).order_by("-seq", "-pk").first()
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None or (last is not None and last.seq >= head.seq):
        return None
    verdict = Verdict(chain=chain)
    start, prev = (last.seq + 1, last.hash) if last is not None else (1, "")
    entries = AuditEntry.objects.filter(chain=chain, seq__gte=start, seq__lte=head.seq).order_by("seq", "pk")
    seq, hash_ = _check_links(verdict, entries.iterator(chunk_size=2000), expected=start, prev=prev)
    if verdict.ok and (seq, hash_) != (head.seq, head.hash):
        verdict.fail(f"the head says {head.seq} entries, the chain has {seq}", seq=seq + 1)
    if not verdict.ok:  # record the break, sign nothing new
        return AuditCheckpoint.objects.create(
            chain=chain, seq=0, hash="", signature="", verified=False, problem=verdict.problem[:300]
        )
    at = timezone.now()
    signature = checkpoint_signature(chain=chain, seq=head.seq, hash=head.hash, at=at)
    made = AuditCheckpoint.objects.create(chain=chain, seq=head.seq, hash=head.hash, at=at, signature=signature)
    row = {"chain": chain, "seq": head.seq, "hash": head.hash, "at": at.astimezone(UTC).isoformat(), "sig": signature}
    path = witness_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:  # the witness outside the database; ship it off the machine with the logs
        handle.write(json.dumps(row) + "\n")
    logger.info("audit checkpoint %s", json.dumps(row))
    return made


def checkpoint_all() -> int:
    made = 0
    for chain in all_chains():
        with transaction.atomic():
            made += checkpoint(chain) is not None
    return made


def chain_state(region) -> dict:
    """What the audit page shows: the head, the last signed checkpoint, and whether the entries since
    then still link up."""
    chain = chain_for(region.pk if region is not None else None)
    head = AuditChainHead.objects.filter(chain=chain).first()
    signed = AuditCheckpoint.objects.filter(chain=chain, verified=True).order_by("-seq", "-pk").first()
    broken = AuditCheckpoint.objects.filter(chain=chain, verified=False).order_by("-pk").first()
    verdict = Verdict(chain=chain)
    if head is not None:
        start, prev = (signed.seq + 1, signed.hash) if signed is not None else (1, "")
        entries = AuditEntry.objects.filter(chain=chain, seq__gte=start).order_by("seq", "pk")[:5000]
        _check_links(verdict, entries, expected=start, prev=prev)
    return {
        "chain": chain,
        "length": head.seq if head else 0,
        "signed": signed,
        "broken": broken if broken is not None and (signed is None or broken.pk > signed.pk) else None,
        "recent": verdict,
    }

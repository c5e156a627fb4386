"""Backups: one encrypted file holding a consistent copy of the database, the uploaded and issued files,
the signing keys and the audit log's witness, with a manifest of row counts and SHA-256 checksums.

The file: b"GERAIBK1", a 16-byte scrypt salt, an 8-byte nonce prefix, then chunks of a tar.gz stream, each
sealed with AES-256-GCM (nonce: prefix + chunk number; the last chunk is marked, so a cut file fails).
The key is scrypt(GERAI_BACKUP_KEY, salt): keep that passphrase outside the machine, with the backups'
own copy somewhere else again."""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.db import connection

MAGIC = b"GERAIBK1"
CHUNK = 1 << 20
FORMAT = 1


class BackupError(RuntimeError):
    pass


# ---- the sealed stream ----


def _key(salt: bytes) -> bytes:
    passphrase = settings.GERAI_BACKUP_KEY
    if not passphrase:
        raise BackupError("set GERAI_BACKUP_KEY (the passphrase backups are sealed with)")
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


class SealedWriter(io.RawIOBase):
    """A write-only file that seals what is written to it, chunk by chunk."""

    def __init__(self, out):
        self.out = out
        salt, self.prefix = os.urandom(16), os.urandom(8)
        self.aead = AESGCM(_key(salt))
        self.buffer = bytearray()
        self.number = 0
        out.write(MAGIC + salt + self.prefix)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.number)
        sealed = self.aead.encrypt(nonce, plain, b"last" if last else b"more")
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


def unseal(source: Path, target: Path) -> None:
    """Decrypt a backup file into `target`; BackupError if the passphrase is wrong or the file was changed
    or cut."""
    from cryptography.exceptions import InvalidTag

    with source.open("rb") as handle, target.open("wb") as out:
        head = handle.read(len(MAGIC) + 24)
        if not head.startswith(MAGIC):
            raise BackupError(f"{source} is not a Gerai backup")
        salt, prefix = head[len(MAGIC) : len(MAGIC) + 16], head[len(MAGIC) + 16 :]
        aead, number, last = AESGCM(_key(salt)), 0, False
        while size := handle.read(4):
            sealed = handle.read(struct.unpack(">I", size)[0])
            nonce = prefix + struct.pack(">I", number)
            try:
                out.write(aead.decrypt(nonce, sealed, b"more"))
            except InvalidTag:
                try:
                    out.write(aead.decrypt(nonce, sealed, b"last"))
                except InvalidTag:
                    raise BackupError(
                        "the backup cannot be opened: wrong GERAI_BACKUP_KEY, or the file was changed"
                    ) from None
                last = True
                break
            number += 1
        if not last:
            raise BackupError("the backup file is cut short")


# ---- what goes in ----


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def file_roots() -> dict[str, Path]:
    """The directories a backup carries, by their name inside it (uploaded and issued files, keys)."""
    return {"media": Path(settings.MEDIA_ROOT), "keys": Path(settings.GERAI_SIGNING_KEYS_DIR)}


WITNESS = "audit/checkpoints.jsonl"


def tables() -> list[str]:
    seen: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table not in seen:
            seen.append(table)
    return sorted(seen)


def _count(cursor, names) -> dict[str, int]:
    counts = {}
    for name in names:
        quoted = connection.ops.quote_name(name)
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - the models' table names, never input
        counts[name] = cursor.fetchone()[0]
    return counts


def _sqlite_copy(target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while the platform writes on."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        return _count(destination.cursor(), tables())
    finally:
        destination.close()


def _pg_params() -> dict[str, str]:
    db: dict = dict(settings.DATABASES["default"])
    names = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "dbname"}
    return {key: str(db[setting]) for setting, key in names.items() if db.get(setting)}


def _pg_env() -> dict[str, str]:
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    return dict(os.environ) | {names[key]: value for key, value in _pg_params().items()}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _pg_copy(target: Path) -> dict[str, int]:
    """pg_dump of the very snapshot the rows were counted in (an exported snapshot), so the manifest's
    counts are exactly what the dump holds."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(**_pg_params())) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = row[0] if row else ""
        counts = _count(conn.cursor(), tables())
        subprocess.run(  # noqa: S603 - fixed arguments, the snapshot id from the server
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"],
            env=_pg_env(),
            check=True,
        )
        conn.rollback()
    return counts


@dataclass
class Manifest:
    created: str
    vendor: str
    database: str  # its name inside the backup
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # name inside the backup -> SHA-256

    def as_json(self) -> bytes:
        return json.dumps({"format": FORMAT, **self.__dict__}, indent=1, sort_keys=True).encode()


def backup(out_dir: Path) -> tuple[Path, Manifest]:
    """Write one sealed backup into out_dir; returns its path and manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out_dir / f"gerai-{stamp}.backup"
    with tempfile.TemporaryDirectory(prefix="gerai-backup-") as work:
        vendor = connection.vendor
        db_name = "db/gerai.sqlite3" if vendor == "sqlite" else "db/gerai.pgdump"
        db_file = Path(work) / "database"
        counts = _sqlite_copy(db_file) if vendor == "sqlite" else _pg_copy(db_file)
        manifest = Manifest(created=stamp, vendor=vendor, database=db_name, counts=counts)
        manifest.files[db_name] = sha256_file(db_file)
        partial = target.with_suffix(".partial")
        with partial.open("wb") as raw, SealedWriter(raw) as sealed, tarfile.open(fileobj=sealed, mode="w|gz") as tar:
            tar.add(db_file, arcname=db_name)
            for name, root in file_roots().items():
                for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
                    arcname = f"{name}/{path.relative_to(root).as_posix()}"
                    manifest.files[arcname] = sha256_file(path)
                    tar.add(path, arcname=arcname)
            witness = Path(settings.GERAI_AUDIT_WITNESS)
            if witness.is_file():
                manifest.files[WITNESS] = sha256_file(witness)
                tar.add(witness, arcname=WITNESS)
            data = manifest.as_json()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)
        partial.replace(target)
    return target, manifest


# ---- restore ----


@dataclass
class Restored:
    manifest: dict
    counts: dict[str, int]
    files: int
    moved_aside: list[str]


def _open(source: Path, work: Path) -> dict:
    """Unseal and unpack the backup into work/, check every checksum; the manifest."""
    plain = work / "backup.tar.gz"
    unseal(source, plain)
    with tarfile.open(plain, "r:gz") as tar:
        tar.extractall(work / "x", filter="data")
    plain.unlink()
    manifest = json.loads((work / "x" / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("a backup of another format")
    for name, digest in manifest["files"].items():
        path = work / "x" / name
        if not path.is_file() or sha256_file(path) != digest:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest


def _sqlite_place(restored: Path, aside: str) -> list[str]:
    """Put the restored database file in place: the old file (and its -wal and -shm, which would
    otherwise be replayed over the restored file) moved aside first."""
    target = Path(settings.DATABASES["default"]["NAME"])
    moved = []
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{target}{suffix}")
        if old.exists():
            old.replace(Path(f"{target}{suffix}.{aside}"))
            moved.append(old.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(restored, staged)
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    staged.replace(target)
    return moved


def _pg_place(restored: Path) -> None:
    connection.close()
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    command += [f"--dbname={_pg_params()['dbname']}", str(restored)]
    subprocess.run(command, env=_pg_env(), check=True)  # noqa: S603 - fixed arguments


def _files_place(unpacked: Path, aside: str) -> tuple[int, list[str]]:
    placed, moved = 0, []
    for name, root in file_roots().items():
        source = unpacked / name
        if root.exists():
            root.replace(root.with_name(f"{root.name}.{aside}"))
            moved.append(root.name)
        if source.exists():
            shutil.copytree(source, root)
            placed += sum(1 for p in root.rglob("*") if p.is_file())
        else:
            root.mkdir(parents=True, exist_ok=True)
    witness, source = Path(settings.GERAI_AUDIT_WITNESS), unpacked / WITNESS
    if source.is_file():  # the newer witness is kept aside: it shows which checkpoints the restore undid
        witness.parent.mkdir(parents=True, exist_ok=True)
        if witness.exists():
            witness.replace(witness.with_name(f"{witness.name}.{aside}"))
            moved.append(witness.name)
        shutil.copyfile(source, witness)
        placed += 1
    return placed, moved


def _live_counts(names) -> dict[str, int]:
    connection.close()
    with connection.cursor() as cursor:
        return _count(cursor, names)


def restore(source: Path) -> Restored:
    """Restore a backup over this installation. The platform must be stopped (running.exclusive())."""
    from gerai.core import running

    lock = running.exclusive()
    try:
        with tempfile.TemporaryDirectory(prefix="gerai-restore-", dir=Path(settings.VAR_DIR)) as work_dir:
            work = Path(work_dir)
            manifest = _open(source, work)
            if manifest["vendor"] != connection.vendor:
                raise BackupError(f"a {manifest['vendor']} backup cannot be restored into {connection.vendor}")
            aside = "before-restore-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            database = work / "x" / manifest["database"]
            moved: list[str] = []
            if connection.vendor == "sqlite":
                moved = _sqlite_place(database, aside)
            else:
                _pg_place(database)
            placed, moved_files = _files_place(work / "x", aside)
        counts = _live_counts(list(manifest["counts"]))
        if counts != manifest["counts"]:
            wrong = sorted(k for k in counts if counts[k] != manifest["counts"][k])
            raise BackupError(f"restored row counts differ from the manifest in: {', '.join(wrong)}")
        roots = file_roots() | {"audit": Path(settings.GERAI_AUDIT_WITNESS).parent}
        for name, digest in manifest["files"].items():
            head, _, rest = name.partition("/")
            if head in roots and sha256_file(roots[head] / rest) != digest:
                raise BackupError(f"restored file differs from the manifest: {name}")
        return Restored(manifest=manifest, counts=counts, files=placed, moved_aside=moved + moved_files)
    finally:
        os.close(lock)

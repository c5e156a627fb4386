"""Back up, destroy, restore: the row counts and file checksums come back, a stale WAL is not replayed,
a changed or wrongly keyed backup is refused, and restore refuses while the platform runs.

Runs manage.py in subprocesses against a SQLite file of its own (the test database lives in memory)."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SEED = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from gerai.audit.chain import checkpoint_all
from tests.conftest import PDF
from tests.factories import make_application, make_personas
p = make_personas()
make_application(p.citizen, p.service, upload=lambda: SimpleUploadedFile("ktp.pdf", PDF))
checkpoint_all()
from gerai.documents.keystore import create_authority
create_authority(folder="uji", organisation="Kabupaten Uji")
"""


def manage(env, *args, check=True):
    return subprocess.run(  # noqa: S603 - this interpreter, manage.py, the test's own arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GERAI_", "DATABASE_URL"))}
    env |= {"GERAI_VAR_DIR": str(var), "GERAI_SECRET_KEY": "s" * 50, "GERAI_BACKUP_KEY": "kunci-cadangan-uji"}
    env |= {"GERAI_SIGNING_KEYS_SECRET": "k" * 40, "GERAI_AUDIT_SECRET": "a" * 40}
    manage(env, "migrate", "-v0")
    manage(env, "createcachetable")
    manage(env, "shell", "-c", SEED)
    return var, env


def test_backup_wipe_restore_gives_back_every_row_and_file(installation, tmp_path):
    var, env = installation
    db = var / "gerai.sqlite3"
    made = manage(env, "backup", "--out", str(tmp_path))
    backup = next(tmp_path.glob("gerai-*.backup"))
    assert "rows in" in made.stdout
    before_rows, before_files, before_keys = counts(db), checksums(var / "media"), checksums(var / "keys")
    assert before_rows["applications_application"] == 1 and before_files and before_keys
    assert b"%PDF" not in backup.read_bytes() and b"SQLite format" not in backup.read_bytes()  # sealed

    # after the backup: more writes, and a -wal they left behind (as a crash would) beside the database
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("INSERT INTO core_platformflag (name, value, set_at) VALUES ('after-backup', 'x', '2026-01-01')")
        conn.commit()
        stale_wal = Path(f"{db}-wal").read_bytes()
    # destroy everything
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    for tree in (var / "media", var / "keys"):
        subprocess.run(["rm", "-rf", str(tree)], check=True)  # noqa: S603, S607
    Path(f"{db}-wal").write_bytes(stale_wal)

    restored = manage(env, "restore", "--yes", str(backup))
    assert "counts match" in restored.stdout and "checksums match" in restored.stdout
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").read_bytes() != stale_wal
    after = counts(db)
    assert after == before_rows
    assert "after-backup" not in {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM core_platformflag")}
    assert checksums(var / "media") == before_files and checksums(var / "keys") == before_keys
    assert "sound" in manage(env, "audit_verify").stdout


def test_a_changed_or_wrongly_keyed_backup_is_refused(installation, tmp_path):
    var, env = installation
    manage(env, "backup", "--out", str(tmp_path))
    backup = next(tmp_path.glob("gerai-*.backup"))
    wrong = manage(env | {"GERAI_BACKUP_KEY": "salah"}, "restore", "--yes", str(backup), check=False)
    assert wrong.returncode != 0 and "not restored" in wrong.stderr
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 1
    changed = tmp_path / "changed.backup"
    changed.write_bytes(bytes(data))
    refused = manage(env, "restore", "--yes", str(changed), check=False)
    assert refused.returncode != 0 and "changed" in refused.stderr
    cut = tmp_path / "cut.backup"
    cut.write_bytes(backup.read_bytes()[: len(data) - 100])
    assert manage(env, "restore", "--yes", str(cut), check=False).returncode != 0
    assert (var / "gerai.sqlite3").exists()  # nothing was touched


def test_restore_refuses_while_the_platform_runs(installation, tmp_path):
    var, env = installation
    manage(env, "backup", "--out", str(tmp_path))
    backup = next(tmp_path.glob("gerai-*.backup"))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import gerai.wsgi, time; print('up', flush=True); time.sleep(60)"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "gerai.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "up"
        refused = manage(env, "restore", "--yes", str(backup), check=False)
        assert refused.returncode != 0 and "running" in refused.stderr
    finally:
        holder.kill()
        holder.wait()
    assert "counts match" in manage(env, "restore", "--yes", str(backup)).stdout  # once it is gone


def _pg_database_url() -> str | None:
    """A database of this test's own on the server of DATABASE_URL (CI's PostgreSQL pass), or None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return url.rsplit("/", 1)[0] + f"/gerai_backup_{os.getpid()}"


@pytest.mark.skipif(_pg_database_url() is None, reason="runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
def test_postgresql_backup_drop_restore_gives_back_every_row_and_file(tmp_path):
    """The same round trip on PostgreSQL: pg_dump of an exported snapshot, the database emptied, pg_restore."""
    import psycopg

    url = _pg_database_url()
    assert url is not None
    admin_url, name = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GERAI_", "DATABASE_URL"))}
    env |= {"DATABASE_URL": url, "GERAI_VAR_DIR": str(var), "GERAI_SECRET_KEY": "s" * 50}
    env |= {"GERAI_BACKUP_KEY": "kunci-cadangan-uji", "GERAI_SIGNING_KEYS_SECRET": "k" * 40}
    env |= {"GERAI_AUDIT_SECRET": "a" * 40}
    try:
        manage(env, "migrate", "-v0")
        manage(env, "createcachetable")
        manage(env, "shell", "-c", SEED)
        out = tmp_path / "out"
        assert "rows in" in manage(env, "backup", "--out", str(out)).stdout
        backup = next(out.glob("gerai-*.backup"))
        assert b"PGDMP" not in backup.read_bytes()  # sealed, not a readable dump

        def rows() -> dict[str, int]:
            with psycopg.connect(url) as conn:
                names = [
                    r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
                ]
                return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in names}  # noqa: S608

        before, before_files = rows(), checksums(var / "media")
        assert before["applications_application"] == 1 and before_files
        # after the backup: a write, and the restore over the live database takes it back
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO core_platformflag (name, value, set_at) VALUES ('after-backup', 'x', now())")
        assert rows()["core_platformflag"] == before["core_platformflag"] + 1
        over = manage(env, "restore", "--yes", str(backup))
        assert "counts match" in over.stdout and rows() == before
        with psycopg.connect(url) as conn:
            flags = {r[0] for r in conn.execute("SELECT name FROM core_platformflag").fetchall()}
        assert "after-backup" not in flags
        # then the loss of every table and file
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        subprocess.run(["rm", "-rf", str(var / "media")], check=True)  # noqa: S603, S607

        restored = manage(env, "restore", "--yes", str(backup))
        assert "counts match" in restored.stdout and "checksums match" in restored.stdout
        assert rows() == before
        assert checksums(var / "media") == before_files
        assert "sound" in manage(env, "audit_verify").stdout
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

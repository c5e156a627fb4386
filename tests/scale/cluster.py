"""A throwaway PostgreSQL primary and a hot-standby streaming replica, each on a free port of 127.0.0.1.

The server binaries come from the Debian packages (/usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run
as root: as root, every server command runs as the `postgres` OS user (runuser), in a temporary directory it owns.
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SHM = "/dev/shm"  # noqa: S108 (mkdtemp makes a private directory there)


def server_bin() -> Path | None:
    """The newest installed server's bin directory holding initdb, pg_ctl and pg_basebackup, or None."""
    found = [
        Path(d)
        for d in glob.glob("/usr/lib/postgresql/*/bin")
        if all(Path(d, tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup"))
    ]
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0) if found else None


def why_not() -> str | None:
    """Why a cluster cannot be made here (the test is skipped), or None."""
    if server_bin() is None:
        return "the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl, pg_basebackup) are missing"
    me = pwd.getpwuid(os.geteuid()).pw_name
    if me not in ("root", "postgres"):
        return f"PostgreSQL's servers must run as the postgres OS user: running as {me}, neither root nor postgres"
    if me == "root":
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, but there is no postgres OS user to run the servers as"
        if shutil.which("runuser") is None:
            return "running as root, but runuser (util-linux) is missing"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def pgbouncer_bin() -> str | None:
    """Debian's pgbouncer, when installed (.ci/run installs it): the web instances and workers then reach the
    primary through it in transaction mode, as deploy/SCALE-OUT.md recommends."""
    return shutil.which("pgbouncer") or next((p for p in ("/usr/sbin/pgbouncer",) if Path(p).exists()), None)


@dataclass
class Cluster:
    root: Path
    primary_port: int
    replica_port: int
    database: str = "gerai"
    bouncer_port: int | None = None

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    @property
    def pooled_url(self) -> str:
        """The primary as the applications reach it: through PgBouncer when it runs, else directly."""
        return self.url(self.bouncer_port) if self.bouncer_port else self.primary_url

    def bouncer_transactions(self) -> int:
        """How many transactions PgBouncer has passed to the primary (its admin console's SHOW STATS)."""
        assert self.bouncer_port is not None
        with psycopg.connect(
            host="127.0.0.1",
            port=self.bouncer_port,
            user="postgres",
            dbname="pgbouncer",
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,  # the console speaks the simple protocol only
        ) as console:
            cursor = console.execute("SHOW STATS")
            names = [column.name for column in cursor.description or []]
            return sum(row[names.index("total_xact_count")] for row in cursor.fetchall() if row[0] == self.database)

    def start_bouncer(self) -> None:
        """PgBouncer in transaction mode in front of the primary, on a free port (nothing when not installed)."""
        binary = pgbouncer_bin()
        if binary is None:
            return
        port = free_port()
        (self.root / "userlist.txt").write_text('"postgres" ""\n')
        config = self.root / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"{self.database} = host=127.0.0.1 port={self.primary_port} dbname={self.database}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.root / 'userlist.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 8\nadmin_users = postgres\n"
            f"logfile = {self.root / 'pgbouncer.log'}\npidfile = {self.root / 'pgbouncer.pid'}\n"
        )
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            for path in (config, self.root / "userlist.txt"):
                os.chown(path, postgres.pw_uid, postgres.pw_gid)
        done = subprocess.run(  # noqa: S603 - Debian's pgbouncer, the test's own configuration
            _as_postgres([binary, "-d", str(config)]), timeout=30, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise AssertionError(f"pgbouncer failed ({done.returncode}): {done.stderr[-1500:]}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with self.connect(port):
                    self.bouncer_port = port
                    return
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise AssertionError(f"pgbouncer did not answer on {port}: {self.log('pgbouncer')}")

    def connect(self, port: int, database: str = "", **kwargs) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=database or self.database, autocommit=True, **kwargs
        )

    def _run(self, *command: str, timeout: float = 120) -> None:
        bin_dir = server_bin()
        assert bin_dir is not None
        done = subprocess.run(  # noqa: S603
            _as_postgres([str(bin_dir / command[0]), *command[1:]]),
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            logs = "".join(f"\n--- {name}.log\n{self.log(name)[-1500:]}" for name in ("primary", "replica"))
            raise AssertionError(f"{command[0]} failed ({done.returncode}): {done.stderr[-1500:]}{logs}")

    def _configure(self, data: Path, port: int) -> None:
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# tests/scale/cluster.py\n"
                f"port = {port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "wal_level = replica\n"
                "max_wal_senders = 4\n"
                "hot_standby = on\n"
                "max_connections = 200\n"
                "fsync = off\n"  # a throwaway cluster: durability buys nothing here
                "full_page_writes = off\n"
                "min_wal_size = 32MB\n"
                # dynamic shared memory in the data directory: an immediate stop leaves no segment in /dev/shm
                "dynamic_shared_memory_type = mmap\n"
            )

    def start(self) -> None:
        primary, replica = self.root / "primary", self.root / "replica"
        self._run(
            "initdb",
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._configure(primary, self.primary_port)
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\nhost all postgres 127.0.0.1/32 trust\n")
        self._run("pg_ctl", "-D", str(primary), "-l", str(self.root / "primary.log"), "-w", "-t", "60", "start")
        with self.connect(self.primary_port, "postgres") as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "--no-sync",
            "--checkpoint=fast",
        )
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self._run("pg_ctl", "-D", str(replica), "-l", str(self.root / "replica.log"), "-w", "-t", "60", "start")
        self.wait_streaming()

    def wait_streaming(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        with self.connect(self.primary_port, "postgres") as conn:
            while time.monotonic() < deadline:
                row = conn.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").fetchone()
                if row and row[0]:
                    return
                time.sleep(0.2)
        raise AssertionError(f"the replica did not start streaming: {self.log('replica')[-2000:]}")

    def wait_replayed(self, seconds: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with self.connect(self.primary_port) as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + seconds
        with self.connect(self.replica_port) as conn:
            while time.monotonic() < deadline:
                done = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]
                if done:
                    return
                time.sleep(0.1)
        raise AssertionError("the replica did not catch up")

    def log(self, which: str) -> str:
        try:
            return (self.root / f"{which}.log").read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        pid_file = self.root / "pgbouncer.pid"
        if pid_file.exists():
            with contextlib.suppress(OSError, ValueError):  # already gone
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        bin_dir = server_bin()
        for data in (self.root / "replica", self.root / "primary"):
            if bin_dir is not None and (data / "postmaster.pid").exists():
                subprocess.run(  # noqa: S603
                    _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                    check=False,
                    timeout=60,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
        shutil.rmtree(self.root, ignore_errors=True)


def _scratch() -> str | None:
    """Memory (tmpfs) when there is room: both clusters write and delete ~300 MB (WAL, the migrated database
    twice), which a busy disk took 10 s only to delete. None: the system's temporary directory."""
    try:
        return SHM if shutil.disk_usage(SHM).free > 2 * 1024**3 else None
    except OSError:
        return None


def make_cluster() -> Cluster:
    """A started primary and replica (call stop() when done, even if this raises: it cleans up after itself)."""
    root = Path(tempfile.mkdtemp(prefix="gerai-scale-", dir=_scratch()))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    primary_port = free_port()
    replica_port = free_port()
    while replica_port == primary_port:
        replica_port = free_port()
    cluster = Cluster(root, primary_port, replica_port)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster

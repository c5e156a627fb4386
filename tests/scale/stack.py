"""Two web instances (granian, one process each) and two task workers (`manage.py run_worker`), all on one
PostgreSQL primary with its streaming replica (tests/scale/cluster.py), Redis for the shared cache, one media
root and one signing key store; and a WhatsApp relay that counts what the workers send it."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.scale.cluster import Cluster, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GRANIAN = str(Path(PYTHON).parent / "granian")
LOGIN_ATTEMPTS = 4
REDIS_URL = os.environ.get("GERAI_SCALE_REDIS_URL", "redis://127.0.0.1:6379/3")


def _socket_inode(local_port: int, remote_port: int) -> str | None:
    """The inode of the loopback TCP socket from local_port to remote_port (/proc/net/tcp), or None."""
    wanted = (f"0100007F:{local_port:04X}", f"0100007F:{remote_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            return fields[9]
    return None


def _holds_socket(pid: int, inode: str) -> bool:
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == f"socket:[{inode}]":
                return True
        except OSError:
            continue
    return False


class Relay(ThreadingHTTPServer):
    """The WhatsApp gateway's relay (GERAI_WHATSAPP_GATEWAY=webhook): counts each message's reference, and which
    of the task workers (`senders`, pid to name) sent it, found by the connection's socket."""

    daemon_threads = True

    def __init__(self):
        self.received: Counter[str] = Counter()
        self.by_sender: Counter[str] = Counter()
        self.senders: dict[int, str] = {}
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RelayHandler)

    def sender(self, client_port: int) -> str:
        inode = _socket_inode(client_port, self.server_address[1])
        if inode is not None:
            for pid, name in self.senders.items():
                if _holds_socket(pid, inode):
                    return name
        return "unknown"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/whatsapp"


class _RelayHandler(BaseHTTPRequestHandler):
    server: Relay

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        sender = self.server.sender(self.client_address[1])
        with self.server.lock:
            self.server.received[body["reference"]] += 1
            self.server.by_sender[sender] += 1
            answer = json.dumps({"id": f"relay-{sum(self.server.received.values())}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@dataclass
class Stack:
    cluster: Cluster
    work: Path  # var dirs, the shared media root and key store, logs
    relay: Relay
    secret: str = "scale-out-test-" + "k" * 40
    setup: dict = field(default_factory=dict)  # what tests/scale/prepare.py made: slugs, codes, tokens
    web_ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def env(self, name: str, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GERAI_", "DATABASE_", "DJANGO_"))}
        pooled = name != "setup" and self.cluster.bouncer_port is not None
        if pooled:  # the web instances and workers through PgBouncer in transaction mode (deploy/SCALE-OUT.md)
            env["GERAI_DB_PREPARED_STATEMENTS"] = "false"
        return env | {
            "DATABASE_URL": self.cluster.pooled_url if pooled else self.cluster.primary_url,
            "DATABASE_REPLICA_URL": self.cluster.replica_url,
            "GERAI_REDIS_URL": REDIS_URL,
            "GERAI_VAR_DIR": str(self.work / name),
            "GERAI_MEDIA_ROOT": str(self.work / "media"),  # shared, as a mounted volume would be
            "GERAI_SIGNING_KEYS_DIR": str(self.work / "keys"),  # the same key store on every machine
            "GERAI_SECRET_KEY": self.secret,
            "GERAI_HTTPS": "false",
            "GERAI_WHATSAPP_GATEWAY": "webhook",
            "GERAI_WHATSAPP_WEBHOOK_URL": self.relay.url,
            "GERAI_LOGIN_ATTEMPTS_PER_15_MIN": str(LOGIN_ATTEMPTS),  # each costs a password hash: keep them few
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env("setup"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}: {done.stderr[-3000:]}"
        return done.stdout

    def prepare(self) -> dict:
        done = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "tests.scale.prepare"],
            cwd=ROOT,
            env=self.env("setup"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"tests.scale.prepare: {done.stderr[-3000:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        (self.work / name).mkdir(parents=True, exist_ok=True)
        log = (self.work / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start_web(self, name: str) -> int:
        port = free_port()
        self._spawn(
            name,
            [
                GRANIAN,
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                "--blocking-threads",
                "4",
                "--no-ws",
                "gerai.wsgi:application",
            ],
            self.env(name, GERAI_SITE_URL=f"http://127.0.0.1:{port}"),
        )
        self.web_ports.append(port)
        return port

    def start_worker(self, name: str) -> None:
        process = self._spawn(name, [PYTHON, "manage.py", "run_worker", "--pulse", "1"], self.env(name))
        self.relay.senders[process.pid] = name

    def wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        for port in self.web_ports:
            while True:
                self.check_alive()
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"web instance on port {port} did not answer: {self.logs()}")
                time.sleep(0.3)

    def check_alive(self) -> None:
        dead = [p.args for p in self.processes if p.poll() is not None]
        assert not dead, f"a process died: {dead}\n{self.logs()}"

    def emails_printed(self) -> int:
        """Emails the workers printed (no mail server: the console backend, gerai.notifications.gateways)."""
        return sum(
            line.startswith("From: ")
            for path in self.work.glob("worker*.log")
            for line in path.read_text().splitlines()
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in sorted(self.work.glob("*.log"))
        )

    def stop(self) -> None:
        """Kills every process group at once: nothing here is about a graceful stop (tests/test_supervision.py)."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(30)

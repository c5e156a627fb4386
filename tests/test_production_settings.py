"""Production defaults: `check --deploy` is clean with the documented variables (deploy/gerai.env.example),
HSTS included; /readyz reports a task worker whose heartbeat is stale."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from gerai.core.heartbeat import WORKER_PULSE, beat
from gerai.core.models import PlatformFlag

ROOT = Path(__file__).resolve().parent.parent


def documented_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GERAI_", "DATABASE_URL"))}
    for line in (ROOT / "deploy" / "gerai.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env.pop("DATABASE_URL")  # the check needs no database server
    return env | {"GERAI_VAR_DIR": str(tmp_path), "GERAI_SECRET_KEY": secrets.token_urlsafe(50)}


def test_check_deploy_is_clean_with_the_documented_variables(tmp_path):
    env = documented_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split()[-2:] == ["31536000", "True"]


def test_readyz_reports_a_worker_without_a_recent_heartbeat(client, db):
    body = client.get("/readyz").json()
    assert body["worker"] == {"alive": False, "seconds_since_pulse": None} and body["status"] == "degraded"
    assert client.get("/readyz").status_code == 200  # the pages still serve: keep the node in rotation
    assert client.get("/readyz?worker=1").status_code == 503
    beat()
    body = client.get("/readyz").json()
    assert body["worker"]["alive"] is True and body["status"] == "ok"
    PlatformFlag.objects.filter(name=WORKER_PULSE).update(set_at=timezone.now() - dt.timedelta(minutes=5))
    body = client.get("/readyz?worker=1")
    assert body.status_code == 503 and body.json()["worker"]["seconds_since_pulse"] >= 299

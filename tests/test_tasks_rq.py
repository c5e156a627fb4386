"""GERAI_TASKS_BACKEND=rq: our real tasks go through django-tasks-rq into Redis, an RQ worker in burst mode runs
them, their results are read back through the backend, and `run_worker` runs that worker instead of db_worker.

The Redis tests need a server (GERAI_TEST_REDIS_URL, by default redis://127.0.0.1:6379/0) and are skipped
without one. Each test uses a queue of its own and removes its keys, so a shared Redis database is safe."""

import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import transaction
from django.tasks import Task, TaskResultStatus, default_task_backend, task, task_backends
from django.test import override_settings
from django.utils import timezone
from django_rq.management.commands.rqworker import Command as RqWorker

from gerai.audit import chain
from gerai.audit.models import AuditChainHead, AuditCheckpoint
from gerai.audit.services import audit_record
from gerai.audit.tasks import audit_checkpoint
from gerai.core import rq_tasks, running
from gerai.core.actors import Actor
from gerai.core.management.commands import run_worker

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("GERAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_answers(), reason=f"no Redis at {REDIS_URL} (GERAI_TEST_REDIS_URL): the RQ backend is not tested"
)


@task
def fails() -> None:
    raise LookupError("on purpose")


def rq_settings(queue: str):
    # django-tasks-rq reads results through the connection of django_rq's "default" queue (ours in production)
    return override_settings(
        TASKS={"default": {"BACKEND": "gerai.core.rq_tasks.Backend", "QUEUES": [queue]}},
        RQ_QUEUES={name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60} for name in (queue, "default")},
    )


@pytest.fixture
def queue(monkeypatch):
    """A queue of this test's own on the rq backend; its keys are removed afterwards."""
    name = f"gerai-test-{secrets.token_hex(4)}"
    # The worker runs in this process, on the test's transaction: its connection hygiene (closing the
    # connections before it starts and around each job) would end that transaction on PostgreSQL.
    monkeypatch.setattr("django_rq.management.commands.rqworker.reset_db_connections", lambda: None)
    monkeypatch.setattr(rq_tasks, "close_old_connections", lambda: None)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    with rq_settings(name):
        yield name
    for sig, handler in handlers.items():  # the worker's warm-shutdown handlers stay behind it
        signal.signal(sig, handler)
    connection = redis.Redis.from_url(REDIS_URL)
    jobs = set(connection.lrange(f"rq:queue:{name}", 0, -1))
    for registry in ("finished", "failed"):
        jobs |= set(connection.zrange(f"rq:{registry}:{name}", 0, -1))
    keys = connection.keys(f"rq:*{name}*") + [key for job in jobs for key in connection.keys(f"rq:*{job.decode()}*")]
    if keys:
        connection.delete(*keys)
    connection.srem("rq:queues", f"rq:queue:{name}")


def burst(queue: str) -> None:
    """django_rq's own `rqworker` command, as run_worker calls it, until the queue is empty."""
    call_command(
        RqWorker(),
        queue,
        burst=True,
        job_class=rq_tasks.JOB_CLASS,
        worker_class=rq_tasks.WORKER_CLASS,
        verbosity=0,
    )


@needs_redis
def test_a_real_task_goes_through_redis_and_a_burst_worker_runs_it(db, queue, settings, tmp_path):
    settings.GERAI_AUDIT_WITNESS = tmp_path / "checkpoints.jsonl"
    with transaction.atomic():
        audit_record(actor=Actor.system(), action="test.rq", changes={"n": 1})
    head = AuditChainHead.objects.get(chain=chain.PLATFORM)

    enqueued = audit_checkpoint.using(queue_name=queue).enqueue()

    assert enqueued.status == TaskResultStatus.READY and enqueued.enqueued_at is not None
    assert not AuditCheckpoint.objects.filter(chain=chain.PLATFORM, seq=head.seq).exists()  # only queued so far
    assert redis.Redis.from_url(REDIS_URL).llen(f"rq:queue:{queue}") == 1
    burst(queue)
    assert AuditCheckpoint.objects.get(chain=chain.PLATFORM, seq=head.seq).verified
    assert (tmp_path / "checkpoints.jsonl").exists()

    done = audit_checkpoint.get_result(enqueued.id)  # read back through the backend, from Redis
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value >= 1 and done.finished_at is not None and len(done.worker_ids) == 1
    assert default_task_backend.get_result(enqueued.id).return_value == done.return_value


@needs_redis
def test_a_failing_task_is_reported_failed_with_its_exception(db, queue):
    enqueued = fails.using(queue_name=queue).enqueue()
    burst(queue)
    result = default_task_backend.get_result(enqueued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.LookupError"
    assert "on purpose" in result.errors[-1].traceback


def test_our_tasks_stay_django_tasks_and_refuse_a_deferral_no_scheduler_would_run():
    with rq_settings("default"):
        assert isinstance(task_backends["default"], rq_tasks.Backend)
        assert isinstance(audit_checkpoint, Task)
        assert audit_checkpoint.get_backend() is task_backends["default"]
        with pytest.raises(Exception, match="run_after"):
            audit_checkpoint.using(run_after=timezone.now() + dt.timedelta(hours=1))


@pytest.fixture
def dispatch(monkeypatch):
    """run_worker's calls, with its loops (the heartbeat, the pulses, the sweeps) not started."""
    calls: list = []
    loops: list[str] = []
    monkeypatch.setattr(running, "hold", lambda: None)
    monkeypatch.setattr(run_worker.Command, "_loop", lambda self, name, seconds, job: loops.append(name))
    monkeypatch.setattr(run_worker, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls, loops


def test_run_worker_runs_the_rq_worker_on_our_queues_when_rq_is_chosen(dispatch):
    calls, loops = dispatch
    with override_settings(TASKS={"default": {"BACKEND": "gerai.core.rq_tasks.Backend", "QUEUES": ["default"]}}):
        call_command("run_worker")
    assert calls == [
        (("rqworker", "default"), {"job_class": "django_tasks_rq.Job", "worker_class": "gerai.core.rq_tasks.Worker"})
    ]
    assert {"gerai-heartbeat", "gerai-sweeps", "gerai-outbox", "gerai-rollups"} <= set(loops)


def test_run_worker_runs_db_worker_otherwise(dispatch):
    calls, loops = dispatch
    call_command("run_worker")
    assert calls == [(("db_worker",), {"reload": False})]
    assert "gerai-heartbeat" in loops


def settings_of(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """The settings module read in a fresh interpreter with these variables (none of the test run's)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GERAI_", "DATABASE_URL"))}
    base |= {"GERAI_VAR_DIR": str(tmp_path), "GERAI_SECRET_KEY": secrets.token_urlsafe(50)}
    code = (
        "import gerai.settings as s; "
        "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS, getattr(s, 'RQ_QUEUES', None))"
    )
    run = [sys.executable, "-c", code]  # our own interpreter and code
    return subprocess.run(run, cwd=ROOT, env=base | env, capture_output=True, text=True)  # noqa: S603


def test_the_backend_is_chosen_by_a_short_name_or_a_dotted_path(tmp_path):
    url = "redis://10.0.0.5:6379/2"
    rq = settings_of({"GERAI_TASKS_BACKEND": "rq", "GERAI_REDIS_URL": url}, tmp_path)
    assert rq.stdout.split(" ", 2) == [
        "gerai.core.rq_tasks.Backend",
        "True",
        f"{{'default': {{'URL': '{url}', 'DEFAULT_TIMEOUT': 600}}}}\n",
    ], rq.stderr
    for env in ({}, {"GERAI_TASKS_BACKEND": "db"}):
        assert settings_of(env, tmp_path).stdout == "django_tasks_db.DatabaseBackend False None\n"
    dotted = settings_of({"GERAI_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend"}, tmp_path)
    assert dotted.stdout == "django.tasks.backends.dummy.DummyBackend False None\n"


def test_rq_without_a_redis_url_is_refused_at_start(tmp_path):
    refused = settings_of({"GERAI_TASKS_BACKEND": "rq"}, tmp_path)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: GERAI_TASKS_BACKEND=rq keeps the task queue in Redis: set GERAI_REDIS_URL" in (
        refused.stderr
    )

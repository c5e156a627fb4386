"""What a task costs on each backend of GERAI_TASKS_BACKEND: N enqueues of a real task (news_publish_due, which
finds nothing due: one query) on the database backend (django-tasks-db) and on Redis (django-tasks-rq), then
the worker draining those N tasks in one process (db_worker --batch; django_rq's rqworker --burst with our
worker class). Prints microseconds per task and the ratios rq/db. Runs on the database the environment names
(a migrated one) and the Redis of GERAI_REDIS_URL, on a queue of its own that it removes afterwards.

    GERAI_VAR_DIR=… GERAI_REDIS_URL=redis://127.0.0.1:6379/4 python bench/tasks.py [--n 2000]
"""

import argparse
import logging
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerai.settings")
import django

django.setup()

import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection as database  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django_rq.management.commands.rqworker import Command as RqWorker  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from gerai.core import rq_tasks  # noqa: E402
from gerai.news.tasks import news_publish_due  # noqa: E402


def per_task(n: int, run) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    for name in ("django_tasks", "django.tasks", "rq.worker"):  # a line per task otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    url = os.environ.get("GERAI_REDIS_URL")
    if not url:
        sys.exit("bench/tasks.py: set GERAI_REDIS_URL (e.g. redis://127.0.0.1:6379/4)")
    queue = f"bench-{secrets.token_hex(4)}"
    figures = {}

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [queue]}}):
        task = news_publish_due.using(queue_name=queue)
        figures["db", "enqueue"] = per_task(n, lambda: [task.enqueue() for _ in range(n)])
        figures["db", "run"] = per_task(
            n, lambda: call_command("db_worker", queue_name=queue, batch=True, no_startup_delay=True, verbosity=0)
        )
        assert DBTaskResult.objects.filter(queue_name=queue, status="SUCCESSFUL").count() == n
        DBTaskResult.objects.filter(queue_name=queue).delete()

    rq_queues = {name: {"URL": url, "DEFAULT_TIMEOUT": 600} for name in (queue, "default")}
    with override_settings(
        TASKS={"default": {"BACKEND": "gerai.core.rq_tasks.Backend", "QUEUES": [queue]}}, RQ_QUEUES=rq_queues
    ):
        task = news_publish_due.using(queue_name=queue)
        figures["rq", "enqueue"] = per_task(n, lambda: [task.enqueue() for _ in range(n)])
        worker = {"job_class": rq_tasks.JOB_CLASS, "worker_class": rq_tasks.WORKER_CLASS, "verbosity": 0}
        figures["rq", "run"] = per_task(n, lambda: call_command(RqWorker(), queue, burst=True, **worker))
    connection = redis.Redis.from_url(url)
    finished = connection.zrange(f"rq:finished:{queue}", 0, -1)
    assert len(finished) == n, len(finished)
    for chunk in range(0, n, 500):
        keys = [f"rq:{kind}:{job.decode()}" for job in finished[chunk : chunk + 500] for kind in ("job", "results")]
        connection.delete(*keys)
    connection.delete(*connection.keys(f"rq:*{queue}*"))
    connection.srem("rq:queues", f"rq:queue:{queue}")

    engine = database.vendor
    print(f"tasks, {n} of news_publish_due on {engine} and Redis: microseconds per task")
    for step in ("enqueue", "run"):
        db, rq = figures["db", step], figures["rq", step]
        print(f"  {step:8} db {db:8.0f}   rq {rq:8.0f}   rq/db {rq / db:5.2f}")


if __name__ == "__main__":
    main()

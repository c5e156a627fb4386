"""Django's Tasks on Redis (GERAI_TASKS_BACKEND=rq; deploy/SCALE-OUT.md): django-tasks-rq's backend and the RQ
worker that `manage.py run_worker` runs in place of `db_worker`. Imported only when that backend is chosen.

- The backend keeps our tasks `django.tasks.Task` objects whichever backend is chosen (django-tasks-rq would
  make them the backport's Task class: the tests, on Django's immediate backend, would then exercise another
  type than production does). It refuses `run_after`: the worker runs no RQ scheduler (no task of ours is
  deferred), so a deferred task would wait in Redis for ever instead of failing where it is enqueued.
- The worker runs each job in the worker process itself (RQ's SimpleWorker), as `db_worker` does, never in a
  forked work horse (RQ's default): run_worker's heartbeat and pulse threads live in this process, and fork()
  in a threaded process may deadlock the child on a lock one of them held. Around each job it drops the
  database connections a request would (close_old_connections), so that a restarted database or an expired
  connection costs one job at most."""

from typing import Any

from django.db import close_old_connections
from django.tasks import Task
from django_tasks_rq import RQBackend
from rq.worker import SimpleWorker

JOB_CLASS = "django_tasks_rq.Job"
WORKER_CLASS = "gerai.core.rq_tasks.Worker"


class Backend(RQBackend):
    task_class = Task  # type: ignore[assignment]  # django.tasks.Task, which django-tasks-rq accepts (compat.py)
    supports_defer = False


class Worker(SimpleWorker):
    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        close_old_connections()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            close_old_connections()

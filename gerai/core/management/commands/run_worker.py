import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.tasks import task_backends

from gerai.core import heartbeat, jobs, running


class Command(BaseCommand):
    help = (
        "Run the task worker (db_worker, or an RQ worker when GERAI_TASKS_BACKEND=rq); every --pulse seconds run the "
        "apps' pulse jobs (the dashboards' rollups, the outbox, the webhooks); every --every seconds their sweeps "
        "(SLA, complaints, digests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60)
        parser.add_argument("--pulse", type=float, default=2.0)

    def handle(self, every: int, pulse: float, **options):
        running.hold()  # `manage.py restore` refuses while the worker lives

        def sweeps():
            for job in jobs.minute_jobs:
                job()

        self._loop("gerai-heartbeat", heartbeat.BEAT_SECONDS, heartbeat.beat)  # /readyz sees a dead worker
        for name, job in jobs.pulse_jobs.items():
            self._loop(name, pulse, job)
        self._loop("gerai-sweeps", every, sweeps)
        self._work()

    def _work(self) -> None:
        """The worker of the tasks backend chosen (settings.TASKS), in this process's main thread, until stopped."""
        from django_tasks_rq import RQBackend

        backend = task_backends["default"]
        if isinstance(backend, RQBackend):
            from gerai.core import rq_tasks

            queues = sorted(backend.queues)
            call_command("rqworker", *queues, job_class=rq_tasks.JOB_CLASS, worker_class=rq_tasks.WORKER_CLASS)
        else:
            call_command("db_worker", reload=False)

    def _loop(self, name: str, seconds: float, job) -> None:
        def run():
            while True:
                try:
                    job()
                except Exception as exc:  # the database may be restarting; try again at the next beat
                    self.stderr.write(f"{name}: {type(exc).__name__}")
                finally:
                    close_old_connections()
                time.sleep(seconds)

        threading.Thread(target=run, daemon=True, name=name).start()

import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections


class Command(BaseCommand):
    help = (
        "Run the task worker; every --pulse seconds add pending counter changes to the dashboards' rollups and "
        "send the outbox and the webhooks; every --every seconds enqueue the SLA, complaint and digest sweeps."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60)
        parser.add_argument("--pulse", type=float, default=2.0)

    def handle(self, every: int, pulse: float, **options):
        from gerai.applications.tasks import sla_sweep
        from gerai.complaints.tasks import report_sweep
        from gerai.dashboards.rollups import rollups_fold
        from gerai.notifications.services import outbox_send_due
        from gerai.notifications.tasks import officer_digests
        from gerai.webhooks.services import webhooks_send_due

        def sweeps():
            sla_sweep.enqueue()
            officer_digests.enqueue()  # sends only once a day per officer
            report_sweep.enqueue()

        self._loop("gerai-rollups", pulse, rollups_fold)
        self._loop("gerai-outbox", pulse, outbox_send_due)  # a slow gateway never holds up the counters
        self._loop("gerai-webhooks", pulse, webhooks_send_due)  # nor a slow webhook receiver the outbox
        self._loop("gerai-sweeps", every, sweeps)
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

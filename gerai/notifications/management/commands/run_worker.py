import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker, and enqueue the outbox, SLA and digest sweeps every --every seconds."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60)

    def handle(self, every: int, **options):
        from gerai.applications.tasks import sla_sweep
        from gerai.complaints.tasks import report_sweep
        from gerai.notifications.tasks import officer_digests, outbox_sweep

        def tick():
            while True:
                try:
                    outbox_sweep.enqueue()
                    sla_sweep.enqueue()
                    officer_digests.enqueue()  # sends only once a day per officer
                    report_sweep.enqueue()
                except Exception as exc:  # the database may be restarting; try at the next tick
                    self.stderr.write(f"sweep enqueue failed: {type(exc).__name__}")
                time.sleep(every)

        threading.Thread(target=tick, daemon=True, name="gerai-sweeps").start()
        call_command("db_worker", reload=False)

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gerai.applications"
    label = "applications"

    def ready(self) -> None:
        from gerai.applications.tasks import sla_sweep
        from gerai.core import jobs

        jobs.every_minute(sla_sweep.enqueue)

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "gerai.complaints"
    label = "complaints"
    verbose_name = "Complaints and reports"

    def ready(self) -> None:
        from gerai.complaints.personal_data import reports_of
        from gerai.complaints.tasks import report_sweep
        from gerai.core import jobs, personal_data

        jobs.every_minute(report_sweep.enqueue)
        personal_data.register("pengaduan", reports_of)

        from gerai.complaints.services import categories_seed_on_onboarding
        from gerai.core import events

        events.subscribe(("region.onboard",), categories_seed_on_onboarding)

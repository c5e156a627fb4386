from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gerai.applications"
    label = "applications"

    def ready(self) -> None:
        from gerai.applications.personal_data import applications_of
        from gerai.applications.tasks import officer_digests, retention_sweep, sla_sweep
        from gerai.core import jobs, personal_data

        jobs.every_minute(sla_sweep.enqueue)
        jobs.every_minute(officer_digests.enqueue)  # sends only once a day per officer
        jobs.every_minute(retention_sweep.enqueue)  # the retention each region configured

        from gerai.applications.services import answered_open_fields, applications_release_of
        from gerai.catalog.services import FIELD_REMOVAL_GUARDS
        from gerai.core import events

        events.subscribe(("staff.deactivate",), applications_release_of)
        from gerai.applications import tracking

        events.subscribe_all(tracking.on_audited_write)  # kept tracking answers go stale with their application
        FIELD_REMOVAL_GUARDS.append(answered_open_fields)
        personal_data.register("permohonan", applications_of)

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "gerai.dashboards"
    label = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The rollups follow applications, reports and survey responses through the event registry, in
        the writer's transaction: the writers never import the dashboards."""
        from gerai.core import events, jobs
        from gerai.dashboards import rollups

        jobs.every_pulse("gerai-rollups", rollups.rollups_fold)
        events.watch("application", snapshot=rollups.application_state, changed=rollups.application_changed)
        events.watch("report", snapshot=rollups.report_state, changed=rollups.report_changed)
        events.watch("survey_response", snapshot=lambda _response: None, changed=rollups.survey_response_added)

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "gerai.surveys"
    label = "surveys"
    verbose_name = "Satisfaction surveys (IKM)"

    def ready(self) -> None:
        from gerai.core import events
        from gerai.surveys.services import survey_invite_on_completion

        events.subscribe(("application.complete_step",), survey_invite_on_completion)

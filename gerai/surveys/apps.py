from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "gerai.surveys"
    label = "surveys"
    verbose_name = "Satisfaction surveys (IKM)"

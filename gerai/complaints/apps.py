from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "gerai.complaints"
    label = "complaints"
    verbose_name = "Complaints and reports"

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gerai.applications"
    label = "applications"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gerai.api"
    label = "api"

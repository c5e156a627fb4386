from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "gerai.innovation"
    label = "innovation"

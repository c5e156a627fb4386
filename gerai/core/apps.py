from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gerai.core"
    label = "core"

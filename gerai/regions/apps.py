from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "gerai.regions"
    label = "regions"

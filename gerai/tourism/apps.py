from django.apps import AppConfig


class TourismConfig(AppConfig):
    name = "gerai.tourism"
    label = "tourism"

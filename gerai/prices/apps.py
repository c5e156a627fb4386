from django.apps import AppConfig


class PricesConfig(AppConfig):
    name = "gerai.prices"
    label = "prices"

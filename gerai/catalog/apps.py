from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gerai.catalog"
    label = "catalog"

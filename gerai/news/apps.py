from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "gerai.news"
    label = "news"

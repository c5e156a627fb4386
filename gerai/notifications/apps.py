from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gerai.notifications"
    label = "notifications"

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "gerai.dashboards"
    label = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"

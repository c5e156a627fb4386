from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gerai.audit"
    label = "audit"

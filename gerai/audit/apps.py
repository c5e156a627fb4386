from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gerai.audit"
    label = "audit"

    def ready(self) -> None:
        from gerai.audit.tasks import audit_checkpoint
        from gerai.core import jobs

        jobs.every_minute(audit_checkpoint.enqueue)

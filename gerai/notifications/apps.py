from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gerai.notifications"
    label = "notifications"

    def ready(self) -> None:
        from gerai.core import jobs
        from gerai.notifications.services import outbox_send_due
        from gerai.notifications.tasks import outbox_retention

        jobs.every_pulse("gerai-outbox", outbox_send_due)
        jobs.every_minute(outbox_retention.enqueue)

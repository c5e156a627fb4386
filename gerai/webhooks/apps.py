from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "gerai.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from gerai.core import events
        from gerai.webhooks.services import SENT_FOR, deliveries_record

        events.subscribe(SENT_FOR, deliveries_record)

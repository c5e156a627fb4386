from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "gerai.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from gerai.core import events, jobs
        from gerai.webhooks.services import SENT_FOR, deliveries_record, webhooks_send_due

        events.subscribe(SENT_FOR, deliveries_record)
        jobs.every_pulse("gerai-webhooks", webhooks_send_due)  # a slow receiver never holds up the outbox

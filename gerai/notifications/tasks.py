from django.tasks import task

from gerai.notifications.services import outbox_retention_sweep


@task
def outbox_retention() -> int:
    """Blank the text of messages sent or failed longer ago than GERAI_OUTBOX_KEEP_DAYS."""
    return outbox_retention_sweep()

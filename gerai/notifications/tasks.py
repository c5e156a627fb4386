"""Worker tasks: each is one line that calls a service (ids as arguments)."""

import datetime as dt

from django.tasks import task

from gerai.notifications.services import officer_digests_send, outbox_deliver, outbox_due_ids


def enqueue_later(task_obj, when: dt.datetime, *args) -> None:
    """Run a task at `when` where the backend can defer; elsewhere the periodic sweep catches it."""
    backend = task_obj.get_backend()
    if backend.supports_defer:
        task_obj.using(run_after=when).enqueue(*args)


@task
def outbox_send(message_id: int) -> str:
    result = outbox_deliver(message_id)
    if result == "retry":
        from gerai.notifications.models import OutboxMessage

        message = OutboxMessage.objects.get(pk=message_id)
        enqueue_later(outbox_send, message.next_attempt_at, message_id)
    return result


@task
def outbox_sweep() -> int:
    """Send whatever is due (retries whose deferred task was lost, messages queued while the worker was down)."""
    ids = outbox_due_ids()
    for message_id in ids:
        outbox_deliver(message_id)
    return len(ids)


@task
def officer_digests() -> int:
    return officer_digests_send()

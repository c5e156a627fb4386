"""Worker tasks: each is one line that calls a service (ids as arguments)."""

from django.tasks import task

from gerai.notifications.services import officer_digests_send


@task
def officer_digests() -> int:
    return officer_digests_send()

from django.tasks import task

from gerai.applications.messages import officer_digests_send
from gerai.applications.selectors import overdue_unnotified
from gerai.applications.services import application_remind_overdue, applications_retention_sweep
from gerai.core.actors import Actor


@task
def sla_sweep() -> int:
    """Remind the supervisors of every overdue application not yet reminded (run_worker: every minute)."""
    ids = list(overdue_unnotified().values_list("pk", flat=True)[:500])
    return sum(application_remind_overdue(actor=Actor.system(), application_id=pk) for pk in ids)


@task
def officer_digests() -> int:
    """Each officer's daily digest of their queue (run_worker: every minute; sends once a day)."""
    return officer_digests_send()


@task
def retention_sweep() -> dict[str, int]:
    """Retention each region configured: old drafts never sent, counter consents' evidence (run_worker: every
    minute; a region that set nothing is not touched)."""
    return applications_retention_sweep()

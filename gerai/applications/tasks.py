from django.tasks import task

from gerai.applications.selectors import overdue_unnotified
from gerai.applications.services import application_remind_overdue
from gerai.core.actors import Actor


@task
def application_overdue_check(application_id: int) -> bool:
    return application_remind_overdue(actor=Actor.system(), application_id=application_id)


@task
def sla_sweep() -> int:
    """Remind supervisors of every overdue application not yet reminded (the deferred checks' safety net)."""
    ids = list(overdue_unnotified().values_list("pk", flat=True)[:500])
    return sum(application_remind_overdue(actor=Actor.system(), application_id=pk) for pk in ids)

from django.tasks import task

from gerai.complaints.services import reports_sweep


@task
def report_sweep() -> dict:
    """Auto-close answered reports left unanswered; escalate overdue ones (once each)."""
    return reports_sweep()

from django.tasks import task

from gerai.prices.services import weekly_summaries_send


@task
def weekly_summaries() -> int:
    """The Monday summary of food prices for each region's TPID (run_worker: every minute; once a week)."""
    return weekly_summaries_send()

from django.tasks import task

from gerai.news.services import articles_publish_due


@task
def news_publish_due() -> int:
    """Publish the scheduled articles whose time has come (run_worker: every minute)."""
    return articles_publish_due()

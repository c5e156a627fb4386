from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "gerai.news"
    label = "news"

    def ready(self) -> None:
        from gerai.core import jobs
        from gerai.news.tasks import news_publish_due

        jobs.every_minute(news_publish_due.enqueue)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gerai.core"
    label = "core"

    def ready(self):
        from gerai.core import events, pagecache

        events.subscribe_all(pagecache.on_audited_write)

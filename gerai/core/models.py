from django.db import models

from gerai.core.memo import ttl_memo


class PlatformFlag(models.Model):
    """Platform-wide switches kept in the database, e.g. that the demo data is loaded."""

    name = models.CharField(max_length=50, unique=True)
    value = models.CharField(max_length=200, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


DEMO_FLAG = "demo_loaded"


@ttl_memo
def demo_loaded() -> bool:
    """Asked by every page; changes once in a platform's life."""
    return PlatformFlag.objects.filter(name=DEMO_FLAG).exists()

"""The task worker's heartbeat: it stamps a platform flag every few seconds, and /readyz reports a worker
whose last stamp is older than GERAI_WORKER_STALE_SECONDS (a dead or hung worker: the outbox, the webhooks
and the SLA sweeps have stopped while the pages still serve)."""

from django.conf import settings
from django.utils import timezone

from gerai.core.models import PlatformFlag

WORKER_PULSE = "worker_pulse"
BEAT_SECONDS = 10


def beat() -> None:
    PlatformFlag.objects.update_or_create(name=WORKER_PULSE, defaults={"value": timezone.now().isoformat()})


def worker_state() -> dict:
    """{"alive": bool, "seconds_since_pulse": int | None}."""
    stamp = PlatformFlag.objects.filter(name=WORKER_PULSE).values_list("set_at", flat=True).first()
    if stamp is None:
        return {"alive": False, "seconds_since_pulse": None}
    age = int((timezone.now() - stamp).total_seconds())
    return {"alive": age <= settings.GERAI_WORKER_STALE_SECONDS, "seconds_since_pulse": age}

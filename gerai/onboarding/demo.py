"""The demo's versions: every published service gets its first version, so Seruyan's adoptions of Banyuwangi's
services know the source version they came from and hear of Banyuwangi's next one."""

from gerai.catalog.models import Service
from gerai.catalog.services import service_publish
from gerai.core.actors import Actor


def load_demo() -> None:
    actor = Actor.system()
    for service in Service.objects.filter(is_published=True, current_version__isnull=True).order_by("pk"):
        service_publish(actor=actor, service=service, note="")

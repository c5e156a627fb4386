"""Who is acting. Every service function takes an explicit Actor; nothing reads a thread-local user."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from gerai.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: "User | None"
    ip: str | None = None
    via: str = "web"  # web | api | system | counter

    @classmethod
    def system(cls) -> "Actor":
        return cls(user=None, ip=None, via="system")

    @property
    def label(self) -> str:
        if self.user is None:
            return "system"
        return f"user:{self.user.pk}"


def client_ip(request) -> str | None:
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def actor_from_request(request, *, via: str = "web") -> Actor:
    user = request.user if request.user.is_authenticated else None
    return Actor(user=user, ip=client_ip(request), via=via)

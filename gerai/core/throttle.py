"""Fixed-window request throttling on the shared cache (database or Redis), so every server
process counts together."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # never store addresses in clear
    return f"throttle:{scope}:{digest}"


def throttle_allow(scope: str, ident: str) -> bool:
    """Count one hit; False once the scope's limit for this window is exceeded."""
    limit, window = settings.GERAI_THROTTLES[scope]
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return hits <= limit


def throttle_reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))

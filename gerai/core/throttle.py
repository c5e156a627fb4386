"""Fixed-window request throttling.

`throttle_allow` counts on the shared cache (database or Redis), so every server process counts
together: for sign-in, where accuracy matters and requests are rare. `throttle_allow_local` counts in
the process itself, with no network round trip: for hot public reads (tracking look-ups) where an
address may get the limit once per server process, which still leaves guessing a 10^12 code space hopeless."""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # never store addresses in clear
    return f"throttle:{scope}:{digest}"


def throttle_allow(scope: str, ident: str) -> bool:
    """Count one hit; False once the scope's limit for this window is exceeded."""
    limit, window = settings.GERAI_THROTTLES[scope]
    key = _key(scope, ident)
    try:
        hits = cache.incr(key)  # one round trip while the window is open
    except ValueError:  # no window yet (or it just expired): open one
        if cache.add(key, 1, timeout=window):
            return True
        hits = cache.incr(key)
    return hits <= limit


def throttle_window(scope: str) -> int:
    """The scope's window in seconds: an upper bound on the wait, for a 429's Retry-After."""
    return settings.GERAI_THROTTLES[scope][1]


def throttle_reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


_local: dict[str, tuple[float, int]] = {}
_local_lock = threading.Lock()


def throttle_allow_local(scope: str, ident: str) -> bool:
    limit, window = settings.GERAI_THROTTLES[scope]
    key = f"{scope}:{ident}"
    now = time.monotonic()
    with _local_lock:
        started, hits = _local.get(key, (now, 0))
        if now - started >= window:
            started, hits = now, 0
        _local[key] = (started, hits + 1)
        if len(_local) > 50_000:  # forget closed windows now and then
            for stale in [k for k, (t, _n) in _local.items() if now - t >= window]:
                del _local[stale]
    return hits + 1 <= limit


def throttle_reset_local() -> None:
    with _local_lock:
        _local.clear()

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
    """Count one hit; False once the scope's limit for this window is exceeded.

    The window opens at the first hit and closes on time: its opening is kept under one key, set once with
    the window's timeout, and the hits under a key named by that opening. (Counting under one key alone let
    a window outlive its time: the database cache's incr is a get and a set, which restarts the timeout, so
    steady retries never saw it close.) Atomic on Redis; on the database cache two hits at the same instant
    may count once."""
    limit, window = settings.GERAI_THROTTLES[scope]
    base = _key(scope, ident)
    opened = time.time_ns()
    if not cache.add(base, opened, timeout=window):
        opened = cache.get(base, opened)
    key = f"{base}:{opened}"
    cache.add(key, 0, timeout=window + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.add(key, 1, timeout=window + 1)
        return True
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

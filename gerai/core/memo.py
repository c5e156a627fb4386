"""A small per-process memo with a time limit, for rows every request reads and that change rarely
(regions, the demo flag, filter choices). GERAI_REGION_CACHE_SECONDS bounds how stale they may be;
it is 0 in tests."""

import functools
import threading
import time

from django.conf import settings


def ttl_memo(func):
    store: dict = {}
    lock = threading.Lock()

    @functools.wraps(func)
    def wrapper(*args):
        now = time.monotonic()
        hit = store.get(args)
        if hit is not None and now - hit[0] < settings.GERAI_REGION_CACHE_SECONDS:
            return hit[1]
        value = func(*args)
        with lock:
            store[args] = (now, value)
        return value

    wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
    return wrapper

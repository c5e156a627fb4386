"""Settings for the load benchmark: Gerai's own settings, plus the bare comparison views, with the
tracking throttle raised (every request comes from 127.0.0.1) but still counted on the shared cache, and the
complaint throttle too (bench/regions.py files each region's complaints with one account, where a region has
many citizens: 20 in its peak hour from one account would trip the 5 per 10 minutes meant for one person)."""

from gerai.settings import *  # noqa: F403
from gerai.settings import GERAI_THROTTLES

ROOT_URLCONF = "bench.urls"
GERAI_THROTTLES = GERAI_THROTTLES | {"tracking": (10**9, 60), "verify": (10**9, 60), "report": (10**9, 600)}
# with GERAI_REDIS_URL, gerai.settings keeps the cache in Redis with production's backend (gerai.core.rediscache)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

"""Reads from a PostgreSQL streaming replica (DATABASE_REPLICA_URL), with read-your-writes.

Only what a web request reads outside a transaction goes to the replica, and only when the request is a
GET or HEAD from a browser that has written nothing in the last GERAI_REPLICA_PIN_SECONDS: after any other
request the middleware sets a short-lived cookie that keeps the visitor's next requests on the primary, so
the page after a POST (the redirect of PRG) shows what was just written, however far the replica lags.
Everything else stays on the primary: writes, reads inside `transaction.atomic` (check-then-write, row
locks), the worker, management commands and tests. Without DATABASE_REPLICA_URL neither the router nor the
middleware is installed."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "gerai_primary"
_reads_from_replica: ContextVar[bool] = ContextVar("gerai_reads_from_replica", default=False)


@contextmanager
def reading_primary() -> Iterator[None]:
    """Reads in this block go to the primary, even in a request that may read the replica: what is built to be
    kept for everyone (a public page, a cached value, gerai/core/pagecache.py) must show every write whose commit
    made the last one stale, and the replica may not have replayed it yet."""
    token = _reads_from_replica.set(False)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Lets a safe request from a visitor who wrote nothing lately read from the replica; pins a visitor
    who just wrote to the primary for GERAI_REPLICA_PIN_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD") and PIN_COOKIE not in request.COOKIES
        token = _reads_from_replica.set(safe)
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.GERAI_REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

"""A tiny explicit event registry, so that writers never import their readers.

Every write already records an audit entry in its own transaction (`audit_record`); the audit service
hands the same (action, object, region, changes) to `emit`, and whoever cares subscribes to the action
names it wants, usually from its AppConfig.ready():

    from gerai.core import events
    events.subscribe(("application.submit", "report.file"), my_handler)

A handler runs inside the writer's transaction, so what it writes (e.g. a webhook delivery row) commits
or rolls back with the change. It must be quick and must not do I/O: record a row and let the worker
send it. An exception in a handler rolls the write back, like any other error in the transaction."""

from collections.abc import Callable, Iterable
from typing import Any

Handler = Callable[..., Any]

_handlers: dict[str, list[Handler]] = {}


def subscribe(actions: Iterable[str], handler: Handler) -> None:
    """Call `handler(action=…, obj=…, region=…, changes=…)` after each audited write named in `actions`."""
    for action in actions:
        if handler not in _handlers.setdefault(action, []):
            _handlers[action].append(handler)


def emit(action: str, *, obj: Any = None, region: Any = None, changes: dict | None = None) -> None:
    for handler in _handlers.get(action, ()):
        handler(action=action, obj=obj, region=region, changes=changes or {})

"""A small explicit event registry, so that writers never import their readers.

Two kinds of event, both delivered inside the writer's transaction (what a subscriber writes commits or
rolls back with the change), both for quick work without I/O (record a row; the worker sends or folds it):

* **Audited actions.** Every write records an audit entry (`audit_record`), which hands the same
  (action, object, region, changes) to `emit`. Subscribe to the action names you want, usually from your
  AppConfig.ready()::

      events.subscribe(("application.submit", "report.file"), my_handler)

* **Changes of a row that readers keep figures about** (an application, a report, a survey response).
  The writer takes a snapshot before it changes the row and reports the change after, naming only the
  kind of row; each watcher decides what its snapshot holds (the dashboards: the fields their counters
  depend on)::

      before = events.snapshot("application", application)      # in the writer
      ... update the row ...
      events.changed("application", application, before)        # before=None for a new row

      events.watch("application", snapshot=application_state, changed=application_changed)  # reader

A writer that makes several changes in one transaction wraps them in `events.batched()`; a watcher that
would write a row per change can then gather them in `events.buffer()` and write once at the block's end.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Any]

_handlers: dict[str, list[Handler]] = {}


def subscribe(actions: Iterable[str], handler: Handler) -> None:
    """Call `handler(action=…, obj=…, region=…, changes=…)` after each audited write named in `actions`."""
    for action in actions:
        if handler not in _handlers.setdefault(action, []):
            _handlers[action].append(handler)


_every: list[Handler] = []


def subscribe_all(handler: Handler) -> None:
    """Call `handler` after every audited write, whatever its action (what depends on "anything changed in
    this region", such as the public pages' cache)."""
    if handler not in _every:
        _every.append(handler)


def emit(action: str, *, obj: Any = None, region: Any = None, changes: dict | None = None) -> None:
    for handler in _handlers.get(action, ()):
        handler(action=action, obj=obj, region=region, changes=changes or {})
    for handler in _every:
        handler(action=action, obj=obj, region=region, changes=changes or {})


# --- changes of rows that readers count --------------------------------------------------------------


@dataclass(frozen=True)
class _Watcher:
    snapshot: Callable[[Any], Any]
    changed: Callable[[Any, Any], None]


_watchers: dict[str, list[_Watcher]] = {}

#: What `snapshot` returns: each watcher's own view of the row before the change.
Snapshot = tuple


def watch(kind: str, *, snapshot: Callable[[Any], Any], changed: Callable[[Any, Any], None]) -> None:
    """Follow changes of rows of `kind`: `snapshot(row)` is taken before a change, and
    `changed(before, row)` called after it (`before` is None for a new row)."""
    watcher = _Watcher(snapshot, changed)
    if watcher not in _watchers.setdefault(kind, []):
        _watchers[kind].append(watcher)


def snapshot(kind: str, row: Any) -> Snapshot:
    """The row as each watcher sees it now, to hand back to `changed` after the change."""
    return tuple(watcher.snapshot(row) for watcher in _watchers.get(kind, ()))


def changed(kind: str, row: Any, before: Snapshot | None) -> None:
    """Tell the watchers of `kind` that `row` changed since `before` (None: the row is new)."""
    for i, watcher in enumerate(_watchers.get(kind, ())):
        watcher.changed(None if before is None else before[i], row)


# --- batching within a transaction -----------------------------------------------------------------

_batch = threading.local()


@contextmanager
def batched():
    """Gather what watchers buffer inside this block and let them write it once when the block ends
    (still inside the caller's transaction). Nested blocks join the outermost one. On an exception
    nothing buffered is written."""
    if getattr(_batch, "buffers", None) is not None:
        yield
        return
    _batch.buffers = {}
    try:
        yield
        buffers, _batch.buffers = _batch.buffers, None
        for value, flush in buffers.values():
            flush(value)
    finally:
        _batch.buffers = None


def buffer(key: str, *, factory: Callable[[], Any], flush: Callable[[Any], None]) -> Any | None:
    """Inside a `batched()` block: this key's buffer (made by `factory` on first use), which `flush` gets
    when the block ends. Outside one: None, and the caller writes at once."""
    buffers = getattr(_batch, "buffers", None)
    if buffers is None:
        return None
    if key not in buffers:
        buffers[key] = (factory(), flush)
    return buffers[key][0]

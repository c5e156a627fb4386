"""Compare-and-set on a versioned row: the one way a service moves an application or a report from one
state to the next, so that two people acting at once cannot both win.

The row's model has an integer `version`, a `status` and an `updated_at`. A transition names the states
it may leave and the fields it sets; it applies only if the row still has the version (and state) that
was read, bumps the version, reloads the instance and reports the change to the readers
(`gerai.core.events`) in the same transaction. Each app turns the two refusals into its own error.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from gerai.core import events


class StateNotAllowed(Exception):
    """The row is not in a state the transition may leave (as read; nothing was written)."""


class Conflict(Exception):
    """Someone else changed the row since it was read (nothing was written)."""


def compare_and_set[M: models.Model](
    instance: M, *, kind: str, allowed: Iterable[str], flags: tuple[str, ...] = (), **fields: Any
) -> M:
    """Apply `fields` to `instance`'s row only if nobody changed it since it was read, then reload it.

    `kind` names the row for `events.changed`. `flags` are nullable fields that another writer may set
    without a new version (the SLA sweep's overdue mark): the update must still match whether each is
    set, so that the readers know which state the row leaves; when only a flag moved, the instance
    learns it and the update is tried once more. Raises StateNotAllowed or Conflict."""
    allowed = tuple(allowed)
    if getattr(instance, "status") not in allowed:  # noqa: B009 - any model with a status field
        raise StateNotAllowed
    model = type(instance)
    now = timezone.now()
    with transaction.atomic():
        for _attempt in range(2):
            before = events.snapshot(kind, instance)
            version = getattr(instance, "version")  # noqa: B009
            matches = {f"{flag}__isnull": getattr(instance, flag) is None for flag in flags}
            updated = model._default_manager.filter(
                pk=instance.pk, version=version, status__in=allowed, **matches
            ).update(version=F("version") + 1, updated_at=now, **fields)
            if updated == 1:
                break
            if not flags:
                raise Conflict
            current = model._default_manager.filter(pk=instance.pk, version=version).values(*flags).first()
            if current is None:
                raise Conflict
            for flag in flags:  # only a flag moved: learn it and try again
                setattr(instance, flag, current[flag])
        else:
            raise Conflict
        instance.refresh_from_db()
        events.changed(kind, instance, before)  # the dashboards' counters, in this transaction
    return instance

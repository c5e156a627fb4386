from django.db import transaction
from django.utils import timezone

from gerai.audit import chain
from gerai.audit.models import AuditEntry
from gerai.core import events
from gerai.core.actors import Actor


def audit_record(*, actor: Actor, action: str, obj=None, region=None, changes: dict | None = None) -> AuditEntry:
    """Append an audit entry. Must run inside the caller's transaction, so the write and its
    record commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the write's transaction")
    user = actor.user
    entry = chain.append(
        AuditEntry(
            region_id=region.pk if region is not None else None,
            actor=user,
            actor_ref=str(user.pk) if user is not None else "",
            via=actor.via,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            changes=chain.canonical_changes(changes),
            ip=chain.canonical_ip(actor.ip),
            at=timezone.now(),
        )
    )
    events.emit(action, obj=obj, region=region, changes=changes)  # subscribers write in this transaction
    return entry

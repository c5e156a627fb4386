from django.db import transaction

from gerai.audit.models import AuditEntry
from gerai.core import events
from gerai.core.actors import Actor


def audit_record(*, actor: Actor, action: str, obj=None, region=None, changes: dict | None = None) -> AuditEntry:
    """Append an audit entry. Must run inside the caller's transaction, so the write and its
    record commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the write's transaction")
    entry = AuditEntry.objects.create(
        region=region,
        actor=actor.user,
        via=actor.via,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        ip=actor.ip,
    )
    events.emit(action, obj=obj, region=region, changes=changes)  # subscribers write in this transaction
    return entry

from django.db import IntegrityError, transaction

from gerai.api.models import IdempotencyRecord


def idempotency_claim(*, user, key: str, request_sha256: str) -> str | None:
    """Record that this user's key was used for this request, inside the caller's transaction (the
    record rolls back with a refused request). Returns None for a new key, or the hash of the request
    that used it first. Bookkeeping of the write it guards, whose own service writes the audit entry."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("idempotency_claim must run inside the request's transaction")
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(user=user, key=key, request_sha256=request_sha256)
    except IntegrityError:
        return (
            IdempotencyRecord.objects.filter(user=user, key=key).values_list("request_sha256", flat=True).first() or ""
        )
    return None

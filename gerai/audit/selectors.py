from gerai.audit.models import AuditEntry


def audit_entries_for_region(region, *, action: str = ""):
    entries = AuditEntry.objects.filter(region=region).select_related("actor").order_by("-at", "-pk")
    if action:
        entries = entries.filter(action__startswith=action)
    return entries

from gerai.audit.models import AuditEntry


def audit_entries_for_region(region, *, action: str = ""):
    entries = AuditEntry.objects.filter(region=region).select_related("actor").order_by("-at", "-pk")
    if action:
        entries = entries.filter(action__startswith=action)
    return entries


def region_last_changed(region):
    """When anything in the region was last written (every write is audited), or None: one read of the
    (region, -at) index."""
    return AuditEntry.objects.filter(region=region).order_by("-at").values_list("at", flat=True).first()

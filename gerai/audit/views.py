from django.core.paginator import Paginator
from django.shortcuts import render

from gerai.accounts.decorators import staff_view
from gerai.audit.chain import chain_state
from gerai.audit.selectors import audit_entries_for_region


@staff_view(admin=True)
def audit_log(request):
    """The region's audit log, newest first, filtered by the start of an action's name, with the state of
    its hash chain."""
    entries = Paginator(audit_entries_for_region(request.region, action=request.GET.get("aksi", "")[:60]), 50)
    return render(
        request,
        "audit/log.html",
        {"page": entries.get_page(request.GET.get("hal")), "chain": chain_state(request.region)},
    )

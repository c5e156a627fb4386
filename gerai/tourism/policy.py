"""Who sees what of the tourism pages. The public sees published destinations and events of a region that has
switched the tourism module on; the region's content editors and admins (Access.CONTENT) see and change
everything of their own region, drafts included; nobody else sees a draft, and the same 404 answers a missing
page, a draft and another region's page."""

from django.http import Http404

from gerai.accounts.policy import Access, staff_may
from gerai.accounts.selectors import staff_roles_for_request
from gerai.regions.models import Region

MODULE = Region.Module.TOURISM


def module_required(region) -> None:
    """The module's pages exist only in a region that switched it on."""
    if not region.has_module(MODULE):
        raise Http404


def may_edit(request, region) -> bool:
    """May this visitor manage the region's destinations and events (and so see its drafts)?"""
    if not request.user.is_authenticated:
        return False
    return staff_may(request.user, staff_roles_for_request(request, region), Access.CONTENT)

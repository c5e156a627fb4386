"""Who may see and do what with reports. Coordinators (and region admins) verify and route every
report of the region; agency staff handle the reports sent to their agency; nobody outside sees more
than the public page."""

from django.db.models import Q

from gerai.accounts.models import StaffRole
from gerai.accounts.selectors import is_region_admin, staff_agency_ids

COORDINATOR = "coordinator"


def is_coordinator(user, region) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        is_region_admin(user, region) or StaffRole.objects.filter(user=user, region=region, role=COORDINATOR).exists()
    )


def staff_reports_q(user, region) -> Q | None:
    """None: every report of the region (coordinators); else those sent to the user's agencies."""
    if is_coordinator(user, region):
        return None
    return Q(agency_id__in=staff_agency_ids(user, region))


def is_agency_staff(user, report) -> bool:
    return report.agency_id is not None and report.agency_id in staff_agency_ids(user, report.region)


def identity_visible(user, report) -> bool:
    """An anonymous reporter's identity reaches the coordinator only, never the agency."""
    return not report.anonymous or is_coordinator(user, report.region)

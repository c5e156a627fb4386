"""Who may do what with an application. Selectors (which rows may a user see?) and services
(may this user act on this row?) both ask here, so lists and actions never disagree."""

from django.db.models import Q

from gerai.accounts.models import StaffRole
from gerai.accounts.policy import Access, staff_may
from gerai.accounts.selectors import is_region_admin, staff_agency_ids, staff_roles_in_region
from gerai.applications.models import ACTIONABLE_STATUSES, Application


def staff_visibility_q(user, region) -> Q | None:
    """A filter for the applications of `region` this staff user may open; None means all of them."""
    if is_region_admin(user, region):
        return None
    agencies = staff_agency_ids(user, region)
    return Q(current_agency_id__in=agencies) | Q(events__agency_id__in=agencies)


def can_act(user, application: Application) -> bool:
    """Officers (or supervisors) of the agency that holds the current step; supervisor-only steps
    need a supervisor."""
    if application.status not in ACTIONABLE_STATUSES or application.current_agency_id is None:
        return False
    roles = set(
        StaffRole.objects.filter(
            user=user, region_id=application.region_id, agency_id=application.current_agency_id
        ).values_list("role", flat=True)
    )
    step = application.current_step
    if step is not None and step.role == StaffRole.Role.SUPERVISOR:
        return StaffRole.Role.SUPERVISOR in roles
    return bool(roles & {StaffRole.Role.OFFICER, StaffRole.Role.SUPERVISOR})


def can_assign(user, application: Application) -> bool:
    """The supervisors of the agency that holds the application (a supervisor's role always has an agency, so
    an application that no agency holds has none), and the region's admins."""
    agency_id = application.current_agency_id
    supervisor = (
        agency_id is not None
        and StaffRole.objects.filter(
            user=user, region_id=application.region_id, agency_id=agency_id, role=StaffRole.Role.SUPERVISOR
        ).exists()
    )
    return supervisor or is_region_admin(user, application.region)


def can_file_for_others(user, region) -> bool:
    """Counter operators: officers of a desa or kecamatan office, or of any agency with a counter (the same
    rule that shows the counter's link)."""
    return staff_may(user, staff_roles_in_region(user, region), Access.COUNTER)

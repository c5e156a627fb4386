"""Which office pages a staff member may open, decided from their roles in one region. The views' decorator
(`staff_view` in gerai/accounts/decorators.py) and the office navigation (gerai/accounts/context_processors.py) both
ask here, so a link is shown exactly when its page opens."""

from collections.abc import Iterable
from enum import StrEnum

from gerai.accounts.models import StaffRole


class Access(StrEnum):
    STAFF = "staff"  # any role in the region
    ADMIN = "admin"  # region admins
    COUNTER = "counter"  # assisted filing: officers and supervisors of a desa, kecamatan or dinas office
    CONTENT = "content"  # news and tourism: content editors and region admins
    PRICES = "prices"  # food prices: enumerators, the inflation team (TPID) and region admins
    ASSESSMENT = "assessment"  # governance self-assessments: assessors, agency officers and supervisors, admins
    PLANNING = "planning"  # the innovation library and roadmap: planners and region admins


COUNTER_AGENCY_KINDS = frozenset({"desa", "kecamatan", "dinas"})
_ACTING = frozenset({StaffRole.Role.OFFICER, StaffRole.Role.SUPERVISOR})
# The pages of a feature open to the roles that work on it (and to region admins). What each may do there
# is the feature's own policy (e.g. only the TPID publishes prices an enumerator entered).
_ROLES_FOR = {
    Access.CONTENT: frozenset({StaffRole.Role.EDITOR}),
    Access.PRICES: frozenset({StaffRole.Role.ENUMERATOR, StaffRole.Role.TPID}),
    Access.ASSESSMENT: frozenset({StaffRole.Role.ASSESSOR, *_ACTING}),
    Access.PLANNING: frozenset({StaffRole.Role.PLANNER}),
}


def staff_may(user, roles: Iterable[StaffRole], access: Access) -> bool:
    """May this signed-in user, with these roles in the region (agencies selected), open pages that need
    `access`? Superusers open every staff and admin page; the counter files in a citizen's name, so it
    needs a real office role even for them."""
    if access is Access.COUNTER:
        return any(r.role in _ACTING and r.agency is not None and r.agency.kind in COUNTER_AGENCY_KINDS for r in roles)
    if user.is_superuser:
        return True
    if access is Access.ADMIN:
        return any(r.role == StaffRole.Role.ADMIN for r in roles)
    if access in _ROLES_FOR:
        return any(r.role in _ROLES_FOR[access] or r.role == StaffRole.Role.ADMIN for r in roles)
    return any(True for _role in roles)


# Where a staff member starts after signing in: the work queue for those who act on applications, else the
# office page of the first feature they work on (keys of gerai.accounts.context_processors.REGION_LINKS).
_R = StaffRole.Role
_HOME_BY_ROLE = (
    (frozenset({_R.OFFICER, _R.SUPERVISOR, _R.ADMIN}), "office"),
    (frozenset({_R.COORDINATOR}), "reports_office"),
    (frozenset({_R.ENUMERATOR, _R.TPID}), "prices_office"),
    (frozenset({_R.ASSESSOR}), "governance"),
    (frozenset({_R.PLANNER}), "innovation_office"),
    (frozenset({_R.EDITOR}), "news_office"),
)
QUEUE_HOMES = frozenset({"office", "reports_office"})


def office_home(roles: Iterable[StaffRole], modules: Iterable[str] = ()) -> str | None:
    """The office page a staff member with these roles in one region starts on, or None for no role. An
    editor of a region without the news module starts on tourism."""
    held = {r.role for r in roles}
    for needs, key in _HOME_BY_ROLE:
        if held & needs:
            return "tourism_office" if key == "news_office" and "berita" not in modules else key
    return None

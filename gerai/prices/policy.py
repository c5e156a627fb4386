"""Who may do what with food prices, beyond opening the pages (Access.PRICES in gerai/accounts/policy.py):
enumerators enter prices; the inflation team (TPID) also checks and publishes them, keeps the reference prices
and thresholds, and receives the alerts; region admins may do all of it."""

from collections.abc import Iterable

from gerai.accounts.models import StaffRole, User

Role = StaffRole.Role
ENTERS = frozenset({Role.ENUMERATOR, Role.TPID, Role.ADMIN})
PUBLISHES = frozenset({Role.TPID, Role.ADMIN})


def _has(user, roles: Iterable[StaffRole], allowed: frozenset) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(r.role in allowed for r in roles)


def may_enter(user, roles: Iterable[StaffRole]) -> bool:
    return _has(user, roles, ENTERS)


def may_publish(user, roles: Iterable[StaffRole]) -> bool:
    """Check and publish sheets, import files, add reference prices, set thresholds."""
    return _has(user, roles, PUBLISHES)


def alert_recipients(region):
    """The region's TPID members (active), who receive the alerts and the weekly summary."""
    return (
        User.objects.filter(is_active=True, staff_roles__region=region, staff_roles__role=Role.TPID)
        .distinct()
        .order_by("pk")
    )

"""Who may do what with a region's governance assessments: the one place that decides, for the office pages,
the services and the templates alike. Opening the office pages at all is Access.ASSESSMENT
(gerai/accounts/policy.py: assessors, agency officers and supervisors, region admins).

- **Agencies draft**: officers and supervisors fill answers and evidence while a sheet is a draft, and send it
  to review. For IKU they keep their own agency's indicators.
- **The assessor reviews and locks**: assessors and region admins (the *reviewers*) edit in draft and in
  review, decide on Gerai's live-data proposals (accept, or override with a reason), send a sheet back to
  draft, lock it, and record the evaluators' published results. Every IKU of the region is theirs.
- **A locked sheet is read-only** for everybody; only a reviewer reopens it, and only with a reason.
  A locked SAKIP sheet also locks that year's IKU.
"""

from dataclasses import dataclass
from enum import StrEnum

from gerai.accounts.models import StaffRole
from gerai.accounts.selectors import staff_roles_in_region

REVIEWER_ROLES = frozenset({StaffRole.Role.ASSESSOR, StaffRole.Role.ADMIN})
DRAFTER_ROLES = frozenset({StaffRole.Role.OFFICER, StaffRole.Role.SUPERVISOR})


class Act(StrEnum):
    EDIT = "edit"  # answers and evidence
    SUBMIT = "submit"  # draft → review
    RETURN = "return"  # review → draft
    LOCK = "lock"  # review → locked
    REOPEN = "reopen"  # locked → draft, with a reason
    DECIDE = "decide"  # accept or override a live-data proposal
    PUBLISH = "publish"  # record an official published result


@dataclass(frozen=True)
class Standing:
    """What one person is in one region's governance work."""

    reviewer: bool
    drafter: bool
    agency_ids: frozenset[int]


SYSTEM = Standing(reviewer=True, drafter=True, agency_ids=frozenset())


def standing_of(user, region) -> Standing:
    """None user: the system (the demo builder, a management command) acts as a reviewer."""
    if user is None:
        return SYSTEM
    roles = list(staff_roles_in_region(user, region))
    reviewer = user.is_superuser or any(r.role in REVIEWER_ROLES for r in roles)
    drafting = [r for r in roles if r.role in DRAFTER_ROLES]
    return Standing(reviewer, reviewer or bool(drafting), frozenset(r.agency_id for r in drafting if r.agency_id))


_ALLOWED = {  # (act, status) -> who: "reviewer" or "drafter"
    (Act.EDIT, "draft"): "drafter",
    (Act.EDIT, "review"): "reviewer",
    (Act.SUBMIT, "draft"): "drafter",
    (Act.RETURN, "review"): "reviewer",
    (Act.LOCK, "review"): "reviewer",
    (Act.REOPEN, "locked"): "reviewer",
    (Act.DECIDE, "draft"): "reviewer",
    (Act.DECIDE, "review"): "reviewer",
}


def may(standing: Standing, act: Act, status: str) -> bool:
    """May someone of this standing do `act` to a sheet in `status`?"""
    if act is Act.PUBLISH:
        return standing.reviewer
    who = _ALLOWED.get((act, status))
    return who is not None and getattr(standing, who)


def acts(standing: Standing, status: str) -> set[Act]:
    """Everything this person may do to a sheet in `status`: what its page offers."""
    return {act for act in Act if may(standing, act, status)}


def may_edit_iku(standing: Standing, agency_id: int) -> bool:
    return standing.reviewer or agency_id in standing.agency_ids

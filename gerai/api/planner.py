"""POST /api/v1/planner/solve: the roadmap planner for integrators and for the pages' what-if. No account, stores
nothing, rate-limited per client address across all server processes (gerai/core/throttle.py). The semantics are
gerai/innovation/planner.py's (docs/innovation.md)."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gerai.api.api import ApiError, ErrorOut
from gerai.core.actors import client_ip
from gerai.core.throttle import throttle_allow
from gerai.innovation.planner import ProblemError
from gerai.innovation.solving import problem_message, solve_body

API_TIME_LIMIT = 10.0

router = Router(tags=["planner"])


class ItemIn(Schema):
    id: str = Field(description="Unique within the request.")
    value: float = Field(description="Benefit per year once started; non-negative.")
    capex: float = Field(description="One-off cost in the start year; non-negative.")
    opex: float = Field(description="Cost in every year from the start on; non-negative.")
    staff: float = Field(0, description="Staff held from the start year on; non-negative.")
    requires: list[str] = Field(default_factory=list, description="Items that start in the same year or earlier.")
    excludes: list[str] = Field(default_factory=list, description="Items that may not both start.")
    must: bool = Field(False, description="Starts within the horizon.")


class SolveIn(Schema):
    years: list[int] = Field(description="Consecutive fiscal years, e.g. [2027, 2028, 2029]; at most 10.")
    budget: dict[str, float] = Field(description="One non-negative line per year, keyed by the year.")
    staff: dict[str, float] | None = Field(None, description="Optional; one line per year.")
    items: list[ItemIn] = Field(description="At most 500 candidates.")


class PlanEntry(Schema):
    id: str
    year: int


class SolveOut(Schema):
    status: str = Field(description="optimal | time_limit (best plan found, with its proven gap) | infeasible")
    objective: float | None = Field(None, description="Total value: each item's value for each year from its start.")
    plan: list[PlanEntry] | None = None
    spend: dict[str, float] | None = None
    staff: dict[str, float] | None = None
    gap: float | None = Field(None, description="Only when the time limit stopped the search.")
    bound: float | None = None
    conflicts: list[dict] | None = Field(
        None, description="When infeasible: a minimal set of constraints that cannot all hold (kind, year or ids)."
    )
    seconds: float | None = None


@router.post(
    "/solve",
    response={200: SolveOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Plan candidates across fiscal years under budgets, staff, prerequisites and exclusions (no account)",
)
def solve(request, body: SolveIn):
    # counted in the shared cache (database or Redis): every server process counts together
    if not throttle_allow("planner", client_ip(request) or "?"):
        raise ApiError(429, "throttled", _("Too many plans from your connection. Wait a minute and try again."))
    raw = body.dict()
    if raw.get("staff") is None:
        raw.pop("staff", None)
    try:
        answer = solve_body(raw, time_limit=API_TIME_LIMIT)
    except ProblemError as exc:
        message = problem_message(exc)
        raise ApiError(422, exc.code, message, details={exc.where: [message]}) from None
    answer.pop("conflict_sentences", None)
    return answer

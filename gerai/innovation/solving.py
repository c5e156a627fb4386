"""Between the pure planner and people: the translated messages for bad input and for conflicts, and the solve
API's body built from a region's candidates and the weights it sets on its goals."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.innovation.models import GOALS, Innovation
from gerai.innovation.planner import ProblemError, plan_solve, problem_parse

PAGE_TIME_LIMIT = 20.0  # seconds a page's solve may take; the answer then carries its proven gap

PROBLEM_MESSAGES = {
    "body_not_object": gettext_lazy("Send a JSON object."),
    "years_missing": gettext_lazy("Give the fiscal years as a list, e.g. [2027, 2028, 2029]."),
    "too_many_years": gettext_lazy("At most %(limit)s years."),
    "year_not_integer": gettext_lazy("A year is a whole number such as 2027."),
    "year_out_of_range": gettext_lazy("The year %(year)s is outside %(low)s–%(high)s."),
    "years_not_consecutive": gettext_lazy("The years must follow each other without a gap."),
    "per_year_missing": gettext_lazy('Give one figure per year, e.g. {"2027": 1000000000}.'),
    "year_outside_horizon": gettext_lazy("The year %(year)s is outside the plan's years (%(first)s–%(last)s)."),
    "year_line_missing": gettext_lazy("The line for %(year)s is missing."),
    "text_number": gettext_lazy("“%(text)s” is text: write the amount as a number (rupiah), e.g. 1500000000."),
    "not_a_number": gettext_lazy("A number is needed here."),
    "too_large": gettext_lazy("The number is too large."),
    "negative": gettext_lazy("The number may not be negative."),
    "items_missing": gettext_lazy("Give the candidates as a list of items."),
    "too_many_items": gettext_lazy("At most %(limit)s items (%(count)s sent)."),
    "item_not_object": gettext_lazy("Each item is an object with id, value, capex and opex."),
    "id_missing": gettext_lazy("Each item needs an id (1–100 characters)."),
    "must_not_boolean": gettext_lazy("must is true or false."),
    "unknown_field": gettext_lazy("This field is not part of an item."),
    "ids_not_list": gettext_lazy("Give a list of item ids."),
    "duplicate_id": gettext_lazy("The id “%(id)s” is used twice."),
    "unknown_id": gettext_lazy("No item has the id “%(id)s”."),
    "self_reference": gettext_lazy("An item cannot name itself (“%(id)s”)."),
    "cycle": gettext_lazy("The requirements go round in a circle: %(cycle)s."),
}


def problem_message(exc: ProblemError) -> str:
    template = PROBLEM_MESSAGES.get(exc.code)
    if template is None:
        return _("The request is not valid.")
    return str(template) % exc.params if exc.params else str(template)


def conflict_sentence(conflict: dict, names: dict[str, str]) -> str:
    """One conflicting constraint in words, with the candidates' names where known."""
    kind = conflict["kind"]

    def name(item_id: str) -> str:
        return names.get(item_id, item_id)

    if kind == "budget":
        return _("the budget of %(year)s") % {"year": conflict["year"]}
    if kind == "staff":
        return _("the staff available in %(year)s") % {"year": conflict["year"]}
    if kind == "must":
        return _("“%(name)s” must be in the plan") % {"name": name(conflict["id"])}
    if kind == "requires":
        return _("“%(name)s” needs “%(other)s” first") % {
            "name": name(conflict["id"]),
            "other": name(conflict["requires"]),
        }
    a, b = conflict["ids"]
    return _("“%(a)s” and “%(b)s” cannot both be adopted") % {"a": name(a), "b": name(b)}


def item_value(innovation: Innovation, weights: dict[str, float]) -> float:
    """Benefit points per year: Σ over goals of the region's weight × the innovation's score on that goal."""
    scores = innovation.goal_scores or {}
    return float(sum(weights.get(goal, 0) * float(scores.get(goal, 0)) for goal in GOALS))


def region_body(candidates, *, years: list[int], budget: dict, staff: dict | None, weights: dict) -> dict:
    """The solve API's body for a region's candidates (ids are their codes; names kept beside for the pages)."""
    codes = {c.pk for c in candidates}
    items = []
    for c in candidates:
        items.append(
            {
                "id": c.code,
                "name": c.name,
                "value": item_value(c, weights),
                "capex": c.capex_rupiah,
                "opex": c.opex_rupiah,
                "staff": c.staff_needed,
                "requires": [p.code for p in c.prerequisites.all() if p.pk in codes],
                "excludes": [e.code for e in c.excludes.all() if e.pk in codes],
                "must": c.must,
            }
        )
    body = {
        "years": years,
        "budget": {str(y): budget[y] for y in years},
        "items": items,
    }
    if staff is not None:
        body["staff"] = {str(y): staff[y] for y in years}
    return body


def solve_body(body: dict, *, time_limit: float = PAGE_TIME_LIMIT) -> dict:
    """Solve a body (ProblemError when it is bad): the API's answer plus the seconds taken and, when infeasible,
    each conflict in words."""
    result = plan_solve(problem_parse(body), time_limit=time_limit)
    answer = result.as_dict()
    for key in ("gap", "bound"):  # JSON (and PostgreSQL's jsonb) has no infinity: no plan found yet has no gap
        if isinstance(answer.get(key), float) and not math.isfinite(answer[key]):
            answer[key] = None
    answer["seconds"] = round(result.seconds, 3)
    if result.status == "infeasible":
        names = {item["id"]: item.get("name", item["id"]) for item in body["items"]}
        answer["conflict_sentences"] = [conflict_sentence(c, names) for c in result.conflicts]
    return answer

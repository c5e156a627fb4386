"""The roadmap planner: which candidate innovations a region starts in which fiscal year, solved to proven
optimality as a mixed-integer programme in HiGHS (highspy). Pure: no Django, no database, no translation; the
pages and the API (`POST /api/v1/planner/solve`) both call `problem_parse` then `plan_solve`.

The semantics (issue 15, the solve API):
- each item starts in at most one of the years, or not at all (`must` items in exactly one);
- an item started in year y yields `value` in every year from y to the last, inclusive;
- spending in year y = the `capex` of the items started in y + the `opex` of every item started in y or earlier,
  at most `budget[y]`; the same for `staff` when it is given (an item holds its staff from its start on);
- a required item starts in the same year or earlier; excluded pairs never both start.

The model is the standard time-indexed one: x[i,t] in {0,1} = item i starts in year t. Objective
Σ value_i·(T−t)·x[i,t]; budget Σ_i (capex_i·x[i,t] + opex_i·Σ_{s≤t} x[i,s]) ≤ B_t; precedence
Σ_{s≤t} x[i,s] ≤ Σ_{s≤t} x[j,s] for every t. Money does not carry over between years (APBD).

Measured and not kept (docs/innovation.md has the figures): the precedence rows above are already the tight
"started by year t" form, and substituting z[i,t] = Σ_{s≤t} x[i,s] as the variables (the cumulative model) is a
unimodular change with the same LP bound that HiGHS solves worse (2–10× the nodes on 30- and 40-candidate
instances; its budget rows carry −capex on z[i,t−1]); x and z side by side, linked, was worse too. Dominance rows
(b started ⇒ a started, when a is worth as much, costs no more and needs no more) kept the optimum but did not
pay at 300 candidates; HiGHS options (heuristic effort, pseudocost reliability, cuts at nodes, an absolute gap
below 1 for integer values: HiGHS already detects an integral objective) changed little.

A greedy value-per-cost plan is computed first and handed to HiGHS as its starting solution, so a solve stopped by
its time limit is never worse than the greedy rule; it is then reported as `time_limit` with its proven gap, never
as optimal. When no plan exists, a deletion filter over constraint groups (each year's budget and staff, each
`must`, each requirement, each exclusion) finds a minimal set that cannot hold together: dropping any one of them
makes the rest satisfiable, and those are the conflicts reported."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_ITEMS = 500
MAX_YEARS = 10
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_NUMBER = 1e15  # a rupiah figure beyond a quadrillion is a typo
DEFAULT_TIME_LIMIT = 10.0
TOLERANCE = 1e-6  # relative slack when checking a plan against a budget (the solver's feasibility tolerance)


class ProblemError(ValueError):
    """Bad input. `code` is stable (the API's and the pages' messages are keyed on it), `where` names the field
    (`items[3].capex`, `budget.2028`), `params` fills the message."""

    def __init__(self, code: str, where: str, **params: Any):
        super().__init__(f"{code} at {where}: {params}")
        self.code, self.where, self.params = code, where, params


@dataclass(frozen=True)
class Item:
    id: str
    value: float
    capex: float
    opex: float
    staff: float = 0.0
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    must: bool = False


@dataclass(frozen=True)
class Problem:
    years: tuple[int, ...]
    budget: Mapping[int, float]
    items: tuple[Item, ...]
    staff: Mapping[int, float] | None = None


@dataclass
class Result:
    status: str  # optimal | time_limit | infeasible
    objective: float = 0.0
    plan: list[tuple[str, int]] = field(default_factory=list)  # (item id, start year), in item order
    spend: dict[int, float] = field(default_factory=dict)
    staff_used: dict[int, float] = field(default_factory=dict)
    bound: float | None = None  # the proven upper bound on the objective
    gap: float = 0.0  # (bound − objective) / objective, 0 when optimal
    conflicts: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The API's answer (years as string keys, as in the request)."""
        if self.status == "infeasible":
            return {"status": "infeasible", "conflicts": self.conflicts}
        out: dict[str, Any] = {
            "status": self.status,
            "objective": _number(self.objective),
            "plan": [{"id": item_id, "year": year} for item_id, year in self.plan],
            "spend": {str(y): _number(v) for y, v in self.spend.items()},
        }
        if self.staff_used:
            out["staff"] = {str(y): _number(v) for y, v in self.staff_used.items()}
        if self.status != "optimal":
            out["gap"] = self.gap
            out["bound"] = None if self.bound is None else _number(self.bound)
        return out


def _number(value: float) -> float | int:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-6 else round(value, 6)


# ---- parsing -------------------------------------------------------------------------------------------------


def _non_negative(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            raise ProblemError("text_number", where, text=value[:40])
        raise ProblemError("not_a_number", where)
    if not math.isfinite(value) or value > MAX_NUMBER:
        raise ProblemError("too_large", where)
    if value < 0:
        raise ProblemError("negative", where)
    return float(value)


def _years(raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise ProblemError("years_missing", "years")
    if len(raw) > MAX_YEARS:
        raise ProblemError("too_many_years", "years", limit=MAX_YEARS)
    for n, year in enumerate(raw):
        if isinstance(year, bool) or not isinstance(year, int):
            raise ProblemError("year_not_integer", f"years[{n}]")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ProblemError("year_out_of_range", f"years[{n}]", year=year, low=MIN_YEAR, high=MAX_YEAR)
    if any(b != a + 1 for a, b in zip(raw, raw[1:], strict=False)):
        raise ProblemError("years_not_consecutive", "years")
    return tuple(raw)


def _per_year(raw: Any, years: tuple[int, ...], name: str) -> dict[int, float]:
    if not isinstance(raw, dict):
        raise ProblemError("per_year_missing", name)
    out: dict[int, float] = {}
    for key, value in raw.items():
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise ProblemError("year_not_integer", f"{name}.{key}") from None
        if year not in years:
            raise ProblemError("year_outside_horizon", f"{name}.{key}", year=year, first=years[0], last=years[-1])
        out[year] = _non_negative(value, f"{name}.{key}")
    for year in years:
        if year not in out:
            raise ProblemError("year_line_missing", f"{name}.{year}", year=year)
    return out


def _ids(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProblemError("ids_not_list", where)
    return tuple(dict.fromkeys(raw))


def _item(raw: Any, n: int) -> Item:
    where = f"items[{n}]"
    if not isinstance(raw, dict):
        raise ProblemError("item_not_object", where)
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not item_id.strip() or len(item_id) > 100:
        raise ProblemError("id_missing", f"{where}.id")
    must = raw.get("must", False)
    if not isinstance(must, bool):
        raise ProblemError("must_not_boolean", f"{where}.must")
    unknown = set(raw) - {"id", "value", "capex", "opex", "staff", "requires", "excludes", "must", "name"}
    if unknown:
        raise ProblemError("unknown_field", f"{where}.{sorted(unknown)[0]}")
    return Item(
        id=item_id,
        value=_non_negative(raw.get("value"), f"{where}.value"),
        capex=_non_negative(raw.get("capex"), f"{where}.capex"),
        opex=_non_negative(raw.get("opex"), f"{where}.opex"),
        staff=_non_negative(raw.get("staff", 0), f"{where}.staff"),
        requires=_ids(raw.get("requires"), f"{where}.requires"),
        excludes=_ids(raw.get("excludes"), f"{where}.excludes"),
        must=must,
    )


def _check_references(items: tuple[Item, ...]) -> None:
    index: dict[str, int] = {}
    for n, item in enumerate(items):
        if item.id in index:
            raise ProblemError("duplicate_id", f"items[{n}].id", id=item.id)
        index[item.id] = n
    for n, item in enumerate(items):
        for kind in ("requires", "excludes"):
            for other in getattr(item, kind):
                if other not in index:
                    raise ProblemError("unknown_id", f"items[{n}].{kind}", id=other)
                if other == item.id:
                    raise ProblemError("self_reference", f"items[{n}].{kind}", id=other)
    cycle = requirement_cycle({item.id: item.requires for item in items})
    if cycle:
        raise ProblemError("cycle", f"items[{index[cycle[0]]}].requires", cycle=" → ".join(cycle))


def requirement_cycle(requires: Mapping[str, Iterable[str]]) -> list[str]:
    """A cycle of requirements as a closed walk (a → b → a), or [] when there is none."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in requires:
        if state.get(root):
            continue
        stack: list[tuple[str, Any]] = [(root, iter(requires.get(root, ())))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(requires.get(child, ()))))
    return []


def problem_parse(data: Any) -> Problem:
    """The solve API's body as a Problem, or ProblemError naming the first thing wrong."""
    if not isinstance(data, dict):
        raise ProblemError("body_not_object", "body")
    years = _years(data.get("years"))
    budget = _per_year(data.get("budget"), years, "budget")
    staff = None if data.get("staff") is None else _per_year(data.get("staff"), years, "staff")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise ProblemError("items_missing", "items")
    if len(raw_items) > MAX_ITEMS:
        raise ProblemError("too_many_items", "items", limit=MAX_ITEMS, count=len(raw_items))
    items = tuple(_item(raw, n) for n, raw in enumerate(raw_items))
    _check_references(items)
    return Problem(years=years, budget=budget, items=items, staff=staff)


# ---- evaluation ----------------------------------------------------------------------------------------------


def plan_value(problem: Problem, starts: Mapping[str, int]) -> float:
    last = problem.years[-1]
    by_id = {item.id: item for item in problem.items}
    return sum(by_id[i].value * (last - year + 1) for i, year in starts.items())


def plan_spend(problem: Problem, starts: Mapping[str, int]) -> tuple[dict[int, float], dict[int, float]]:
    """Money and staff used in each year by a plan {item id: start year}."""
    by_id = {item.id: item for item in problem.items}
    spend = dict.fromkeys(problem.years, 0.0)
    staff = dict.fromkeys(problem.years, 0.0)
    for item_id, start in starts.items():
        item = by_id[item_id]
        for year in problem.years:
            if year >= start:
                spend[year] += item.opex + (item.capex if year == start else 0.0)
                staff[year] += item.staff
    return spend, staff


def _within(used: float, cap: float) -> bool:
    return used <= cap + TOLERANCE * max(1.0, abs(cap))


def plan_violations(problem: Problem, starts: Mapping[str, int]) -> list[str]:
    """Every constraint a plan breaks, in words (for tests and for checking a solver's answer)."""
    out: list[str] = []
    spend, staff = plan_spend(problem, starts)
    for year in problem.years:
        if not _within(spend[year], problem.budget[year]):
            out.append(f"budget {year}: {spend[year]} > {problem.budget[year]}")
        if problem.staff is not None and not _within(staff[year], problem.staff[year]):
            out.append(f"staff {year}: {staff[year]} > {problem.staff[year]}")
    for item in problem.items:
        start = starts.get(item.id)
        if start is not None and start not in problem.years:
            out.append(f"{item.id} starts outside the years")
        if item.must and start is None:
            out.append(f"{item.id} is a must and does not start")
        if start is None:
            continue
        for other in item.requires:
            if starts.get(other) is None or starts[other] > start:
                out.append(f"{item.id} starts before its requirement {other}")
        for other in item.excludes:
            if starts.get(other) is not None:
                out.append(f"{item.id} and {other} exclude each other")
    return out


# ---- the greedy rule (a baseline and the solver's starting point, never presented as the optimum) -------------


def _cost_weight(item: Item, horizon: int) -> float:
    return item.capex + item.opex * horizon


def plan_greedy(problem: Problem) -> dict[str, int]:
    """Value per cost, best first; each item at the earliest year where it fits beside what is chosen (its
    requirements already started, no exclusion with a chosen item). `must` items are tried first. A baseline:
    it may miss a `must` item, and its value is a lower bound, never the optimum."""
    years, horizon = problem.years, len(problem.years)
    spend = dict.fromkeys(years, 0.0)
    staff = dict.fromkeys(years, 0.0)
    chosen: dict[str, int] = {}
    order = sorted(
        problem.items,
        key=lambda it: (not it.must, -(it.value / max(_cost_weight(it, horizon), 1e-9))),
    )
    excluded: set[str] = set()
    exclusions: dict[str, set[str]] = {item.id: set(item.excludes) for item in problem.items}
    for item in problem.items:
        for other in item.excludes:
            exclusions[other].add(item.id)
    for _round in range(2):  # a second pass places items whose requirements came later in the first
        for item in order:
            if item.id in chosen or item.id in excluded or any(r not in chosen for r in item.requires):
                continue
            earliest = max([chosen[r] for r in item.requires], default=years[0])
            for start in range(earliest, years[-1] + 1):
                if _fits(problem, item, start, spend, staff):
                    chosen[item.id] = start
                    excluded |= exclusions[item.id]
                    for year in years:
                        if year >= start:
                            spend[year] += item.opex + (item.capex if year == start else 0.0)
                            staff[year] += item.staff
                    break
    return chosen


def _fits(problem: Problem, item: Item, start: int, spend: dict, staff: dict) -> bool:
    for year in problem.years:
        if year < start:
            continue
        cost = item.opex + (item.capex if year == start else 0.0)
        if not _within(spend[year] + cost, problem.budget[year]):
            return False
        if problem.staff is not None and not _within(staff[year] + item.staff, problem.staff[year]):
            return False
    return True


# ---- the model -------------------------------------------------------------------------------------------------

Group = tuple  # ("budget", year) | ("staff", year) | ("must", id) | ("requires", id, other) | ("excludes", a, b)


def _groups(problem: Problem) -> list[Group]:
    groups: list[Group] = [("budget", y) for y in problem.years]
    if problem.staff is not None:
        groups += [("staff", y) for y in problem.years]
    seen_pairs: set[tuple[str, str]] = set()
    for item in problem.items:
        if item.must:
            groups.append(("must", item.id))
        groups += [("requires", item.id, other) for other in item.requires]
        for other in item.excludes:
            pair = (min(item.id, other), max(item.id, other))
            if pair not in seen_pairs:
                seen_pairs.add(pair)
                groups.append(("excludes", *pair))
    return groups


Row = tuple[float, float, list[int], list[float]]  # low, high, columns, coefficients


def _upto(horizon: int, i: int, t: int) -> list[int]:
    """The columns of item i's starts in years 0…t: their sum is 1 when i has started by year t."""
    return [i * horizon + s for s in range(t + 1)]


def _cap_rows(problem: Problem, keep: set[Group] | None) -> list[Row]:
    """Each year's budget and staff: what the items started in it cost once, and what every started item costs
    each year."""
    items, horizon = problem.items, len(problem.years)
    rows: list[Row] = []
    for t, year in enumerate(problem.years):
        if keep is None or ("budget", year) in keep:
            cols, vals = [], []
            for i, item in enumerate(items):
                for s in range(t + 1):
                    coefficient = item.opex + (item.capex if s == t else 0.0)
                    if coefficient:
                        cols.append(i * horizon + s)
                        vals.append(coefficient)
            rows.append((-math.inf, problem.budget[year], cols, vals))
        if problem.staff is not None and (keep is None or ("staff", year) in keep):
            cols, vals = [], []
            for i, item in enumerate(items):
                if item.staff:
                    cols += _upto(horizon, i, t)
                    vals += [item.staff] * (t + 1)
            rows.append((-math.inf, problem.staff[year], cols, vals))
    return rows


def _link_rows(problem: Problem, keep: set[Group] | None) -> list[Row]:
    """Requirements (started by the same year, for every year) and exclusions (at most one of the two)."""
    horizon = len(problem.years)
    index = {item.id: i for i, item in enumerate(problem.items)}
    rows: list[Row] = []
    for group in _groups(problem):
        if keep is not None and group not in keep:
            continue
        if group[0] == "requires":
            i, j = index[group[1]], index[group[2]]
            for t in range(horizon):
                cols = _upto(horizon, i, t) + _upto(horizon, j, t)
                rows.append((-math.inf, 0.0, cols, [1.0] * (t + 1) + [-1.0] * (t + 1)))
        elif group[0] == "excludes":
            i, j = index[group[1]], index[group[2]]
            cols = _upto(horizon, i, horizon - 1) + _upto(horizon, j, horizon - 1)
            rows.append((-math.inf, 1.0, cols, [1.0] * (2 * horizon)))
    return rows


def _model(problem: Problem, keep: set[Group] | None, *, objective: bool, time_limit: float):
    """The MIP over x[i,t] (column i·T + t). `keep`: the constraint groups to include (None: all)."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", max(0.05, float(time_limit)))
    h.setOptionValue("threads", 1)
    items, horizon = problem.items, len(problem.years)
    ncols = len(items) * horizon
    costs = [item.value * (horizon - t) if objective else 0.0 for item in items for t in range(horizon)]
    empty_int, empty_float = np.array([], dtype=np.int32), np.array([], dtype=float)
    h.addCols(
        ncols, np.array(costs, dtype=float), np.zeros(ncols), np.ones(ncols), 0, empty_int, empty_int, empty_float
    )
    if ncols:
        h.changeColsIntegrality(ncols, np.arange(ncols, dtype=np.int32), np.ones(ncols, dtype=np.uint8))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    choice_rows: list[Row] = [
        (
            1.0 if item.must and (keep is None or ("must", item.id) in keep) else 0.0,
            1.0,
            _upto(horizon, i, horizon - 1),
            [1.0] * horizon,
        )
        for i, item in enumerate(items)
    ]
    for low, high, cols, vals in choice_rows + _cap_rows(problem, keep) + _link_rows(problem, keep):
        if cols:
            h.addRow(low, high, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))
    return h


def _starts(problem: Problem, values: Iterable[float]) -> dict[str, int]:
    horizon = len(problem.years)
    x = list(values)
    starts: dict[str, int] = {}
    for i, item in enumerate(problem.items):
        for t in range(horizon):
            if x[i * horizon + t] > 0.5:
                starts[item.id] = problem.years[t]
    return starts


def _warm_start(h, problem: Problem, starts: Mapping[str, int]) -> None:
    import numpy as np

    horizon = len(problem.years)
    x = np.zeros(len(problem.items) * horizon)
    for i, item in enumerate(problem.items):
        if item.id in starts:
            x[i * horizon + problem.years.index(starts[item.id])] = 1.0
    solution = h.getSolution()
    solution.col_value = list(x)
    h.setSolution(solution)


def _hard_stop(h, deadline: float) -> None:
    """HiGHS's own time limit can be overrun (HiGHS #885, #947, #2226): its MIP callback interrupts the search at
    a wall-clock deadline a little beyond it. An interrupted search reports its best plan and gap like a time limit."""

    def check(event) -> None:
        if time.monotonic() > deadline:
            event.interrupt()

    h.cbMipInterrupt.subscribe(check)


def _feasible(problem: Problem, keep: set[Group], time_limit: float) -> bool | None:
    """Whether some plan meets the kept groups (None: the time ran out before an answer)."""
    import highspy

    h = _model(problem, keep, objective=False, time_limit=time_limit)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    if status == highspy.HighsModelStatus.kOptimal or h.getInfo().primal_solution_status == 2:
        return True
    return None


def _conflicts(problem: Problem, deadline: float) -> list[dict]:
    """A minimal set of constraint groups that cannot all hold (deletion filter). Only `must` items and what they
    require transitively can make a plan impossible (without them, starting nothing is a plan), so only their
    groups and the yearly caps are examined."""
    by_id = {item.id: item for item in problem.items}
    forced: set[str] = set()
    todo = [item.id for item in problem.items if item.must]
    while todo:
        item_id = todo.pop()
        if item_id not in forced:
            forced.add(item_id)
            todo += list(by_id[item_id].requires)
    relevant = [
        g
        for g in _groups(problem)
        if g[0] in ("budget", "staff", "must")
        or (g[0] == "requires" and g[1] in forced)
        or (g[0] == "excludes" and g[1] in forced and g[2] in forced)
    ]
    keep = set(relevant)
    for group in relevant:
        remaining = max(0.05, deadline - time.monotonic())
        trial = keep - {group}
        if _feasible(problem, trial, remaining) is False:
            keep = trial  # still impossible without it: not part of this conflict
    return [_conflict(group) for group in relevant if group in keep]


def _conflict(group: Group) -> dict:
    kind = group[0]
    if kind in ("budget", "staff"):
        return {"kind": kind, "year": group[1]}
    if kind == "must":
        return {"kind": "must", "id": group[1]}
    if kind == "requires":
        return {"kind": "requires", "id": group[1], "requires": group[2]}
    return {"kind": "excludes", "ids": [group[1], group[2]]}


def plan_solve(problem: Problem, *, time_limit: float = DEFAULT_TIME_LIMIT, explain: bool = True) -> Result:
    """The best plan, proven optimal (`optimal`), or the best found with its proven gap when the time limit stops
    the search (`time_limit`), or `infeasible` with the conflicting constraints."""
    import highspy

    began = time.monotonic()
    greedy = plan_greedy(problem)
    h = _model(problem, None, objective=True, time_limit=time_limit)
    if greedy and not plan_violations(problem, greedy):
        _warm_start(h, problem, greedy)
    _hard_stop(h, began + time_limit * 1.1 + 0.5)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2 or status == highspy.HighsModelStatus.kModelEmpty
    if status == highspy.HighsModelStatus.kInfeasible:
        conflicts = _conflicts(problem, began + time_limit) if explain else []
        return Result(status="infeasible", conflicts=conflicts, seconds=time.monotonic() - began)
    if not has_solution:  # stopped before any plan was found (only possible with `must` items)
        return Result(status="time_limit", gap=math.inf, seconds=time.monotonic() - began)
    starts = _starts(problem, h.getSolution().col_value)
    objective = plan_value(problem, starts)
    spend, staff = plan_spend(problem, starts)
    optimal = status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
    bound = objective if optimal else float(info.mip_dual_bound)
    gap = 0.0 if optimal else max(0.0, bound - objective) / max(abs(objective), 1e-9)
    return Result(
        status="optimal" if optimal else "time_limit",
        objective=objective,
        plan=[(item.id, starts[item.id]) for item in problem.items if item.id in starts],
        spend=spend,
        staff_used=staff if problem.staff is not None else {},
        bound=bound,
        gap=gap,
        seconds=time.monotonic() - began,
    )

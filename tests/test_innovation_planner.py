"""The roadmap planner (gerai/innovation/planner.py) against brute force, and its handling of bad input, conflicts
and time limits. Pure: no database."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerai.innovation.planner import (
    Item,
    Problem,
    ProblemError,
    plan_greedy,
    plan_solve,
    plan_value,
    plan_violations,
    problem_parse,
)


def brute_force(problem: Problem) -> float | None:
    """The best objective over every assignment of each item to a year or to nothing (None: no plan exists):
    all (T+1)^n assignments at once in numpy (65,536 rows for 8 items over 3 years), each constraint checked on
    every row exactly as the issue words it. Integer data, so the comparison is exact."""
    import numpy as np

    horizon, n = len(problem.years), len(problem.items)
    if n == 0:
        return 0.0
    grid = np.array(list(itertools.product(range(horizon + 1), repeat=n)), dtype=np.int64)  # 0 = never, t = year t
    started = grid >= 1
    ok = np.ones(len(grid), dtype=bool)
    capex = np.array([item.capex for item in problem.items])
    opex = np.array([item.opex for item in problem.items])
    staff = np.array([item.staff for item in problem.items])
    for t, year in enumerate(problem.years, start=1):
        by_t = started & (grid <= t)
        ok &= (grid == t) @ capex + by_t @ opex <= problem.budget[year]
        if problem.staff is not None:
            ok &= by_t @ staff <= problem.staff[year]
    index = {item.id: k for k, item in enumerate(problem.items)}
    for k, item in enumerate(problem.items):
        if item.must:
            ok &= started[:, k]
        for other in item.requires:
            j = index[other]
            ok &= ~started[:, k] | (started[:, j] & (grid[:, j] <= grid[:, k]))
        for other in item.excludes:
            ok &= ~(started[:, k] & started[:, index[other]])
    if not ok.any():
        return None
    value = np.array([item.value for item in problem.items])
    totals = (np.where(started, horizon - grid + 1, 0) * value).sum(axis=1)
    return float(totals[ok].max())


@st.composite
def problems(draw, alike: bool = False):
    """Random problems; `alike`: numbers from a small palette, so that many items equal or dominate others."""
    horizon = draw(st.integers(1, 3))
    years = tuple(range(2027, 2027 + horizon))
    n = draw(st.integers(0, 8))
    ids = [f"i{k}" for k in range(n)]
    money = st.sampled_from([0, 20, 40]) if alike else st.integers(0, 60)
    values = st.sampled_from([0, 5, 10]) if alike else st.integers(0, 20)
    opex = st.sampled_from([0, 5]) if alike else st.integers(0, 15)
    items = []
    for k, item_id in enumerate(ids):
        earlier = ids[:k]  # requirements point backwards: never a cycle
        requires = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        excludes = draw(st.lists(st.sampled_from(earlier), max_size=1, unique=True)) if earlier else []
        excludes = [e for e in excludes if e not in requires]
        items.append(
            Item(
                id=item_id,
                value=draw(values),
                capex=draw(money),
                opex=draw(opex),
                staff=draw(st.integers(0, 3)),
                requires=tuple(requires),
                excludes=tuple(excludes),
                must=draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False,
            )
        )
    budget = {y: draw(st.integers(0, 120)) for y in years}
    staff = {y: draw(st.integers(0, 6)) for y in years} if draw(st.booleans()) else None
    return Problem(years=years, budget=budget, items=tuple(items), staff=staff)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_objective_equals_brute_force_and_the_plan_keeps_every_constraint(problem):
    check_against_brute_force(problem)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(alike=True))
def test_look_alike_items_equal_the_brute_force_optimum(problem):
    """Many equal and dominated items (ties everywhere): still the brute-force optimum, and a valid plan."""
    check_against_brute_force(problem)


def check_against_brute_force(problem: Problem) -> None:
    result = plan_solve(problem, time_limit=30)
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        assert result.conflicts, "an infeasible plan names its conflicts"
        return
    assert result.status == "optimal"
    starts = dict(result.plan)
    assert plan_violations(problem, starts) == []
    assert result.objective == pytest.approx(best)
    assert plan_value(problem, starts) == pytest.approx(result.objective)


def keeping_only(problem: Problem, conflicts: list[dict]) -> Problem:
    """The problem with every constraint group that `conflicts` does not name dropped (caps made unlimited)."""
    from dataclasses import replace

    named = {(c["kind"], c.get("year"), c.get("id"), c.get("requires"), tuple(c.get("ids", ()))) for c in conflicts}

    def kept(kind, year=None, item_id=None, requires=None, ids=()):
        return (kind, year, item_id, requires, tuple(ids)) in named

    unlimited = 10**12
    items = tuple(
        replace(
            item,
            must=item.must and kept("must", item_id=item.id),
            requires=tuple(r for r in item.requires if kept("requires", item_id=item.id, requires=r)),
            excludes=tuple(e for e in item.excludes if kept("excludes", ids=sorted((item.id, e)))),
        )
        for item in problem.items
    )
    return Problem(
        years=problem.years,
        budget={y: b if kept("budget", year=y) else unlimited for y, b in problem.budget.items()},
        items=items,
        staff=None
        if problem.staff is None
        else {y: s if kept("staff", year=y) else unlimited for y, s in problem.staff.items()},
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_the_conflicts_named_are_a_minimal_set_that_cannot_hold(problem):
    result = plan_solve(problem, time_limit=30)
    if result.status != "infeasible":
        return
    assert brute_force(keeping_only(problem, result.conflicts)) is None  # together they cannot hold
    for k in range(len(result.conflicts)):
        fewer = result.conflicts[:k] + result.conflicts[k + 1 :]
        assert brute_force(keeping_only(problem, fewer)) is not None  # without any one of them they can


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_solver_is_never_below_the_greedy_rule(problem):
    greedy = plan_greedy(problem)
    result = plan_solve(problem, time_limit=30)
    if not plan_violations(problem, greedy):
        assert result.status == "optimal"
        assert result.objective >= plan_value(problem, greedy) - 1e-6


def body(**changes):
    base = {
        "years": [2027, 2028, 2029],
        "budget": {"2027": 100, "2028": 100, "2029": 100},
        "items": [
            {"id": "a", "value": 10, "capex": 80, "opex": 10},
            {"id": "b", "value": 5, "capex": 30, "opex": 5, "requires": ["a"]},
            {"id": "c", "value": 7, "capex": 90, "opex": 0, "excludes": ["a"]},
        ],
    }
    return base | changes


def test_a_worked_plan():
    result = plan_solve(problem_parse(body()))
    assert result.as_dict() == {
        "status": "optimal",
        "objective": 40,  # a for three years (30) and b for two (10)
        "plan": [{"id": "a", "year": 2027}, {"id": "b", "year": 2028}],
        "spend": {"2027": 90, "2028": 45, "2029": 15},
    }


@pytest.mark.parametrize(
    ("changes", "code", "where"),
    [
        ({"years": [2027, 2029]}, "years_not_consecutive", "years"),
        ({"years": [1999]}, "year_out_of_range", "years[0]"),
        ({"budget": {"2027": 100, "2028": 100}}, "year_line_missing", "budget.2029"),
        ({"budget": {"2027": 1, "2028": 1, "2029": 1, "2031": 1}}, "year_outside_horizon", "budget.2031"),
        ({"budget": {"2027": -1, "2028": 1, "2029": 1}}, "negative", "budget.2027"),
        ({"items": [{"id": "a", "value": 1, "capex": "1,5 M", "opex": 0}]}, "text_number", "items[0].capex"),
        (
            {"items": [{"id": "a", "value": 1, "capex": 1, "opex": 0, "requires": ["z"]}]},
            "unknown_id",
            "items[0].requires",
        ),
        (
            {
                "items": [
                    {"id": "a", "value": 1, "capex": 1, "opex": 0, "requires": ["b"]},
                    {"id": "b", "value": 1, "capex": 1, "opex": 0, "requires": ["a"]},
                ]
            },
            "cycle",
            "items[0].requires",
        ),
        ({"items": [{"id": "a", "value": 1, "capex": 1, "opex": 0}] * 501}, "too_many_items", "items"),
        ({"items": [{"id": "a", "value": 1, "capex": 1, "opex": 0}] * 2}, "duplicate_id", "items[1].id"),
    ],
)
def test_bad_input_names_what_is_wrong(changes, code, where):
    with pytest.raises(ProblemError) as caught:
        problem_parse(body(**changes))
    assert (caught.value.code, caught.value.where) == (code, where)


def test_a_cycle_is_named():
    with pytest.raises(ProblemError) as caught:
        problem_parse(
            body(
                items=[
                    {"id": "a", "value": 1, "capex": 1, "opex": 0, "requires": ["b"]},
                    {"id": "b", "value": 1, "capex": 1, "opex": 0, "requires": ["c"]},
                    {"id": "c", "value": 1, "capex": 1, "opex": 0, "requires": ["a"]},
                ]
            )
        )
    assert caught.value.params["cycle"] == "a → b → c → a"


def test_infeasible_names_a_minimal_conflict():
    result = plan_solve(
        problem_parse(
            body(
                budget={"2027": 50, "2028": 50, "2029": 200},
                items=[
                    {"id": "a", "value": 1, "capex": 40, "opex": 0, "must": True},
                    {"id": "b", "value": 1, "capex": 40, "opex": 0, "must": True, "excludes": ["a"]},
                    {"id": "c", "value": 9, "capex": 10, "opex": 0},
                ],
            )
        )
    )
    assert result.status == "infeasible"
    # Only the exclusion and the two musts conflict; the budgets are fine.
    assert result.conflicts == [
        {"kind": "must", "id": "a"},
        {"kind": "must", "id": "b"},
        {"kind": "excludes", "ids": ["a", "b"]},
    ]


def test_a_must_too_dear_for_every_year_names_the_budgets_and_the_must():
    result = plan_solve(
        problem_parse(
            body(
                years=[2027, 2028],
                budget={"2027": 50, "2028": 50},
                items=[{"id": "a", "value": 10, "capex": 80, "opex": 10, "must": True}],
            )
        )
    )
    assert result.conflicts == [
        {"kind": "budget", "year": 2027},
        {"kind": "budget", "year": 2028},
        {"kind": "must", "id": "a"},
    ]


def test_a_time_limit_returns_the_best_plan_with_its_gap():
    import random

    rng = random.Random(7)
    years = list(range(2027, 2032))
    items = [
        {
            "id": f"i{k}",
            "value": rng.randint(1, 100),
            "capex": rng.randint(10, 500),
            "opex": rng.randint(0, 60),
            "requires": [f"i{rng.randrange(k)}"] if k and rng.random() < 0.2 else [],
        }
        for k in range(300)
    ]
    problem = problem_parse({"years": years, "budget": {str(y): 2500 for y in years}, "items": items})
    result = plan_solve(problem, time_limit=0.05)
    assert result.status in ("optimal", "time_limit")
    assert plan_violations(problem, dict(result.plan)) == []
    assert result.objective >= plan_value(problem, plan_greedy(problem)) - 1e-6
    if result.status == "time_limit":
        assert result.bound is not None and result.bound >= result.objective
        assert result.gap >= 0


def test_the_bench_instances_are_valid_bodies_with_binding_budgets():
    import random

    from bench.planner import instance

    problem = problem_parse(instance(random.Random(3), 40, 5))
    assert sum(1 for item in problem.items if item.requires) >= 5
    result = plan_solve(problem, time_limit=20)
    assert plan_violations(problem, dict(result.plan)) == []
    assert len(result.plan) < len(problem.items)  # the budgets bind: not everything fits
    assert result.objective >= plan_value(problem, plan_greedy(problem))


def test_a_hard_deadline_interrupts_the_search_and_keeps_the_best_plan(monkeypatch):
    import random

    from bench.planner import instance
    from gerai.innovation import planner

    stops = []
    real = planner._hard_stop
    monkeypatch.setattr(planner, "_hard_stop", lambda h, deadline: stops.append(1) or real(h, 0))  # already past
    problem = problem_parse(instance(random.Random(1), 300, 5))
    result = plan_solve(problem, time_limit=30)
    assert stops and result.status == "time_limit" and result.seconds < 10
    assert plan_violations(problem, dict(result.plan)) == []
    assert result.objective >= plan_value(problem, plan_greedy(problem)) - 1e-6

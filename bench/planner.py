"""Roadmap planner benchmark: random instances of 300 candidate innovations over 5 fiscal years, with
prerequisites, a few exclusions, staff limits and budgets that bind (each year's budget is a fraction of what
starting everything would cost). For each instance: the time HiGHS takes to proven optimality (or, when the time
limit stops it, the best plan's proven gap) and its objective as a ratio to the greedy value-per-cost rule, which
must never be below 1 (the greedy plan is the solver's starting point).

    python bench/planner.py [--instances 5] [--items 300] [--years 5] [--time-limit 60] [--seed 1]

Pure: no database and no Django. Exits 1 if any ratio is below 1 or any plan breaks a constraint.
"""

import argparse
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gerai.innovation.planner import (  # noqa: E402
    plan_greedy,
    plan_solve,
    plan_value,
    plan_violations,
    problem_parse,
)


def instance(rng: random.Random, items: int, years: int, tightness: float = 0.12) -> dict:
    """One random body of the solve API. Costs in juta rupiah; values are benefit points per year, loosely
    correlated with cost (dearer programmes tend to do more), so that value per cost alone is a weak guide."""
    first = 2027
    horizon = list(range(first, first + years))
    rows = []
    for k in range(items):
        capex = rng.randint(50, 2000)
        opex = rng.randint(0, capex // 4)
        value = max(1, int(rng.gauss(capex / 40 + opex / 10, 15)))
        requires = []
        if k >= 5 and rng.random() < 0.3:
            requires = sorted({f"c{rng.randrange(k)}" for _ in range(rng.randint(1, 2))})
        excludes = []
        if k >= 5 and rng.random() < 0.05:
            other = f"c{rng.randrange(k)}"
            if other not in requires:
                excludes = [other]
        rows.append(
            {
                "id": f"c{k}",
                "value": value,
                "capex": capex,
                "opex": opex,
                "staff": rng.randint(0, 4),
                "requires": requires,
                "excludes": excludes,
            }
        )
    everything = sum(r["capex"] for r in rows) / years + sum(r["opex"] for r in rows) / 2
    budget = {str(y): int(everything * tightness * (1 + 0.1 * n)) for n, y in enumerate(horizon)}
    staff = {str(y): int(items * 0.6 * (1 + 0.1 * n)) for n, y in enumerate(horizon)}
    return {"years": horizon, "budget": budget, "staff": staff, "items": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=5)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(
        f"planner: {args.instances} random instances, {args.items} candidates × {args.years} years, "
        f"time limit {args.time_limit:g} s"
    )
    print(
        f"{'#':>2} {'status':<10} {'seconds':>8} {'gap':>8} {'objective':>11} {'greedy':>11} {'ratio':>7} "
        f"{'chosen':>6} {'budget used':>11}"
    )
    ratios, times, failures = [], [], 0
    for n in range(args.instances):
        problem = problem_parse(instance(rng, args.items, args.years))
        greedy = plan_value(problem, plan_greedy(problem))
        result = plan_solve(problem, time_limit=args.time_limit)
        starts = dict(result.plan)
        broken = plan_violations(problem, starts)
        ratio = result.objective / greedy if greedy else float("inf")
        used = sum(result.spend.values()) / sum(problem.budget.values())
        ratios.append(ratio)
        times.append(result.seconds)
        if broken or ratio < 1:
            failures += 1
        print(
            f"{n + 1:>2} {result.status:<10} {result.seconds:>8.2f} {result.gap:>8.2e} {result.objective:>11.0f} "
            f"{greedy:>11.0f} {ratio:>7.4f} {len(starts):>6} {used:>10.1%}"
            + (f"  BROKEN: {broken[:3]}" if broken else "")
        )
    print(
        f"time: median {statistics.median(times):.2f} s, max {max(times):.2f} s; "
        f"ratio to greedy: min {min(ratios):.4f}, median {statistics.median(ratios):.4f}, max {max(ratios):.4f}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

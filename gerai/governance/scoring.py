"""The index arithmetic, pure (docs/governance.md): every indicator's value times its weight, over the weights.

    index = Σ (value_i × w_i) / Σ w_i

The same formula gives each domain's and each aspect's index over its own indicators. An indicator without a
value counts as the scale's minimum (0), as in the evaluation itself, and `answered` says how many have one;
but a sheet (or domain, or aspect) with nothing answered yet has no index and no predicate: it is "not yet
scored", never a grade D or "Kurang" that nobody gave it.
The index is rounded half up to two decimals and the predicate (SPBE, Pemdi) or grade (LKE) is read from the
rounded figure. For the LKE the values are percentages of fulfilment and the weights add up to 100, so the
index is the LKE score (0–100) and a component's `points` are its part of that score."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from gerai.governance.frameworks import Band, Framework, Indicator, quantize

ZERO = Decimal(0)
NOT_SCORED, PARTIAL, COMPLETE = "not_scored", "partial", "complete"


@dataclass(frozen=True)
class Score:
    value: Decimal | None  # on the model's scale, two decimals; None when there is nothing to weigh
    points: Decimal | None  # Σ value × weight / 100: the LKE component's points
    band: Band | None
    answered: int
    total: int

    @property
    def status(self) -> str:
        """not_scored (nothing answered yet: no index), partial (the unanswered count as 0) or complete."""
        if self.value is None:
            return NOT_SCORED
        return COMPLETE if self.answered >= self.total else PARTIAL


@dataclass(frozen=True)
class Result:
    overall: Score
    domains: dict[str, Score]
    aspects: dict[str, Score]


def _score(framework: Framework, indicators: list[Indicator], values: Mapping[str, Decimal]) -> Score:
    weights = sum((i.weight for i in indicators), ZERO)
    answered = sum(1 for i in indicators if values.get(i.code) is not None)
    if not indicators or weights == 0 or not answered:
        return Score(None, None, None, answered, len(indicators))
    weighted = sum((i.weight * (values.get(i.code) or ZERO) for i in indicators), ZERO)
    value = quantize(weighted / weights)
    return Score(value, quantize(weighted / 100), framework.band(value), answered, len(indicators))


def result(framework: Framework, values: Mapping[str, Decimal]) -> Result:
    """The index of a whole sheet, of each domain and of each aspect."""
    return Result(
        overall=_score(framework, framework.indicators, values) if framework.complete else _incomplete(framework),
        domains={
            d.code: _score(framework, [i for a in d.aspects for i in a.indicators], values) for d in framework.domains
        },
        aspects={a.code: _score(framework, list(a.indicators), values) for d in framework.domains for a in d.aspects},
    )


def _incomplete(framework: Framework) -> Score:
    return Score(None, None, None, 0, len(framework.indicators))


def value_problem(framework: Framework, value: Decimal) -> str:
    """Why `value` cannot be an indicator's value in this model ("" when it can): "range" or "step"."""
    if value < framework.scale_min or value > framework.scale_max:
        return "range"
    if (value - framework.scale_min) % framework.scale_step:
        return "step"
    return ""


def achievement(target: Decimal | None, realisation: Decimal | None, *, higher_is_better: bool) -> Decimal | None:
    """An IKU's achievement in percent: realisation ÷ target × 100 when higher is better, and
    (2 × target − realisation) ÷ target × 100 when lower is better (the common LKjIP convention, so that
    meeting the target exactly is 100 % either way). None without both figures or with a target of 0."""
    if target is None or realisation is None or target == 0:
        return None
    ratio = realisation / target if higher_is_better else (2 * target - realisation) / target
    return quantize(ratio * 100)

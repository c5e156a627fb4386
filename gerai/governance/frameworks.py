"""Index models as versioned data: a model year's domains, aspects and indicators with their weights, the
maturity levels with their criteria, and the predicate bands, read from JSON in gerai/governance/data/
(docs/governance.md). Pure: no database, so a new model year is a new file, and old results keep the model
they were assessed with. `framework_from_dict` refuses a model whose weights do not add up."""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
HUNDRED = Decimal(100)


def plain(value: Decimal) -> str:
    """A weight as people write it: 1.3, 2.75, 100 (never 1E+2)."""
    return format(value.normalize(), "f")


class FrameworkInvalid(ValueError):
    """A model file that cannot be used: the message says where and why."""


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    criteria: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: Decimal
    live: str = ""  # a figure Gerai measures for it (see gerai/governance/sources.py), or ""
    criteria: tuple[str, ...] = ()  # per-level criteria of this indicator, when the model has them

    @property
    def weight_shown(self) -> Decimal:
        """1.3, 2.75, 100: for templates, which localise it (1,3 in Indonesian)."""
        return self.weight.normalize()


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]

    @property
    def weight_shown(self) -> Decimal:
        """1.3, 2.75, 100: for templates, which localise it (1,3 in Indonesian)."""
        return self.weight.normalize()


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    weight: Decimal
    aspects: tuple[Aspect, ...]

    @property
    def weight_shown(self) -> Decimal:
        """1.3, 2.75, 100: for templates, which localise it (1,3 in Indonesian)."""
        return self.weight.normalize()


@dataclass(frozen=True)
class Band:
    bound: Decimal
    inclusive: bool  # "from" (>=) or "above" (>)
    name: str
    label: str = ""

    def holds(self, value: Decimal) -> bool:
        return value >= self.bound if self.inclusive else value > self.bound


@dataclass(frozen=True)
class Framework:
    code: str
    kind: str  # spbe, pemdi, sakip
    name: str
    valid_from: int
    scale_min: Decimal
    scale_max: Decimal
    scale_step: Decimal
    complete: bool
    levels: tuple[Level, ...]
    bands: tuple[Band, ...]
    domains: tuple[Domain, ...]
    sources: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    indicator_index: dict[str, tuple[Domain, Aspect, Indicator]] = field(default_factory=dict, compare=False)

    @property
    def indicators(self) -> list[Indicator]:
        return [i for d in self.domains for a in d.aspects for i in a.indicators]

    @property
    def is_maturity(self) -> bool:
        """Scored by maturity levels 0–5 (SPBE, Pemdi) rather than by a percentage (the LKE)."""
        return bool(self.levels)

    def indicator(self, code: str) -> Indicator | None:
        found = self.indicator_index.get(code)
        return found[2] if found else None

    def band(self, value: Decimal) -> Band:
        return next(b for b in self.bands if b.holds(value))


def _decimal(raw, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise FrameworkInvalid(f"{where}: {raw!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise FrameworkInvalid(f"{where}: {raw!r} is not a weight")
    return value


def _check_sum(total: Decimal, declared: Decimal, where: str) -> None:
    if total != declared:
        raise FrameworkInvalid(f"{where}: the parts weigh {plain(total)} %, not {plain(declared)} %")


def _aspect(raw: dict, where: str, complete: bool) -> Aspect:
    where = f"{where} aspect {raw.get('code')}"
    weight = _decimal(raw.get("weight"), where)
    indicators = tuple(
        Indicator(
            code=str(i["code"]),
            name=str(i["name"]),
            weight=_decimal(i.get("weight"), f"{where} indicator {i.get('code')}"),
            live=str(i.get("live", "")),
            criteria=tuple(str(c) for c in i.get("criteria", ())),
        )
        for i in raw.get("indicators", ())
    )
    if complete or indicators:
        _check_sum(sum((i.weight for i in indicators), Decimal(0)), weight, where)
    return Aspect(str(raw["code"]), str(raw["name"]), weight, indicators)


def _domain(raw: dict, complete: bool) -> Domain:
    where = f"domain {raw.get('code')}"
    weight = _decimal(raw.get("weight"), where)
    aspects = tuple(_aspect(a, where, complete) for a in raw.get("aspects", ()))
    _check_sum(sum((a.weight for a in aspects), Decimal(0)), weight, where)
    return Domain(str(raw["code"]), str(raw["name"]), weight, aspects)


def _bands(raw: list) -> tuple[Band, ...]:
    bands = []
    for b in raw:
        inclusive = "from" in b
        bands.append(
            Band(
                _decimal(b["from"] if inclusive else b["above"], "predicate"), inclusive, b["name"], b.get("label", "")
            )
        )
    if not bands or bands[-1].bound != 0 or not bands[-1].inclusive:
        raise FrameworkInvalid("predicates: the last band must start from 0")
    if any(a.bound <= b.bound for a, b in zip(bands, bands[1:], strict=False)):
        raise FrameworkInvalid("predicates: bands go from the highest down")
    return tuple(bands)


def framework_from_dict(raw: dict) -> Framework:
    """A model from its JSON, checked: every aspect's indicators weigh what the aspect does, every domain's
    aspects what the domain does, and the domains 100 %. A model marked incomplete may lack indicators."""
    try:
        complete = bool(raw.get("complete", True))
        domains = tuple(_domain(d, complete) for d in raw["domains"])
        _check_sum(sum((d.weight for d in domains), Decimal(0)), HUNDRED, f"model {raw.get('code')}")
        scale = raw.get("scale", {})
        framework = Framework(
            code=str(raw["code"]),
            kind=str(raw["kind"]),
            name=str(raw["name"]),
            valid_from=int(raw["valid_from"]),
            scale_min=_decimal(scale.get("min", 0), "scale"),
            scale_max=_decimal(scale.get("max", 5), "scale"),
            scale_step=_decimal(scale.get("step", 1), "scale"),
            complete=complete,
            levels=tuple(
                Level(int(lv["value"]), str(lv["name"]), str(lv.get("criteria", ""))) for lv in raw.get("levels", ())
            ),
            bands=_bands(raw.get("predicates", [])),
            domains=domains,
            sources=tuple(raw.get("sources", ())),
            unverified=tuple(raw.get("unverified", ())),
        )
    except (KeyError, TypeError) as exc:
        raise FrameworkInvalid(f"model {raw.get('code')}: missing or malformed {exc}") from None
    for d in framework.domains:
        for a in d.aspects:
            for i in a.indicators:
                if i.code in framework.indicator_index:
                    raise FrameworkInvalid(f"model {framework.code}: indicator {i.code} appears twice")
                framework.indicator_index[i.code] = (d, a, i)
    return framework


@cache
def frameworks() -> dict[str, Framework]:
    """Every shipped model, by code; read once per process."""
    out = {}
    for path in sorted(DATA.glob("*.json")):
        framework = framework_from_dict(json.loads(path.read_text(encoding="utf-8")))
        out[framework.code] = framework
    return out


def framework_get(code: str) -> Framework | None:
    return frameworks().get(code)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

"""The IID self-score (Indeks Inovasi Daerah, Kemendagri). Pure: the model of each year is data
(gerai/innovation/data/iid-<year>.json: aspects, maxima, indicator definitions and weights, predicates), so next
year's model is a new file. What is verified and what is not is written in the file's `sources`.

As the 2023 model computes it (regulations.md §6):
- each indicator row scores weight × parameter (0–3): the highest level its evidence proves, or, for a derived
  indicator, the level Gerai reads from its own figures (IKM, digital, replication by other regions);
- SPD = Σ of the region's indicator rows (1–15);
- SID = Σ over innovations of Σ of their rows (16–35) ÷ MAX(min_divisor, n) + per_innovation × min(n, cap);
- IID = (SPD + SID) ÷ max_total × 100, and its predicate by the model's thresholds."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Indicator:
    no: int
    key: str
    aspect: str  # spd | sid
    weight: float
    name: str
    derived: str = ""  # ikm | digital | replication: Gerai reads the level itself
    mandatory: bool = False


@dataclass(frozen=True)
class IidModel:
    year: int
    title: str
    sources: dict
    aspects: dict
    max_total: float
    min_divisor: int
    per_innovation: float
    count_cap: int
    predicates: tuple[tuple[float, str], ...]  # (lowest score, name), highest first
    indicators: tuple[Indicator, ...]

    scale_max = 100  # IID = (SPD + SID) ÷ max_total × 100: the index runs from 0 to 100

    @property
    def bands(self) -> list[tuple[str, float | None]]:
        """The predicates as the scale shows them, highest first: (name, lowest score), and the last one's
        lowest as None ("otherwise"), all read from the model's file."""
        return [
            (name, lowest if i < len(self.predicates) - 1 else None) for i, (lowest, name) in enumerate(self.predicates)
        ]

    def of(self, aspect: str) -> list[Indicator]:
        return [i for i in self.indicators if i.aspect == aspect]


def model_years() -> list[int]:
    return sorted(int(p.stem.split("-")[1]) for p in DATA.glob("iid-*.json"))


@cache
def iid_model(year: int) -> IidModel:
    """The model of a year, or of the latest year before it (a model stays in force until the next)."""
    usable = [y for y in model_years() if y <= year] or model_years()[:1]
    raw = json.loads((DATA / f"iid-{usable[-1]}.json").read_text(encoding="utf-8"))
    return IidModel(
        year=raw["year"],
        title=raw["title"],
        sources=raw["sources"],
        aspects=raw["aspects"],
        max_total=raw["max_total"],
        min_divisor=raw["min_divisor"],
        per_innovation=raw["count_score"]["per_innovation"],
        count_cap=raw["count_score"]["cap"],
        predicates=tuple((p["min"], p["name"]) for p in raw["predicates"]),
        indicators=tuple(Indicator(**row) for row in raw["indicators"]),
    )


@dataclass(frozen=True)
class Entry:
    """One innovation as the score sees it: the levels its evidence proves, and the facts derived rows read."""

    name: str
    levels: dict[str, int]  # indicator key → highest level proved by evidence
    is_digital: bool = False
    replications: int = 0  # other regions that adopted it


@dataclass
class Row:
    indicator: Indicator
    level: int
    score: float
    how: str  # evidence | derived | none


@dataclass
class Score:
    model: IidModel
    spd: float
    spd_rows: list[Row]
    innovations: list[tuple[Entry, float, list[Row]]]
    sid_sum: float
    divisor: int
    count_score: float
    sid: float
    total: float
    iid: float
    predicate: str
    missing_mandatory: list[tuple[str, str]] = field(default_factory=list)  # (innovation, indicator name)


def level_from_ikm(ikm: float | None) -> int:
    """PermenPANRB 14/2017 mutu: A (88.31–100) → 3, B (76.61–88.30) → 2, C (65.00–76.60) → 1, else 0."""
    if ikm is None:
        return 0
    return 3 if ikm >= 88.31 else 2 if ikm >= 76.61 else 1 if ikm >= 65.0 else 0


def _derived_level(indicator: Indicator, entry: Entry | None, live: dict) -> int:
    if indicator.derived == "ikm":
        return level_from_ikm(live.get("ikm"))
    if indicator.derived == "digital" and entry is not None:
        return 3 if entry.is_digital else 0
    if indicator.derived == "replication" and entry is not None:
        return min(3, entry.replications)
    return 0


def _row(indicator: Indicator, levels: dict[str, int], entry: Entry | None, live: dict) -> Row:
    proved = max(0, min(3, levels.get(indicator.key, 0)))
    derived = _derived_level(indicator, entry, live) if indicator.derived else 0
    level = max(proved, derived)
    how = "none" if level == 0 else ("derived" if derived >= proved else "evidence")
    return Row(indicator, level, indicator.weight * level, how)


def predicate_of(model: IidModel, iid: float) -> str:
    rounded = round(iid, 2)
    for lowest, name in model.predicates:
        if rounded >= lowest:
            return name
    return model.predicates[-1][1]


def iid_score(model: IidModel, *, region_levels: dict[str, int], entries: list[Entry], live: dict) -> Score:
    """The self-score of a region from its own evidence (`region_levels`), its innovations and Gerai's live
    figures (`live`: {"ikm": this year's IKM or None})."""
    spd_rows = [_row(i, region_levels, None, live) for i in model.of("spd")]
    spd = sum(r.score for r in spd_rows)
    innovations, missing = [], []
    for entry in entries:
        rows = [_row(i, entry.levels, entry, live) for i in model.of("sid")]
        innovations.append((entry, sum(r.score for r in rows), rows))
        missing += [(entry.name, r.indicator.name) for r in rows if r.indicator.mandatory and r.level == 0]
    n = len(entries)
    sid_sum = sum(score for _e, score, _r in innovations)
    divisor = max(model.min_divisor, n)
    count_score = model.per_innovation * min(n, model.count_cap)
    sid = sid_sum / divisor + count_score
    total = spd + sid
    iid = total / model.max_total * 100
    return Score(
        model=model,
        spd=spd,
        spd_rows=spd_rows,
        innovations=innovations,
        sid_sum=sid_sum,
        divisor=divisor,
        count_score=count_score,
        sid=sid,
        total=total,
        iid=iid,
        predicate=predicate_of(model, iid),
        missing_mandatory=missing,
    )

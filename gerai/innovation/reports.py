"""A saved roadmap version as the pages, the PDF and the XLSX show it: year by year and item by item."""

from dataclasses import dataclass, field

from gerai.innovation.models import GOALS


@dataclass
class YearRow:
    year: int
    budget: float
    spend: float
    staff: float | None
    staff_used: float | None
    value: float  # benefit points delivered in the year
    started: list[str] = field(default_factory=list)

    @property
    def left(self) -> float:
        return self.budget - self.spend


@dataclass
class ItemRow:
    id: str
    name: str
    year: int | None
    capex: float
    opex: float
    staff: float
    value: float
    must: bool


@dataclass
class PlanView:
    code: str
    version: int
    title: str
    created_at: object
    status: str
    objective: float | None
    gap: float | None
    seconds: float | None
    years: list[int]
    year_rows: list[YearRow]
    item_rows: list[ItemRow]
    weights: list[tuple[str, float]]
    conflicts: list[str]

    @property
    def chosen(self) -> list[ItemRow]:
        return [row for row in self.item_rows if row.year is not None]


def plan_view(saved) -> PlanView:
    inputs, result = saved.inputs, saved.result
    years = [int(y) for y in inputs.get("years", [])]
    starts = {entry["id"]: int(entry["year"]) for entry in result.get("plan") or []}
    items = inputs.get("items", [])
    item_rows = [
        ItemRow(
            id=item["id"],
            name=item.get("name") or item["id"],
            year=starts.get(item["id"]),
            capex=item.get("capex", 0),
            opex=item.get("opex", 0),
            staff=item.get("staff", 0),
            value=item.get("value", 0),
            must=bool(item.get("must")),
        )
        for item in items
    ]
    item_rows.sort(key=lambda row: (row.year is None, row.year or 0, row.name))
    staff_caps = inputs.get("staff")
    staff_used = result.get("staff") or {}
    year_rows = []
    for year in years:
        started = [row for row in item_rows if row.year is not None and row.year <= year]
        year_rows.append(
            YearRow(
                year=year,
                budget=float(inputs.get("budget", {}).get(str(year), 0)),
                spend=float((result.get("spend") or {}).get(str(year), 0)),
                staff=None if staff_caps is None else float(staff_caps.get(str(year), 0)),
                staff_used=None if staff_caps is None else float(staff_used.get(str(year), 0)),
                value=sum(row.value for row in started),
                started=[row.name for row in item_rows if row.year == year],
            )
        )
    weights = [(str(GOALS[g]), w) for g, w in (inputs.get("weights") or {}).items() if g in GOALS]
    return PlanView(
        code=saved.code,
        version=saved.version,
        title=saved.title,
        created_at=saved.created_at,
        status=result.get("status", ""),
        objective=result.get("objective"),
        gap=result.get("gap"),
        seconds=result.get("seconds"),
        years=years,
        year_rows=year_rows,
        item_rows=item_rows,
        weights=weights,
        conflicts=result.get("conflict_sentences") or [],
    )


def plan_compare_rows(a: PlanView, b: PlanView) -> dict:
    """Item by item and year by year, A beside B."""
    names = {row.id: row.name for row in a.item_rows} | {row.id: row.name for row in b.item_rows}
    a_years = {row.id: row.year for row in a.item_rows}
    b_years = {row.id: row.year for row in b.item_rows}
    items = sorted(
        ((names[i], a_years.get(i), b_years.get(i)) for i in names),
        key=lambda r: (r[1] is None and r[2] is None, r[1] or r[2] or 0, r[0]),
    )
    a_by_year = {row.year: row for row in a.year_rows}
    b_by_year = {row.year: row for row in b.year_rows}
    years = sorted(set(a_by_year) | set(b_by_year))
    return {
        "items": [(name, ya, yb, ya != yb) for name, ya, yb in items],
        "years": [(year, a_by_year.get(year), b_by_year.get(year)) for year in years],
    }

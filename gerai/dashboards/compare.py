"""Compare regions (/bandingkan/): regions × services, matched by lineage (an adopted service sits on the row of
the service it was adopted from), with whether it is online, its SLA and fee, and its IKM over the last twelve
months where enough citizens answered to publish it."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from gerai.catalog.models import Service
from gerai.catalog.selectors import lineage_root_id
from gerai.dashboards.models import Level, SurveyMonth
from gerai.dashboards.selectors import SURVEY_SUMS, Scope, _ikm_figures
from gerai.lib.tables import records
from gerai.regions.models import Region
from gerai.regions.selectors import regions_active


@dataclass
class Cell:
    service: Service
    ikm: float | None


@dataclass
class Row:
    name: str
    cells: dict[int, Cell] = field(default_factory=dict)  # region pk -> its service of this family
    line: list[Cell | None] = field(default_factory=list)  # one per region of the comparison, in its order


@dataclass
class Comparison:
    regions: list[Region]
    rows: list[Row]
    focus: Region | None

    @property
    def offered(self) -> list[int]:
        """How many services each region offers online, in the order of `regions`."""
        return [sum(1 for row in self.rows if region.pk in row.cells) for region in self.regions]

    def missing_in_focus(self) -> list[Row]:
        """What the other regions offer online that the chosen region does not."""
        if self.focus is None:
            return []
        return [row for row in self.rows if self.focus.pk not in row.cells]


def _ikm_by_service(regions: list[Region]) -> dict[int, float | None]:
    since = timezone.localdate() - dt.timedelta(days=365)
    rows = records(
        SurveyMonth.objects.filter(region__in=regions, level=Level.REGION, month__gte=since.replace(day=1))
        .values("service_id", "region_id")
        .annotate(**SURVEY_SUMS)
    )
    by_region = {region.pk: region for region in regions}
    out = {}
    for row in rows:
        service_id, region_id = row.pop("service_id"), row.pop("region_id")
        out[service_id] = _ikm_figures(Scope(region=by_region[region_id], year=0, public=True), row)["ikm"]
    return out


def comparison(focus_slug: str = "") -> Comparison:
    regions = [r for r in regions_active() if r.has_module(Region.Module.SERVICES)]
    regions.sort(key=lambda r: (not r.is_role_model, r.name))
    services = list(
        Service.objects.filter(region__in=regions, is_published=True).select_related(
            "region", "copied_from__copied_from"
        )
    )
    names = {s.pk: s.name for s in Service.objects.filter(pk__in={lineage_root_id(s) for s in services})}
    ikm = _ikm_by_service(regions)
    rows: dict[int, Row] = {}
    for service in services:
        root = lineage_root_id(service)
        row = rows.setdefault(root, Row(name=names.get(root, service.name)))
        row.cells.setdefault(service.region_id, Cell(service=service, ikm=ikm.get(service.pk)))
    focus = next((r for r in regions if r.slug == focus_slug), None)
    ordered = sorted(rows.values(), key=lambda row: (-len(row.cells), row.name))
    for row in ordered:
        row.line = [row.cells.get(region.pk) for region in regions]
    return Comparison(regions=regions, rows=ordered, focus=focus)

"""Figures Gerai measures itself, offered as evidence for the indices (docs/governance.md): each with its
period and the page it comes from. Read through the dashboards' selectors and the catalogue, never computed
twice. The assessor accepts a proposal or overrides it with a reason (gerai/governance/services.py).

The level proposed for an SPBE/Pemdi indicator from a percentage is Gerai's own rule, not the Permen's: one
level per full 20 % (100 % → 5, 79 % → 3). It is a starting point that the assessor confirms or overrides."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.catalog.models import Service, WorkflowStep
from gerai.dashboards.selectors import Scope, complaints, dashboard
from gerai.innovation.selectors import iid_public

SOURCES = {
    "services_online": gettext_lazy("Share of the region's services that can be applied for online"),
    "services_esign": gettext_lazy("Share of online services whose document is signed electronically"),
    "services_in_sla": gettext_lazy("Share of applications completed within the standard time"),
    "complaints_settled": gettext_lazy("Share of complaints filed in the year that were settled"),
    "ikm": gettext_lazy("Satisfaction index (IKM)"),
}


@dataclass(frozen=True)
class Figure:
    source: str
    label: str
    value: Decimal | None  # a percentage, or the IKM (25–100); None when there is nothing to measure yet
    detail: str  # how it was counted: "12 of 15 services"
    period: str  # "2026"
    url: str  # the page that shows it

    @property
    def proposed_level(self) -> Decimal | None:
        if self.value is None:
            return None
        return min(Decimal(5), (self.value / 20).to_integral_value(rounding=ROUND_FLOOR))


def _pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if whole else None


def _transparency(region, year: int, agency=None) -> str:
    url = f"{reverse('dashboards:transparency', args=[region.slug])}?tahun={year}"
    return f"{url}&instansi={agency.slug}" if agency is not None else url


def _catalogue_figures(region, year: int) -> list[Figure]:
    services = Service.objects.filter(region=region)
    total = services.count()
    online = services.filter(is_published=True).count()
    signed = services.filter(is_published=True, steps__action=WorkflowStep.Action.SIGN).values("pk").distinct().count()
    catalogue = reverse("catalog:catalog", args=[region.slug])
    return [
        Figure(
            "services_online",
            str(SOURCES["services_online"]),
            _pct(online, total),
            _("%(part)s of %(whole)s services") % {"part": online, "whole": total},
            str(year),
            catalogue,
        ),
        Figure(
            "services_esign",
            str(SOURCES["services_esign"]),
            _pct(signed, online),
            _("%(part)s of %(whole)s services") % {"part": signed, "whole": online},
            str(year),
            catalogue,
        ),
    ]


def _complaint_figure(region, year: int) -> Figure:
    table = complaints(Scope(region=region, year=year, public=False))
    filed = sum(row["filed"] or 0 for row in table.rows) if table else 0
    settled = sum(row["resolved"] or 0 for row in table.rows) if table else 0
    return Figure(
        "complaints_settled",
        str(SOURCES["complaints_settled"]),
        _pct(settled, filed),
        _("%(part)s of %(whole)s complaints") % {"part": settled, "whole": filed},
        str(year),
        _transparency(region, year),
    )


def figures(region, year: int) -> dict[str, Figure]:
    """Every region-wide figure of a year, by source."""
    headline = dashboard(Scope(region=region, year=year, public=False)).headline
    completed = headline.get("completed") or 0
    in_sla = headline.get("completed_in_sla") or 0
    out = _catalogue_figures(region, year) + [
        Figure(
            "services_in_sla",
            str(SOURCES["services_in_sla"]),
            _pct(in_sla, completed),
            _("%(part)s of %(whole)s applications") % {"part": in_sla, "whole": completed},
            str(year),
            _transparency(region, year),
        ),
        _complaint_figure(region, year),
        _ikm_figure(region, year, None, headline),
    ]
    return {f.source: f for f in out}


def _ikm_figure(region, year: int, agency, headline: dict) -> Figure:
    ikm = headline.get("ikm")
    respondents = headline.get("respondents") or 0
    return Figure(
        "ikm",
        str(SOURCES["ikm"]),
        Decimal(str(ikm)).quantize(Decimal("0.01")) if ikm is not None else None,
        _("%(n)s respondents") % {"n": respondents},
        str(year),
        _transparency(region, year, agency),
    )


def agency_ikm(region, agency, year: int) -> Figure:
    """An agency's IKM for a year, over its services' surveys: the proposal for an IKU measured by the IKM."""
    headline = dashboard(Scope(region=region, year=year, agency=agency, public=False)).headline
    return _ikm_figure(region, year, agency, headline)


def public_ikm(region, year: int) -> Decimal | None:
    """The region's IKM as the transparency page publishes it (small samples suppressed)."""
    ikm = dashboard(Scope(region=region, year=year, public=True)).headline.get("ikm")
    return Decimal(str(ikm)).quantize(Decimal("0.01")) if ikm is not None else None


def iid_score(region, year: int) -> tuple[Decimal, str] | None:
    """The region's Indeks Inovasi Daerah for a year and its predicate, self-scored from its innovation library
    (gerai/innovation) under the IID model in force that year; None before the first IID model's year, when the
    region keeps no library, or when it had no published innovation of its own by the end of that year."""
    score = iid_public(region, year)
    if score is None:
        return None
    return Decimal(str(score.iid)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), str(score.predicate)

"""Reads of a region's governance work. Every function takes the region first; another region's row and a
missing one give the same 404. The public reads show locked sheets only, beside the published results."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.governance import scoring, sources
from gerai.governance.frameworks import Aspect, Domain, Framework, Indicator, framework_get, frameworks
from gerai.governance.models import Answer, Assessment, Evidence, PerformanceIndicator, PublishedResult
from gerai.innovation.iid import IidModel, iid_model
from gerai.lib.tables import Column, Table
from gerai.regions.models import Region

MODULE = "indeks"
STATUS_LABELS = {
    scoring.NOT_SCORED: gettext_lazy("not yet scored"),
    scoring.PARTIAL: gettext_lazy("partly filled"),
    scoring.COMPLETE: gettext_lazy("complete"),
}


def assessments_of(region):
    return Assessment.objects.filter(region=region).order_by("-year", "kind", "framework")


def _with_answered(rows):
    """Each sheet with `answered`, the indicators that have a value (one query, no per-row count)."""
    return rows.annotate(answered=Count("answers", filter=Q(answers__value__isnull=False)))


def progress(framework_code: str, answered: int) -> tuple[str, int]:
    """A sheet's scoring status (gerai/governance/scoring.py: not_scored, partial, complete) and how many
    indicators its model has, from the number answered."""
    model = framework_get(framework_code)
    total = len(model.indicators) if model else 0
    if not answered or not total:
        return scoring.NOT_SCORED, total
    return (scoring.COMPLETE if answered >= total else scoring.PARTIAL), total


@dataclass
class Listed:
    """A sheet in the office's list: the row, and how far it is filled in."""

    assessment: Assessment
    answered: int
    total: int
    status: str


def assessments_listed(region) -> list[Listed]:
    out = []
    for a in _with_answered(assessments_of(region)):
        status, total = progress(a.framework, a.answered)
        out.append(Listed(a, a.answered, total, status))
    return out


def assessment_get(region, code: str) -> Assessment:
    assessment = assessments_of(region).filter(code=code).first()
    if assessment is None:
        raise Http404
    return assessment


def evidence_get(region, code: str) -> Evidence:
    evidence = Evidence.objects.filter(answer__assessment__region=region, code=code).first()
    if evidence is None:
        raise Http404
    return evidence


@dataclass
class Row:
    """One indicator on a sheet: the model's indicator, its answer (if any), evidence and live proposal."""

    indicator: Indicator
    answer: Answer | None
    evidence: list[Evidence]
    figure: sources.Figure | None
    # what the page's fields show: the answer, or what was typed when a write was refused
    shown_value: str = ""
    shown_justification: str = ""
    error: object = None

    def __post_init__(self) -> None:
        if self.answer is not None:
            self.shown_value = value_text(self.answer.value)
            self.shown_justification = self.answer.justification


def value_text(value: Decimal | None) -> str:
    """3.00 → "3", 72.50 → "72.5", None → ""."""
    if value is None:
        return ""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


@dataclass
class AspectBlock:
    aspect: Aspect
    score: scoring.Score
    rows: list[Row]


@dataclass
class DomainBlock:
    domain: Domain
    score: scoring.Score
    aspects: list[AspectBlock] = field(default_factory=list)


@dataclass
class Sheet:
    assessment: Assessment
    framework: Framework
    result: scoring.Result
    domains: list[DomainBlock]

    def rows(self) -> list[Row]:
        return [row for d in self.domains for a in d.aspects for row in a.rows]


def sheet(assessment: Assessment, *, with_figures: bool = True) -> Sheet:
    """Everything a sheet's page shows, in a handful of queries (plus the live figures once)."""
    framework = framework_get(assessment.framework)
    if framework is None:
        raise Http404
    answers = {a.indicator: a for a in assessment.answers.all()}
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(answer__assessment=assessment).order_by("pk"):
        evidence.setdefault(item.answer_id, []).append(item)
    live = any(i.live for i in framework.indicators)
    figures = sources.figures(assessment.region, assessment.year) if with_figures and live else {}
    result = scoring.result(framework, {k: a.value for k, a in answers.items() if a.value is not None})
    blocks = []
    for domain in framework.domains:
        block = DomainBlock(domain, result.domains[domain.code])
        for aspect in domain.aspects:
            rows = []
            for indicator in aspect.indicators:
                answer = answers.get(indicator.code)
                rows.append(
                    Row(
                        indicator,
                        answer,
                        evidence.get(answer.pk, []) if answer else [],
                        figures.get(indicator.live) if indicator.live else None,
                    )
                )
            block.aspects.append(AspectBlock(aspect, result.aspects[aspect.code], rows))
        blocks.append(block)
    return Sheet(assessment, framework, result, blocks)


# --- IKU ----------------------------------------------------------------------------------------------------


@dataclass
class IkuRow:
    iku: PerformanceIndicator
    achievement: Decimal | None
    figure: sources.Figure | None


def ikus_of(region, year: int, *, with_figures: bool = True) -> list[IkuRow]:
    rows = PerformanceIndicator.objects.filter(region=region, year=year).select_related("agency")
    ikm: dict[int, sources.Figure] = {}
    out = []
    for iku in rows.order_by("agency__name", "name"):
        figure = None
        if with_figures and iku.live_source == "ikm":
            if iku.agency_id not in ikm:
                ikm[iku.agency_id] = sources.agency_ikm(region, iku.agency, year)
            figure = ikm[iku.agency_id]
        achieved = scoring.achievement(
            iku.target, iku.realisation, higher_is_better=iku.direction == PerformanceIndicator.Direction.HIGHER
        )
        out.append(IkuRow(iku, achieved, figure))
    return out


def iku_get(region, code: str) -> PerformanceIndicator:
    iku = PerformanceIndicator.objects.filter(region=region, code=code).select_related("agency").first()
    if iku is None:
        raise Http404
    return iku


def published_of(region):
    return PublishedResult.objects.filter(region=region).order_by("-year", "kind")


# --- the public performance page, the comparison, the API and open data ------------------------------------------


KINDS = ("spbe", "pemdi", "sakip", "iid")


@dataclass
class Figure:
    """One index of one year on the public page: the locked self-assessment and the published result."""

    kind: str
    self_score: Decimal | None = None
    self_predicate: str = ""
    self_model: str = ""
    self_status: str = ""  # not_scored, partial, complete (scoring.py); "" without a locked self-assessment
    self_answered: int | None = None  # indicators with a value, of self_total in the model
    self_total: int | None = None
    published_score: Decimal | None = None
    published_predicate: str = ""
    source: str = ""
    source_url: str = ""
    from_data: bool = False  # measured by Gerai (IKM, IID) rather than assessed
    scale: IidModel | None = None  # the IID's model of that year: its 0–100 scale and predicate bands, shown beside it

    @property
    def empty(self) -> bool:
        return self.self_score is None and self.published_score is None and not self.published_predicate


@dataclass
class Year:
    year: int
    ikm: Decimal | None
    figures: dict[str, Figure]

    def get(self, kind: str) -> Figure | None:
        return self.figures.get(kind)


def history(region, *, year: int | None = None, with_ikm: bool = True) -> list[Year]:
    """Per year, newest first: IKM (from the surveys), the locked SPBE/Pemdi and SAKIP self-assessments, IID,
    and the published official results beside them. Draft and in-review sheets are never public."""
    locked = Assessment.objects.filter(region=region, status=Assessment.Status.LOCKED)
    published = PublishedResult.objects.filter(region=region)
    if year is not None:
        locked, published = locked.filter(year=year), published.filter(year=year)
    shown = year if year is not None else timezone.localdate(timezone=region.zone).year  # always: its IKM
    years: dict[int, dict[str, Figure]] = {shown: {}}
    for a in _with_answered(locked).order_by("year", "updated_at"):
        figure = years.setdefault(a.year, {}).setdefault(a.kind, Figure(a.kind))
        figure.self_score, figure.self_predicate = a.score, a.predicate
        model = framework_get(a.framework)
        figure.self_model = model.name if model else a.framework
        figure.self_status, figure.self_total = progress(a.framework, a.answered)
        figure.self_answered = a.answered
    for p in published:
        figure = years.setdefault(p.year, {}).setdefault(p.kind, Figure(p.kind))
        figure.published_score, figure.published_predicate = p.value, p.predicate
        figure.source, figure.source_url = p.source, p.source_url
    for y in list(years):
        iid = sources.iid_score(region, y)
        if iid is not None:
            figure = years.setdefault(y, {}).setdefault("iid", Figure("iid"))
            figure.self_score, figure.self_predicate, figure.from_data = iid[0], iid[1], True
            figure.self_status, figure.scale = scoring.COMPLETE, iid_model(y)
    return [Year(y, sources.public_ikm(region, y) if with_ikm else None, years[y]) for y in sorted(years, reverse=True)]


def regions_compared() -> list[dict]:
    """Every active region with the governance module on, and its latest results by "digital" (SPBE or
    Pemdi), "sakip" and "iid": the year and the Figure, self-assessed and published side by side. A locked
    sheet with no indicator entered (not yet scored) is shown only where the region has no figure of that index
    at all, so that it does not hide an earlier score."""
    out = []
    for region in Region.objects.filter(is_active=True).order_by("name"):
        if not region.has_module(MODULE):
            continue
        latest: dict[str, tuple[int, Figure]] = {}
        unscored: dict[str, tuple[int, Figure]] = {}
        for year in history(region, with_ikm=False):
            for kind, figure in year.figures.items():
                key = "digital" if kind in ("spbe", "pemdi") else kind
                if key not in latest and not figure.empty:
                    latest[key] = (year.year, figure)
                elif figure.empty and figure.self_status == scoring.NOT_SCORED:
                    unscored.setdefault(key, (year.year, figure))
        out.append({"region": region, "latest": unscored | latest})
    return out


def known_models() -> list[Framework]:
    return list(frameworks().values())


def dataset_indices(region) -> Table | None:
    """Open data: the region's locked self-assessments and published official results, per year and index."""
    if not region.has_module(MODULE):
        return None
    labels = dict(PublishedResult.Kind.choices)
    rows = [
        {
            "year": year.year,
            "index": str(labels.get(kind, kind)),
            "self_score": figure.self_score,
            "self_predicate": figure.self_predicate,
            "model": figure.self_model,
            "self_status": figure.self_status,
            "self_status_label": str(STATUS_LABELS.get(figure.self_status, "")),
            "self_answered": figure.self_answered,
            "self_total": figure.self_total,
            "published_score": figure.published_score,
            "published_predicate": figure.published_predicate,
            "source": figure.source,
        }
        for year in history(region, with_ikm=False)
        for kind, figure in sorted(year.figures.items())
    ]
    return Table(
        "indeks-kinerja-pemerintahan",
        _("Governance indices: self-assessments and official results"),
        [
            Column("year", _("Year"), "tahun"),
            Column("index", _("Index"), "indeks", "text"),
            Column("self_score", _("Self-assessment"), "nilai_mandiri", "text"),
            Column("self_predicate", _("Self-assessed predicate"), "predikat_mandiri", "text"),
            # not_scored (nothing entered: no score), partial (the unanswered count as 0) or complete
            Column("self_status_label", _("Self-assessment status"), "status_mandiri", "text", file_key="self_status"),
            Column("self_answered", _("Indicators filled"), "indikator_terisi", "text"),  # "–" where none: not "<5"
            Column("self_total", _("Indicators in the model"), "jumlah_indikator", "text"),
            Column("model", _("Index model"), "model_penilaian", "text"),
            Column("published_score", _("Official result"), "nilai_resmi", "text"),
            Column("published_predicate", _("Official predicate"), "predikat_resmi", "text"),
            Column("source", _("Source"), "sumber", "text"),
        ],
        rows,
    )

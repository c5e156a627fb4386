"""The dashboards' figures, read from the rollups; the work in hand is counted over the open
applications only, through the work queue's partial index. Every function takes a Scope built from one
region and checked parameters, so nothing here can reach another region's rows."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gerai.catalog.models import Service
from gerai.catalog.selectors import category_name, category_names
from gerai.dashboards.models import (
    ApplicationDays,
    ApplicationMonth,
    Backlog,
    Level,
    ReportDays,
    ReportMonth,
    SurveyMonth,
)
from gerai.lib import ikm
from gerai.lib.histogram import percentile
from gerai.lib.tables import Column, Table, records
from gerai.regions.models import Agency, Area, Region
from gerai.regions.selectors import kecamatans_of_region, villages_of_region


def _month_label(year: int, month: int) -> str:
    return date_format(dt.date(year, month, 1), "M Y")  # "Mei 2026" / "May 2026"


@dataclass(frozen=True)
class Scope:
    region: Region
    year: int
    agency: Agency | None = None
    service: Service | None = None
    kecamatan: Area | None = None
    desa: Area | None = None
    public: bool = True  # small cells are suppressed on public pages and in open data

    @property
    def area(self) -> Area | None:
        return self.desa or self.kecamatan

    def params(self, **changes) -> dict:
        """The query parameters that show this scope (with changes), for links and downloads."""
        scope = replace(self, **changes)
        out: dict[str, object] = {"tahun": scope.year}
        if scope.agency:
            out["instansi"] = scope.agency.slug
        if scope.service:
            out["layanan"] = scope.service.slug
        if scope.kecamatan:
            out["kecamatan"] = scope.kecamatan.code
        if scope.desa:
            out["desa"] = scope.desa.code
        return out


def years_available(region) -> list[int]:
    this_year = timezone.localdate(timezone=region.zone).year
    first = ApplicationMonth.objects.filter(region=region, level=Level.REGION).order_by("month").first()
    start = min(first.month.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


# --- suppression -----------------------------------------------------------------------------------


def _shown(scope: Scope, n: int | None) -> int | None:
    """A count as published: None (shown as "<5", empty in files) when it is small enough to point at
    somebody."""
    if n is None or not scope.public:
        return n
    return None if 0 < n < settings.GERAI_MIN_PUBLIC_CELL else n


def _enough(scope: Scope, n: int) -> bool:
    return not scope.public or n >= settings.GERAI_MIN_PUBLIC_CELL


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- reading the rollups ---------------------------------------------------------------------------


def _year_rows(model, scope: Scope, *, area_level: int | None = None):
    start = dt.date(scope.year, 1, 1)
    rows = model.objects.filter(region=scope.region, month__gte=start, month__lt=start.replace(year=scope.year + 1))
    if area_level is not None:  # a breakdown by kecamatan, or by the villages of the chosen kecamatan
        rows = rows.filter(level=area_level)
        if area_level == Level.VILLAGE:  # the villages of the chosen kecamatan, through the area index
            villages = villages_of_region(scope.region).filter(parent=scope.kecamatan).values("code")
            rows = rows.filter(area_id__in=villages)
    elif scope.area:
        rows = rows.filter(area_id=scope.area.code)
    else:
        rows = rows.filter(level=Level.REGION)
    if scope.service:
        rows = rows.filter(service=scope.service)
    elif scope.agency:
        rows = rows.filter(service__owner_agency=scope.agency)
    return rows


COUNTERS = ("submitted", "completed", "completed_in_sla", "rejected", "cancelled")


def _figures(scope: Scope, counts: dict, days: Counter) -> dict:
    completed = counts.get("completed") or 0
    enough = _enough(scope, completed)
    return {
        **{name: _shown(scope, counts.get(name) or 0) for name in COUNTERS},
        "in_sla_pct": _pct(counts.get("completed_in_sla") or 0, completed) if enough else None,
        "median_days": percentile(days, 50) if enough else None,
        "p90_days": percentile(days, 90) if enough else None,
    }


def _ikm_figures(scope: Scope, sums: dict | None) -> dict:
    sums = sums or {}
    respondents = sums.get("respondents") or 0
    result = ikm.from_totals(
        respondents, [sums.get(f"s{i}") or 0 for i in range(1, 10)], [sums.get(f"n{i}") or 0 for i in range(1, 10)]
    )
    shown = result.ikm is not None and _enough(scope, respondents)
    return {
        "respondents": _shown(scope, respondents),
        "ikm": float(result.ikm) if shown and result.ikm is not None else None,
        "mutu": result.mutu if shown else None,
    }


SURVEY_SUMS = {"respondents": Sum("respondents")} | {f"{p}{i}": Sum(f"{p}{i}") for p in "sn" for i in range(1, 10)}


def _histograms(rows, *group: str) -> dict:
    """Working-day histograms summed per group: keyed by the group's value, or by a tuple of values when
    grouped by several fields."""
    out: dict = defaultdict(Counter)
    for *key, days, n in rows.values(*group, "days").annotate(total=Sum("n")).values_list(*group, "days", "total"):
        out[key[0] if len(key) == 1 else tuple(key)][days] += n
    return out


@dataclass
class Dashboard:
    headline: dict  # the year's figures in one line, and the work in hand now
    tables: list[Table]


def dashboard(scope: Scope) -> Dashboard:
    """Everything a dashboard page shows, in a fixed number of queries over the rollups."""
    counts, days = _monthly_data(scope)
    quarters = _quarter_sums(scope)
    in_hand = _backlog_rows(scope)
    year_counts: Counter = Counter()
    for row in counts.values():
        year_counts.update({name: row[name] or 0 for name in COUNTERS})
    year_days: Counter = Counter()
    for histogram in days.values():
        year_days.update(histogram)
    year_surveys: Counter = Counter()
    for (year, _quarter), sums in quarters.items():
        if year == scope.year:
            year_surveys.update(sums)
    totals = {key: sum(row[key] for row in in_hand) for key in ("open", "waiting", "overdue")}
    headline = _figures(scope, year_counts, year_days) | _ikm_figures(scope, year_surveys) | totals
    tables = [
        _monthly_table(scope, counts, days),
        by_unit(scope),
        by_area(scope),
        _ikm_table(scope, quarters),
        _backlog_table(in_hand),
        complaints(scope),
    ]
    return Dashboard(headline, [table for table in tables if table is not None])


def _figure_columns() -> list[Column]:
    return [
        Column("submitted", _("Submitted"), "diajukan", series=True),
        Column("completed", _("Completed"), "selesai", series=True),
        Column("rejected", _("Rejected"), "ditolak"),
        Column("cancelled", _("Cancelled"), "dibatalkan"),
        Column("in_sla_pct", _("Completed within the standard time (%)"), "persen_tepat_waktu", "pct"),
        Column("median_days", _("Median time (working days)"), "median_hari_kerja", "days"),
        Column("p90_days", _("Nine in ten finished within (working days)"), "p90_hari_kerja", "days"),
    ]


def _monthly_data(scope: Scope) -> tuple[dict, dict]:
    counts = {
        row["month"].month: row
        for row in _year_rows(ApplicationMonth, scope).values("month").annotate(**{n: Sum(n) for n in COUNTERS})
    }
    days = {month.month: hist for month, hist in _histograms(_year_rows(ApplicationDays, scope), "month").items()}
    return counts, days


def _monthly_table(scope: Scope, counts: dict, days: dict) -> Table:
    rows = [
        {"label": _month_label(scope.year, m), "month": f"{scope.year}-{m:02d}"}
        | _figures(scope, counts.get(m, {}), days.get(m, Counter()))
        for m in range(1, 13)
    ]
    return Table(
        "bulanan",
        _("Applications per month"),
        [Column("label", _("Month"), "bulan", "text", file_key="month"), *_figure_columns()],
        rows,
        chart="bar",
        note=_(
            "Submissions count in the month they were made; completions, rejections and cancellations in "
            "the month they happened. Time is counted in working days from submission to completion."
        ),
    )


def _breakdown(scope: Scope, group: str, labels: dict, drill, area_level=None) -> list[dict]:
    months = _year_rows(ApplicationMonth, scope, area_level=area_level)
    counts = {row[group]: row for row in months.values(group).annotate(**{n: Sum(n) for n in COUNTERS})}
    days = _histograms(_year_rows(ApplicationDays, scope, area_level=area_level), group)
    surveys = {
        row[group]: row
        for row in _year_rows(SurveyMonth, scope, area_level=area_level).values(group).annotate(**SURVEY_SUMS)
    }
    rows = []
    for key, name in labels.items():
        if key not in counts and key not in surveys:
            continue
        figures = _figures(scope, counts.get(key, {}), days.get(key, Counter()))
        rows.append({"label": name, "params": drill(key)} | figures | _ikm_figures(scope, surveys.get(key)))
    return rows


def by_unit(scope: Scope) -> Table | None:
    """Per agency, or per service of the chosen agency."""
    if scope.service:
        return None
    ikm_columns = [
        Column("respondents", _("Survey respondents"), "responden"),
        Column("ikm", _("IKM"), "ikm", "ikm"),
    ]
    if scope.agency:
        services = Service.objects.filter(region=scope.region, owner_agency=scope.agency).order_by("name")
        labels = {s.pk: s.name for s in services}
        slugs = {s.pk: s for s in services}
        rows = _breakdown(scope, "service_id", labels, lambda pk: scope.params(service=slugs[pk]))
        title, first = _("By service"), Column("label", _("Service"), "layanan", "text")
    else:
        agencies = {a.pk: a for a in Agency.objects.filter(region=scope.region).order_by("name")}
        labels = {pk: a.name for pk, a in agencies.items()}
        rows = _breakdown(scope, "service__owner_agency_id", labels, lambda pk: scope.params(agency=agencies[pk]))
        title, first = _("By agency"), Column("label", _("Agency"), "instansi", "text")
    return Table("per-unit", title, [first, *_figure_columns(), *ikm_columns], rows)


def by_area(scope: Scope) -> Table | None:
    """Per kecamatan, or per desa and kelurahan of the chosen kecamatan."""
    if scope.desa:
        return None
    ikm_columns = [
        Column("respondents", _("Survey respondents"), "responden"),
        Column("ikm", _("IKM"), "ikm", "ikm"),
    ]
    if scope.kecamatan:
        areas = {a.code: a for a in villages_of_region(scope.region).filter(parent=scope.kecamatan)}
        level, title = Level.VILLAGE, _("By desa and kelurahan")
        first = Column("label", _("Desa or kelurahan"), "desa", "text")
        drill = lambda code: scope.params(desa=areas[code])  # noqa: E731
    else:
        areas = {a.code: a for a in kecamatans_of_region(scope.region)}
        level, title = Level.KECAMATAN, _("By kecamatan")
        first = Column("label", _("Kecamatan"), "kecamatan", "text")
        drill = lambda code: scope.params(kecamatan=areas[code])  # noqa: E731
    labels = {code: a.name for code, a in sorted(areas.items(), key=lambda item: item[1].name)}
    rows = _breakdown(scope, "area_id", labels, drill, area_level=level)
    return Table(
        "per-wilayah",
        title,
        [first, *_figure_columns(), *ikm_columns],
        rows,
        note=_("Applications count where the applicant's desa is; forms without a desa count for the region only."),
    )


def _quarter_sums(scope: Scope) -> dict:
    """Survey sums per quarter of the chosen year and the year before."""
    start = dt.date(scope.year - 1, 1, 1)
    rows = SurveyMonth.objects.filter(region=scope.region, month__gte=start, month__lt=dt.date(scope.year + 1, 1, 1))
    rows = rows.filter(area_id=scope.area.code) if scope.area else rows.filter(level=Level.REGION)
    if scope.service:
        rows = rows.filter(service=scope.service)
    elif scope.agency:
        rows = rows.filter(service__owner_agency=scope.agency)
    quarters: dict = defaultdict(Counter)
    for row in records(rows.values("month").annotate(**SURVEY_SUMS)):
        month = row.pop("month")
        quarters[(month.year, (month.month - 1) // 3 + 1)].update({k: v or 0 for k, v in row.items()})
    return quarters


def _ikm_table(scope: Scope, quarters: dict) -> Table:
    table_rows = []
    for year in (scope.year - 1, scope.year):
        for quarter in range(1, 5):
            label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
            table_rows.append(
                {"label": label, "quarter": f"{year}-Q{quarter}"} | _ikm_figures(scope, quarters.get((year, quarter)))
            )
    return Table(
        "ikm",
        _("Satisfaction index (IKM) per quarter"),
        [
            Column("label", _("Quarter"), "triwulan", "text", file_key="quarter"),
            Column("respondents", _("Respondents"), "responden"),
            Column("ikm", _("IKM"), "ikm", "ikm", series=True),
            Column("mutu", _("Grade"), "mutu", "text"),
        ],
        table_rows,
        chart="line",
        note=_("Computed as PermenPANRB 14/2017 prescribes: the nine elements' averages, weighted equally, times 25."),
    )


# --- the work in hand ------------------------------------------------------------------------------


def _backlog_rows(scope: Scope) -> list[dict]:
    rows = Backlog.objects.filter(region=scope.region)
    rows = rows.filter(area_id=scope.area.code) if scope.area else rows.filter(level=Level.REGION)
    if scope.service:
        rows = rows.filter(service=scope.service)
    elif scope.agency:
        rows = rows.filter(service__owner_agency=scope.agency)
    totals = (
        rows.filter(open__gt=0)
        .values("agency__name")
        .annotate(open=Sum("open"), waiting=Sum("waiting"), overdue=Sum("overdue"))
        .order_by("-overdue", "-open", "agency__name")
    )
    return [
        {"current_agency__name": row["agency__name"], **{k: row[k] for k in ("open", "waiting", "overdue")}}
        for row in totals
    ]


def _backlog_table(rows: list[dict]) -> Table:
    """Where the open applications are now: per office holding them, most overdue first."""
    return Table(
        "tunggakan",
        _("Open applications by the office holding them"),
        [
            Column("label", _("Office"), "kantor", "text"),
            Column("open", _("Open"), "terbuka", series=True),
            Column("waiting", _("Waiting for the citizen"), "menunggu_pemohon"),
            Column("overdue", _("Past the standard time"), "melewati_batas_waktu", series=True),
        ],
        [
            {
                "label": row["current_agency__name"] or _("Waiting for the citizen"),
                **{k: row[k] for k in ("open", "waiting", "overdue")},
            }
            for row in rows
        ],
        shown=25,  # the offices with most overdue first; the download lists every office
        note=_(
            "Counted now, not for the chosen year. The clock stops while an application waits for the citizen; "
            "an application counts as past the standard time once the reminder to the office's supervisor has gone."
        ),
    )


# --- complaints ------------------------------------------------------------------------------------


def complaints(scope: Scope) -> Table | None:
    """Complaints per month: filed, first answered, settled, and the working days to the first answer.
    Complaints are counted per region and agency, so the table is left out below that."""
    if not scope.region.has_module("pengaduan") or scope.service or scope.area:
        return None
    start = dt.date(scope.year, 1, 1)
    end = dt.date(scope.year + 1, 1, 1)
    months = ReportMonth.objects.filter(region=scope.region, month__gte=start, month__lt=end)
    days_rows = ReportDays.objects.filter(region=scope.region, month__gte=start, month__lt=end)
    if scope.agency:
        months = months.filter(category__agency=scope.agency)
        days_rows = days_rows.filter(category__agency=scope.agency)
    counts = {
        row["month"].month: row
        for row in records(
            months.values("month").annotate(filed=Sum("filed"), responded=Sum("responded"), resolved=Sum("resolved"))
        )
    }
    days = {month.month: hist for month, hist in _histograms(days_rows, "month").items()}
    rows = []
    for m in range(1, 13):
        row = counts.get(m, {})
        hist = days.get(m, Counter())
        enough = _enough(scope, row.get("responded") or 0)
        rows.append(
            {
                "label": _month_label(scope.year, m),
                "month": f"{scope.year}-{m:02d}",
                "filed": _shown(scope, row.get("filed") or 0),
                "responded": _shown(scope, row.get("responded") or 0),
                "resolved": _shown(scope, row.get("resolved") or 0),
                "median_days": percentile(hist, 50) if enough else None,
                "p90_days": percentile(hist, 90) if enough else None,
            }
        )
    return Table(
        "pengaduan",
        _("Complaints per month"),
        [
            Column("label", _("Month"), "bulan", "text", file_key="month"),
            Column("filed", _("Filed"), "masuk", series=True),
            Column("responded", _("First answered"), "ditanggapi", series=True),
            Column("resolved", _("Settled"), "selesai"),
            Column("median_days", _("Median time to first answer (working days)"), "median_hari_tanggapan", "days"),
            Column("p90_days", _("Nine in ten answered within (working days)"), "p90_hari_tanggapan", "days"),
        ],
        rows,
        chart="bar",
    )


# --- open data -------------------------------------------------------------------------------------
# Aggregated, anonymised tables for /<region>/data/: never a person, and small cells suppressed.


def dataset_services(region) -> Table:
    services = Service.objects.filter(region=region, is_published=True).select_related("owner_agency").order_by("name")
    names = category_names(region.pk)
    return Table(
        "layanan",
        _("Service catalogue and service standards"),
        [
            Column("slug", _("Identifier"), "kode", "text"),
            Column("name", _("Service"), "layanan", "text"),
            Column("agency", _("Agency"), "instansi", "text"),
            Column("category", _("Category"), "kategori", "text"),
            Column("sla", _("Time to complete (working days)"), "waktu_hari_kerja"),
            Column("fee", _("Fee (rupiah)"), "biaya_rupiah"),
            Column("product", _("Document issued"), "produk", "text"),
            Column("requirements", _("Requirements"), "persyaratan", "text"),
            Column("procedure", _("Procedure"), "prosedur", "text"),
            Column("complaints", _("Complaints, suggestions and feedback"), "pengaduan", "text"),
            Column("legal_basis", _("Legal basis"), "dasar_hukum", "text"),
        ],
        [
            {
                "slug": s.slug,
                "name": s.name,
                "agency": s.owner_agency.name,
                "category": category_name(s, names),
                "sla": s.sla_working_days,
                "fee": s.fee_rupiah,
                "product": s.std_product or s.output_document,
                "requirements": s.std_requirements,
                "procedure": s.std_procedure,
                "complaints": s.std_complaints,
                "legal_basis": s.std_legal_basis,
            }
            for s in services
        ],
    )


def dataset_monthly(region) -> Table:
    """Per service and month, every month on record."""
    scope = Scope(region=region, year=0, public=True)
    rows = ApplicationMonth.objects.filter(region=region, level=Level.REGION)
    counts = rows.values("month", "service_id").annotate(**{n: Sum(n) for n in COUNTERS}).order_by("month")
    days = _histograms(ApplicationDays.objects.filter(region=region, level=Level.REGION), "month", "service_id")
    services = {s.pk: s for s in Service.objects.filter(region=region).select_related("owner_agency")}
    table_rows = []
    for row in records(counts):
        service = services[row["service_id"]]
        table_rows.append(
            {"month": f"{row['month']:%Y-%m}", "agency": service.owner_agency.name, "service": service.name}
            | _figures(scope, row, days[(row["month"], row["service_id"])])
        )
    return Table(
        "statistik-layanan-bulanan",
        _("Applications per service and month"),
        [
            Column("month", _("Month"), "bulan", "text"),
            Column("agency", _("Agency"), "instansi", "text"),
            Column("service", _("Service"), "layanan", "text"),
            *_figure_columns(),
        ],
        table_rows,
    )


def dataset_areas(region) -> Table:
    """Per kecamatan, service and year."""
    scope = Scope(region=region, year=0, public=True)
    rows = ApplicationMonth.objects.filter(region=region, level=Level.KECAMATAN)
    totals: dict = defaultdict(Counter)
    for row in records(rows.values("month", "area_id", "service_id").annotate(**{n: Sum(n) for n in COUNTERS})):
        totals[(row["month"].year, row["area_id"], row["service_id"])].update({n: row[n] or 0 for n in COUNTERS})
    days: dict = defaultdict(Counter)
    by_month = _histograms(
        ApplicationDays.objects.filter(region=region, level=Level.KECAMATAN), "month", "area_id", "service_id"
    )
    for (month, area, service_id), histogram in by_month.items():
        days[(month.year, area, service_id)].update(histogram)
    names = dict(kecamatans_of_region(region).values_list("code", "name"))
    services = dict(Service.objects.filter(region=region).values_list("pk", "name"))
    table_rows = [
        {"year": year, "code": area, "kecamatan": names.get(area, area), "service": services[service_id]}
        | _figures(scope, counts, days[(year, area, service_id)])
        for (year, area, service_id), counts in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1]))
    ]
    return Table(
        "statistik-layanan-kecamatan",
        _("Applications per kecamatan, service and year"),
        [
            Column("year", _("Year"), "tahun"),
            Column("code", _("Kemendagri code"), "kode_kecamatan", "text"),
            Column("kecamatan", _("Kecamatan"), "kecamatan", "text"),
            Column("service", _("Service"), "layanan", "text"),
            *_figure_columns(),
        ],
        table_rows,
    )


def dataset_ikm(region) -> Table:
    """IKM per service and quarter, with the per-element averages (NRR) the regulation reports."""
    scope = Scope(region=region, year=0, public=True)
    quarters: dict = defaultdict(Counter)
    for row in records(
        SurveyMonth.objects.filter(region=region, level=Level.REGION)
        .values("month", "service_id")
        .annotate(**SURVEY_SUMS)
    ):
        month, service_id = row.pop("month"), row.pop("service_id")
        quarters[(month.year, (month.month - 1) // 3 + 1, service_id)].update({k: v or 0 for k, v in row.items()})
    services = {s.pk: s for s in Service.objects.filter(region=region).select_related("owner_agency")}
    table_rows = []
    for (year, quarter, service_id), sums in sorted(quarters.items(), key=lambda item: item[0][:2]):
        service = services[service_id]
        figures = _ikm_figures(scope, sums)
        shown = figures["ikm"] is not None
        nrr = {
            f"nrr{i}": round(sums[f"s{i}"] / sums[f"n{i}"], 3) if shown and sums[f"n{i}"] else None
            for i in range(1, 10)
        }
        table_rows.append(
            {"year": year, "quarter": quarter, "agency": service.owner_agency.name, "service": service.name}
            | figures
            | nrr
        )
    return Table(
        "ikm-triwulan",
        _("Satisfaction index (IKM) per service and quarter"),
        [
            Column("year", _("Year"), "tahun"),
            Column("quarter", _("Quarter"), "triwulan"),
            Column("agency", _("Agency"), "instansi", "text"),
            Column("service", _("Service"), "layanan", "text"),
            Column("respondents", _("Respondents"), "responden"),
            *[Column(f"nrr{i}", f"NRR U{i}", f"nrr_u{i}", "ikm") for i in range(1, 10)],
            Column("ikm", _("IKM"), "ikm", "ikm"),
            Column("mutu", _("Grade"), "mutu", "text"),
        ],
        table_rows,
    )


def dataset_complaints(region) -> Table | None:
    if not region.has_module("pengaduan"):
        return None
    scope = Scope(region=region, year=0, public=True)
    days = _histograms(ReportDays.objects.filter(region=region), "month", "category_id")
    rows = []
    for row in records(
        ReportMonth.objects.filter(region=region)
        .values("month", "category_id", "category__name", "category__agency__name")
        .annotate(filed=Sum("filed"), responded=Sum("responded"), resolved=Sum("resolved"))
        .order_by("month", "category__name")
    ):
        hist = days[(row["month"], row["category_id"])]
        enough = _enough(scope, row["responded"] or 0)
        rows.append(
            {
                "month": f"{row['month']:%Y-%m}",
                "agency": row["category__agency__name"] or "",
                "category": row["category__name"],
                "filed": _shown(scope, row["filed"]),
                "responded": _shown(scope, row["responded"]),
                "resolved": _shown(scope, row["resolved"]),
                "median_days": percentile(hist, 50) if enough else None,
            }
        )
    return Table(
        "pengaduan-bulanan",
        _("Complaints per category and month"),
        [
            Column("month", _("Month"), "bulan", "text"),
            Column("agency", _("Agency"), "instansi", "text"),
            Column("category", _("Category"), "kategori", "text"),
            Column("filed", _("Filed"), "masuk"),
            Column("responded", _("First answered"), "ditanggapi"),
            Column("resolved", _("Settled"), "selesai"),
            Column("median_days", _("Median time to first answer (working days)"), "median_hari_tanggapan", "days"),
        ],
        rows,
    )


DATASETS = {
    "layanan": dataset_services,
    "statistik-layanan-bulanan": dataset_monthly,
    "statistik-layanan-kecamatan": dataset_areas,
    "ikm-triwulan": dataset_ikm,
    "pengaduan-bulanan": dataset_complaints,
}


# --- the IKM report (PermenPANRB 14/2017): a period's index for the region, one agency or one service -------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str


def period(year: int, quarter: int | None = None, semester: int | None = None) -> Period:
    if quarter:
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
        return Period(start, end, f"TW {quarter} {year}")
    if semester:
        start = dt.date(year, 1 if semester == 1 else 7, 1)
        end = dt.date(year, 6, 30) if semester == 1 else dt.date(year, 12, 31)
        return Period(start, end, f"Semester {semester} {year}")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def current_year(region: Region) -> int:
    return timezone.localdate(timezone=region.zone).year


@dataclass(frozen=True)
class IkmReport:
    result: ikm.Result
    period: Period
    users: int  # service users in the period (completed applications)
    required: int  # the Krejcie–Morgan sample for that many users

    @property
    def sample_ok(self) -> bool:
        return self.result.respondents >= self.required


def ikm_report(region: Region, per: Period, *, service=None, agency=None) -> IkmReport:
    """The IKM of a period from the monthly rollups (per-element sums and answer counts, and completed
    applications): the same figures as computing over every response (tests/test_rollups.py holds the
    rollups to that), at a cost that does not grow with the number of responses."""
    months = {"region": region, "level": Level.REGION, "month__range": (per.start.replace(day=1), per.end)}
    surveys = SurveyMonth.objects.filter(**months)
    applications = ApplicationMonth.objects.filter(**months)
    if service is not None:
        surveys, applications = surveys.filter(service=service), applications.filter(service=service)
    elif agency is not None:
        surveys = surveys.filter(service__owner_agency=agency)
        applications = applications.filter(service__owner_agency=agency)
    sums = surveys.aggregate(
        respondents=Sum("respondents"),
        **{f"s{i}": Sum(f"s{i}") for i in range(1, 10)},
        **{f"n{i}": Sum(f"n{i}") for i in range(1, 10)},
    )
    result = ikm.from_totals(
        sums["respondents"] or 0,
        [sums[f"s{i}"] or 0 for i in range(1, 10)],
        [sums[f"n{i}"] or 0 for i in range(1, 10)],
    )
    users = applications.aggregate(n=Sum("completed"))["n"] or 0
    return IkmReport(result, per, users, ikm.required_sample(users))

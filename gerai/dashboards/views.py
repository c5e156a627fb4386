"""The public transparency page and the leaders' dashboard: the same figures, the public's with small
cells suppressed; every table downloads as CSV or XLSX. The office's IKM report, read from the same rollups,
in the regulation's layout (also as PDF and XLSX)."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from gerai.accounts.decorators import region_view, staff_view
from gerai.catalog.selectors import service_owner_agencies, services_for_admin
from gerai.core import pagecache
from gerai.core.pagetopics import CATALOG, FIGURES
from gerai.dashboards import ikm_exports, selectors
from gerai.dashboards.forms import ScopeForm
from gerai.lib.tables import csv_response, xlsx_response
from gerai.regions.selectors import agency_get_by_slug


def _crumbs(scope) -> list[tuple[str, dict]]:
    """The way back up the drill-down: each link removes what was chosen below it."""
    region = scope.params(agency=None, service=None, kecamatan=None, desa=None)
    crumbs = [(scope.region.name, region)]
    if scope.agency:
        crumbs.append((scope.agency.name, scope.params(service=None)))
    if scope.service:
        crumbs.append((scope.service.name, scope.params()))
    if scope.kecamatan:
        crumbs.append((_("Kec. %(name)s") % {"name": scope.kecamatan.name}, scope.params(desa=None)))
    if scope.desa:
        crumbs.append((scope.desa.name, scope.params()))
    return crumbs


def _dashboard(request, *, public: bool, template: str):
    region = request.region
    form = ScopeForm(region, request.GET, public=public)
    scope = form.scope()
    figures = selectors.dashboard(scope)
    tables = figures.tables
    wanted = request.GET.get("unduh")
    if wanted:
        table = next((t for t in tables if t.slug == wanted), None)
        fmt = request.GET.get("format", "csv")
        if table is None or fmt not in ("csv", "xlsx"):
            raise Http404
        filename = f"{region.slug}-{table.slug}-{scope.year}"
        return (csv_response if fmt == "csv" else xlsx_response)(table, filename)
    context = {
        "form": form,
        "scope": scope,
        "headline": figures.headline,
        "tables": tables,
        "crumbs": _crumbs(scope),
        "public": public,
        "query": scope.params(),
        "suppressed": f"<{settings.GERAI_MIN_PUBLIC_CELL}",
        "MIN_PUBLIC_CELL": settings.GERAI_MIN_PUBLIC_CELL,
    }
    return render(request, template, context, status=400 if form.errors else 200)


def public_region(view):
    """The public pages exist where the region has switched its transparency module on."""

    @wraps(view)
    @region_view
    def wrapper(request, *args, **kwargs):
        if not request.region.has_module("transparansi"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@public_region
@pagecache.public_page("transparency", topics=(FIGURES, CATALOG))
def transparency(request):
    return _dashboard(request, public=True, template="dashboards/transparency.html")


@staff_view
def leaders(request):
    return _dashboard(request, public=False, template="dashboards/leaders.html")


@pagecache.public_page("compare", topics=(CATALOG, FIGURES), platform=True)
def compare(request):
    """/bandingkan/: every region's services side by side, matched by lineage; ?wilayah= picks the region to
    compare (what the others offer that it does not)."""
    from gerai.dashboards.compare import comparison

    data = comparison(request.GET.get("wilayah", "")[:50])
    return render(request, "dashboards/compare.html", {"cmp": data})


def _int(value, lo, hi):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if lo <= number <= hi else None


@staff_view
def ikm_report(request):
    """The IKM of a year, quarter or semester for the region, one agency or one service."""
    region = request.region
    year = _int(request.GET.get("tahun"), 2000, 2100) or selectors.current_year(region)
    quarter = _int(request.GET.get("triwulan"), 1, 4)
    semester = _int(request.GET.get("semester"), 1, 2)
    per = selectors.period(year, quarter=quarter, semester=None if quarter else semester)
    all_services = services_for_admin(region)
    service = all_services.filter(slug=request.GET.get("layanan", "")).first()
    agencies = service_owner_agencies(region)
    agency = None if service else agency_get_by_slug(region, request.GET.get("instansi", ""))
    result = selectors.ikm_report(region, per, service=service, agency=agency)
    rows = ikm_exports.element_rows(result)
    unit = service.name if service else agency.name if agency else region.name
    if request.GET.get("format") == "xlsx":
        return ikm_exports.ikm_xlsx(region, unit, result, rows)
    if request.GET.get("format") == "pdf":
        return ikm_exports.ikm_pdf(request, region, unit, result, rows)
    return render(
        request,
        "dashboards/ikm_report.html",
        {
            "report": result,
            "rows": rows,
            "services": all_services,
            "service": service,
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "quarter": quarter,
            "semester": semester,
        },
    )

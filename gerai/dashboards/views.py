"""The public transparency page and the leaders' dashboard: the same figures, the public's with small
cells suppressed; every table downloads as CSV or XLSX."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from gerai.accounts.decorators import region_view, staff_view
from gerai.dashboards import selectors
from gerai.dashboards.forms import ScopeForm
from gerai.lib.tables import csv_response, xlsx_response


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
def transparency(request):
    return _dashboard(request, public=True, template="dashboards/transparency.html")


@staff_view
def leaders(request):
    return _dashboard(request, public=False, template="dashboards/leaders.html")


def compare(request):
    """/bandingkan/: every region's services side by side, matched by lineage; ?wilayah= picks the region to
    compare (what the others offer that it does not)."""
    from gerai.dashboards.compare import comparison

    data = comparison(request.GET.get("wilayah", "")[:50])
    return render(request, "dashboards/compare.html", {"cmp": data})

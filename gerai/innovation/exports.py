"""A roadmap version as PDF (WeasyPrint, no network: the same fetcher as the signed letters) and XLSX (every text
cell through gerai.lib.spreadsheets, so no name runs as a formula)."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gerai.documents.letters import pdf_fetcher
from gerai.innovation.reports import plan_view
from gerai.lib.spreadsheets import xlsx_append


def _filename(saved, ext: str) -> str:
    return f"peta-jalan-inovasi-{saved.region.slug}-v{saved.version}.{ext}"


def plan_pdf(request, saved) -> HttpResponse:
    from weasyprint import HTML  # loaded when a PDF is asked for: it takes a while

    html = render_to_string(
        "innovation/plan_pdf.html", {"plan": plan_view(saved), "region": saved.region}, request=request
    )
    response = HttpResponse(
        HTML(string=html, url_fetcher=pdf_fetcher(), base_url="about:blank").write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(saved, "pdf")}"'
    return response


def plan_xlsx(saved) -> HttpResponse:
    from openpyxl import Workbook

    view = plan_view(saved)
    book = Workbook()
    years = book.active
    years.title = _("Years")[:31]
    xlsx_append(years, [_("Year"), _("Budget"), _("Spending"), _("Left"), _("Benefit points"), _("Started")])
    for row in view.year_rows:
        xlsx_append(years, [row.year, row.budget, row.spend, row.left, row.value, ", ".join(row.started)])
    xlsx_append(years, [])
    xlsx_append(years, [_("Status"), view.status])
    xlsx_append(years, [_("Objective"), view.objective])
    if view.gap is not None:
        xlsx_append(years, [_("Proven gap"), view.gap])
    xlsx_append(years, [_("Costs are estimates.")])
    items = book.create_sheet(_("Candidates")[:31])
    xlsx_append(
        items,
        [_("Innovation"), _("Start year"), _("One-off cost"), _("Yearly cost"), _("Staff"), _("Benefit per year")],
    )
    for item in view.item_rows:
        xlsx_append(items, [item.name, item.year or "", item.capex, item.opex, item.staff, item.value])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(saved, "xlsx")}"'
    return response

"""The IKM report as files, beside the selector that computes it: a workbook and a PDF in the regulation's layout
(Permenpan RB 14/2017), each with its element rows, IKM, mutu and kinerja."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gerai.documents.letters import pdf_fetcher
from gerai.lib.ikm import ELEMENTS
from gerai.lib.spreadsheets import xlsx_append


def element_rows(result) -> list[dict]:
    """The report's rows, one per element: its code, name, number of answers and NRR."""
    return [
        {"code": code, "name": name, "answered": result.result.answered[i], "nrr": result.result.nrr[i]}
        for i, (code, name) in enumerate(ELEMENTS)
    ]


def _filename(region, result, ext: str) -> str:
    return f"ikm-{region.slug}-{result.period.label.lower().replace(' ', '-')}.{ext}"


def _summary(result) -> list[tuple[str, object]]:
    r = result.result
    return [
        (_("Respondents"), r.respondents),
        ("IKM", r.ikm if r.ikm is not None else "–"),
        (_("Quality (mutu)"), r.mutu or "–"),
        (_("Performance (kinerja)"), r.kinerja or "–"),
        (_("Service users in the period"), result.users),
        (_("Sample needed (Krejcie–Morgan)"), result.required),
    ]


def ikm_xlsx(region, unit, result, rows) -> HttpResponse:
    """The report in the regulation's layout as a workbook: per-element NRR, then IKM, mutu, kinerja."""
    from openpyxl import Workbook  # loaded when a workbook is asked for, as gerai.lib.tables does

    book = Workbook()
    sheet = book.active
    sheet.title = "IKM"
    xlsx_append(sheet, [_("Satisfaction index (IKM)"), region.name])
    xlsx_append(sheet, [_("Unit"), unit])
    xlsx_append(sheet, [_("Period"), result.period.label])
    sheet.append([])
    xlsx_append(sheet, [_("Element"), "", _("Answers"), "NRR", _("Weighted NRR (× 1/9)")])
    for row in rows:
        nrr = float(row["nrr"]) if row["nrr"] is not None else None
        xlsx_append(sheet, [row["code"], row["name"], row["answered"], nrr, nrr / 9 if nrr is not None else None])
    sheet.append([])
    for label, value in _summary(result):
        xlsx_append(sheet, [label, float(value) if isinstance(value, Decimal) else value])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(region, result, "xlsx")}"'
    return response


def ikm_pdf(request, region, unit, result, rows) -> HttpResponse:
    from weasyprint import HTML  # loaded when a PDF is asked for: it takes a while

    html = render_to_string(
        "dashboards/ikm_report_pdf.html",
        {"region": region, "unit": unit, "report": result, "rows": rows, "summary": _summary(result)},
        request=request,
    )
    response = HttpResponse(
        HTML(string=html, url_fetcher=pdf_fetcher(), base_url="about:blank").write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(region, result, "pdf")}"'
    return response

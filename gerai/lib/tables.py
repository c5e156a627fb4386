"""A table of figures, shown as an accessible HTML table (with a chart drawn from it when JavaScript
runs) and downloaded as CSV or XLSX with the same columns."""

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # shown on the page (translated)
    name: str  # the CSV/XLSX header: stable, lowercase, Indonesian, for other systems
    kind: str = "int"  # text, int, pct, days, ikm
    series: bool = False  # drawn in the table's chart


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    chart: str = ""  # "bar", "line" or "" for none
    note: str = ""

    def values(self):
        for row in self.rows:
            yield [_plain(row.get(c.key)) for c in self.columns]


SUPPRESSED = "<5"


def _plain(value):
    if value is None:
        return ""
    return value


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow([c.name for c in table.columns])
    writer.writerows(table.values())
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    sheet.append([str(c.label) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table.values():
        sheet.append(values)
    for i, column in enumerate(table.columns, start=1):
        width = max(len(str(column.label)), *(len(str(v[i - 1])) for v in table.values())) if table.rows else 12
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

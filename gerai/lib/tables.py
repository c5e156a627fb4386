"""A table of figures, shown as an accessible HTML table (with a chart drawn from it when JavaScript
runs) and downloaded as CSV or XLSX with the same columns."""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import number_format


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # shown on the page (translated)
    name: str  # the CSV/XLSX header: stable, lowercase, Indonesian, for other systems
    kind: str = "int"  # text, int, pct, days, ikm
    series: bool = False  # drawn in the table's chart
    file_key: str = ""  # a different value for files (e.g. "2026-03" where the page says "Mar 2026")


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    chart: str = ""  # "bar", "line" or "" for none
    note: str = ""

    def values(self):
        """Rows for files: a suppressed or missing figure is an empty cell."""
        for row in self.rows:
            values = (row.get(c.file_key or c.key) for c in self.columns)
            yield ["" if value is None else value for value in values]

    def cells(self):
        """Rows for the page: display text, the raw value for the chart, and the drill-down link."""
        for row in self.rows:
            params = row.get("params")
            yield [
                Cell(
                    text=_display(column, row.get(column.key)),
                    value=row.get(column.key) if column.kind != "text" else None,
                    numeric=column.kind != "text",
                    href="?" + urlencode(params) if params and index == 0 else "",
                )
                for index, column in enumerate(self.columns)
            ]


@dataclass(frozen=True)
class Cell:
    text: str
    value: object
    numeric: bool
    href: str = ""


def _display(column: Column, value) -> str:
    if value is None:
        # a count is only ever missing when it was too small to publish; an average when there was none
        return f"<{settings.GERAI_MIN_PUBLIC_CELL}" if column.kind == "int" else "–"
    if column.kind == "pct":
        return number_format(value, 1)
    if column.kind == "ikm":
        return number_format(value, 2)
    if column.kind in ("int", "days"):
        return number_format(value, force_grouping=True)
    return str(value)


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

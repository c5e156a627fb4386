"""A table of figures, shown as an accessible HTML table (with a chart drawn from it when JavaScript
runs) and downloaded as CSV or XLSX with the same columns."""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gerai.lib.languages import lang_attr
from gerai.lib.spreadsheets import csv_writer, xlsx_append


def records(rows) -> Iterator[dict[str, Any]]:
    """The rows of a values() query as plain dicts, for code that adds them up (django-stubs gives each
    query's rows a TypedDict of their own)."""
    return iter(rows)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # shown on the page (translated)
    name: str  # the CSV/XLSX header: stable, lowercase, Indonesian, for other systems
    kind: str = "int"  # text, int, pct, days, ikm
    series: bool = False  # drawn in the table's chart
    file_key: str = ""  # a different value for files (e.g. "2026-03" where the page says "Mar 2026")
    lang: str = ""  # the language of the column's text when it is not the page's: "id" for names entered in Indonesian


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    chart: str = ""  # "bar", "line" or "" for none
    note: str = ""
    shown: int | None = None  # rows on the page (the downloads have them all)

    @property
    def hidden(self) -> int:
        return max(len(self.rows) - self.shown, 0) if self.shown is not None else 0

    def values(self):
        """Rows for files: a suppressed or missing figure is an empty cell."""
        for row in self.rows:
            values = (row.get(c.file_key or c.key) for c in self.columns)
            yield ["" if value is None else value for value in values]

    def cells(self):
        """Rows for the page: display text, the raw value for the chart, and the drill-down link."""
        display = _Display()
        for row in self.rows[: self.shown]:
            params = row.get("params")
            yield [
                Cell(
                    text=display(column, row.get(column.key)),
                    value=row.get(column.key) if column.kind != "text" else None,
                    numeric=column.kind != "text",
                    href="?" + urlencode(params) if params and index == 0 else "",
                    lang=column.lang,
                )
                for index, column in enumerate(self.columns)
            ]

    def body_html(self) -> str:
        """The table's rows as HTML, escaped and joined here: a template loop over every cell of a
        dashboard cost more than everything else on the page (docs/performance.md)."""
        out = []
        langs = {c.lang: lang_attr(c.lang) for c in self.columns}  # read the page's language once per table
        for row in self.cells():
            first, *rest = row
            label: str = escape(first.text)
            if first.href:
                label = f'<a href="{escape(first.href)}">{label}</a>'
            parts = [f'<tr><th scope="row"{langs[first.lang]}>{label}</th>']
            for cell in rest:
                value = "" if cell.value is None else f' data-value="{escape(cell.value)}"'
                parts.append(f'<td class="num"{value}{langs[cell.lang]}>{escape(cell.text)}</td>')
            parts.append("</tr>")
            out.append("".join(parts))
        return mark_safe("".join(out))  # every piece was escaped above


@dataclass(frozen=True)
class Cell:
    text: str
    value: object
    numeric: bool
    href: str = ""
    lang: str = ""  # lang="…" on the cell when it is not the page's language (gerai.lib.languages)


class _Display:
    """Figures as the page shows them, in the active language's number format (read once per table:
    Django's number_format looks the format up on every call)."""

    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.thousands = get_format("THOUSAND_SEPARATOR")
        self.suppressed = f"<{settings.GERAI_MIN_PUBLIC_CELL}"

    def __call__(self, column: Column, value) -> str:
        if value is None:
            # a count is only ever missing when it was too small to publish; an average when there was none
            return self.suppressed if column.kind == "int" else "–"
        if column.kind == "pct":
            return f"{value:.1f}".replace(".", self.decimal)
        if column.kind == "ikm":
            return f"{value:.2f}".replace(".", self.decimal)
        if column.kind in ("int", "days"):
            return f"{value:,}".replace(",", self.thousands)
        return str(value)


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv_writer(response)
    writer.writerow([c.name for c in table.columns])
    writer.writerows(table.values())
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    xlsx_append(sheet, [str(c.label) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table.values():
        xlsx_append(sheet, values)
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

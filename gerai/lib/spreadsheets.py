"""Cells that a spreadsheet shows as text and never runs as a formula (CSV injection, OWASP).

Names entered by staff (services, agencies, categories) reach public CSV and XLSX downloads. A text
that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip before
reading one of those) is a formula to Excel, LibreOffice and Google Sheets: `=HYPERLINK(…)` becomes a
live link, `=WEBSERVICE(…)` a request. Every export writes its rows through `csv_writer` or
`xlsx_append`, which both follow `formula_safe`. Numbers stay numbers: -3 is a number, "-3" is text."""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """The value for a CSV cell: a text that a spreadsheet would read as a formula gets a leading
    apostrophe (shown as text, the apostrophe visible); anything else, numbers included, as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([formula_safe(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> _SafeWriter:
    """csv.writer whose rows pass through `formula_safe`."""
    return _SafeWriter(csv.writer(stream, **kwargs))


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet with every text stored as text: openpyxl would store a text
    beginning with "=" as a formula. A text that `formula_safe` would change also gets Excel's quote
    prefix, so that editing the cell keeps it text; the cell shows the name as it was entered."""
    from openpyxl.cell.cell import Cell

    row = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(sheet, value=value)
            cell.data_type = "s"
            if formula_safe(value) is not value:
                cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)

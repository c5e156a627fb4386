"""Reading the usual price spreadsheet: a CSV file (UTF-8 or Windows-1252; comma or semicolon) or the first
sheet of an XLSX workbook, whose first row names the columns. Dates and numbers become text, as typed."""

import csv
import datetime as dt
import io

XLSX_MAGIC = b"PK\x03\x04"


def _csv_rows(raw: bytes) -> tuple[list[str], list[dict]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    return list(reader.fieldnames or []), list(reader)


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _xlsx_rows(raw: bytes) -> tuple[list[str], list[dict]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return [], []
    header = [_text(h) for h in values[0]]
    return header, [dict(zip(header, (_text(c) for c in row), strict=False)) for row in values[1:] if any(row)]


def read_rows(raw: bytes) -> tuple[list[str], list[dict]]:
    return _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(raw)

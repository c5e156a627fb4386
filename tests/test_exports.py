"""Spreadsheet downloads never carry a live formula (CSV injection): a name that staff typed with a
leading =, +, -, @, tab or carriage return is text in every CSV and XLSX, and numbers stay numbers."""

import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gerai.dashboards.rollups import rollups_fold
from gerai.lib.spreadsheets import FORMULA_STARTS, csv_writer, formula_safe, xlsx_append

EVIL = '=HYPERLINK("http://x","y")'


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _xlsx(content: bytes):
    sheet_xml = b"".join(
        zipfile.ZipFile(io.BytesIO(content)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(content)).namelist()
        if name.startswith("xl/worksheets/")
    )
    return load_workbook(io.BytesIO(content)).active, sheet_xml


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+62 812", "'+62 812"),
        ("-Dinas", "'-Dinas"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Dinas Kependudukan", "Dinas Kependudukan"),
        ("", ""),
        (-3, -3),
        (-2.5, -2.5),
        (0, 0),
        (None, None),
    ],
)
def test_formula_safe_quotes_formula_text_and_leaves_numbers(value, expected):
    assert formula_safe(value) == expected


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)), max_size=6))
def test_no_csv_cell_starts_a_formula_and_numbers_stay_numbers(row):
    out = io.StringIO()
    csv_writer(out).writerow(row)
    cells = _csv_rows(out.getvalue())[0] if out.getvalue().strip("\r\n") else []
    for value, cell in zip(row, cells, strict=False):
        if isinstance(value, str):
            assert not cell.startswith(FORMULA_STARTS)
            assert cell.removeprefix("'") == value or cell == value
        else:
            assert cell == str(value)


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))).map(lambda s: "=" + s),
            st.sampled_from(["+1", "-1", "@A1", EVIL]),
            st.integers(min_value=-(10**12), max_value=10**12),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_no_xlsx_cell_is_a_formula_and_numbers_stay_numbers(row):
    book = Workbook()
    xlsx_append(book.active, row)
    out = io.BytesIO()
    book.save(out)
    sheet, xml = _xlsx(out.getvalue())
    assert b"<f>" not in xml
    for value, cell in zip(row, sheet[1], strict=True):
        assert cell.data_type == ("s" if isinstance(value, str) else "n")
        assert cell.value == value  # the name as it was entered, shown as text


@pytest.fixture
def evil_names(submitted, settings):
    """The Akta Kelahiran service and its agency renamed by a careless or hostile admin."""
    from gerai.catalog.models import Service

    settings.GERAI_MIN_PUBLIC_CELL = 1
    submitted()
    service = Service.objects.select_related("owner_agency").get(region__slug="banyuwangi", slug="akta-kelahiran")
    service.name = EVIL
    service.save(update_fields=["name"])
    service.owner_agency.name = "@" + EVIL[1:]
    service.owner_agency.save(update_fields=["name"])
    rollups_fold()  # the worker's pulse
    return service


def test_open_data_csv_has_the_evil_service_name_as_text(evil_names, client_for):
    rows = _csv_rows(client_for(None).get("/banyuwangi/data/layanan.csv").content.decode())
    row = next(r for r in rows if r[0] == "akta-kelahiran")
    assert row[1] == "'" + EVIL and row[2] == "'@" + EVIL[1:]
    assert not any(cell.startswith(FORMULA_STARTS) for r in rows for cell in r)


def test_transparency_xlsx_has_no_formula(evil_names, client_for):
    from django.utils import timezone

    year = timezone.now().year
    client = client_for(None)
    response = client.get(f"/banyuwangi/transparansi/?tahun={year}&unduh=per-unit&format=xlsx")
    sheet, xml = _xlsx(response.content)
    assert b"<f>" not in xml and b"HYPERLINK" in xml
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    agency = next(cell for cell in names if cell.value == "@" + EVIL[1:])
    assert agency.data_type == "s" and agency.quotePrefix
    assert all(
        isinstance(cell.value, int | float) or cell.value is None for cell in list(sheet.iter_rows(min_row=2))[0][1:3]
    )
    rows = _csv_rows(client.get(f"/banyuwangi/transparansi/?tahun={year}&unduh=per-unit&format=csv").content.decode())
    assert ["'@" + EVIL[1:]] == [r[0] for r in rows if "HYPERLINK" in r[0]]


def test_ikm_report_xlsx_has_no_formula(evil_names, client_for):
    response = client_for("bwi_admin").get("/banyuwangi/kantor/ikm/?layanan=akta-kelahiran&format=xlsx")
    assert response.status_code == 200
    sheet, xml = _xlsx(response.content)
    assert b"<f>" not in xml
    unit = sheet["B2"]
    assert unit.value == EVIL and unit.data_type == "s" and unit.quotePrefix


def test_complaint_statistics_csv_has_no_formula(client_for, banyuwangi):
    from gerai.complaints.models import Category

    category = Category.objects.filter(region=banyuwangi).first()
    category.name = "-" + EVIL
    category.save(update_fields=["name"])
    response = client_for("bwi_admin").get("/banyuwangi/kantor/pengaduan/statistik/?format=csv")
    assert response.status_code == 200
    cells = [cell for row in _csv_rows(response.content.decode()) for cell in row]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)

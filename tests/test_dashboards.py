"""The transparency page, the leaders' dashboard and open data: figures from the rollups, drill-down,
small cells suppressed in public, downloads, and nobody reaching another region's figures."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from openpyxl import load_workbook

from gerai.applications import services as app_services
from gerai.core.actors import Actor
from gerai.dashboards.rollups import rollups_fold

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def history(submitted, people, settings):
    """Three Akta Kelahiran of Desa Kemiren: two completed in March 2026 (one late), one still open."""
    settings.GERAI_MIN_PUBLIC_CELL = 3
    desa, capil = Actor(user=people["desa_officer"]), Actor(user=people["capil_officer"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=WIB), tick=False):
        quick, slow, waiting = submitted(), submitted(), submitted()
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, tzinfo=WIB), tick=False):
        for application in (quick, slow):
            app_services.application_complete_step(actor=desa, application=application)
        app_services.application_complete_step(actor=capil, application=quick)
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, tzinfo=WIB), tick=False):
        app_services.application_complete_step(actor=capil, application=slow)
    rollups_fold()  # the worker's pulse: a dashboard read never folds (selectors only read)
    return quick, slow, waiting


def _cells(page: str, row_label: str) -> str:
    start = page.index(f">{row_label}<")
    return page[start : page.index("</tr>", start)]


def test_the_public_page_counts_and_suppresses_small_cells(history, client_for):
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=WIB), tick=False):
        page = client_for(None).get("/banyuwangi/transparansi/?tahun=2026").content.decode()
        leaders = client_for("bwi_admin").get("/banyuwangi/kantor/dasbor/?tahun=2026").content.decode()
    march = _cells(page, "Mar 2026")
    assert 'data-value="3">3<' in march  # three submitted: enough to publish
    assert "&lt;3" in march  # two completed: below the threshold of 3, so not published
    assert "Putri Ayu" not in page and "3510155203900001" not in page
    march = _cells(leaders, "Mar 2026")
    assert 'data-value="2">2<' in march and 'data-value="50.0"' in march  # one of two within the SLA
    assert 'data-chart="bar"' in page and "chart.umd.min.js" in page  # the chart is drawn from the table


def test_drilling_down_by_agency_service_kecamatan_and_desa(history, client_for):
    client = client_for("capil_officer")
    region = client.get("/banyuwangi/kantor/dasbor/?tahun=2026").content.decode()
    assert 'href="?tahun=2026&amp;instansi=dispendukcapil"' in region
    assert 'href="?tahun=2026&amp;kecamatan=35.10.15"' in region
    agency = client.get("/banyuwangi/kantor/dasbor/?tahun=2026&instansi=dispendukcapil").content.decode()
    assert 'href="?tahun=2026&amp;instansi=dispendukcapil&amp;layanan=akta-kelahiran"' in agency
    assert 'href="?tahun=2026&amp;instansi=dispendukcapil&amp;kecamatan=35.10.15"' in agency  # stays in the agency
    kecamatan = client.get("/banyuwangi/kantor/dasbor/?tahun=2026&kecamatan=35.10.15").content.decode()
    assert "desa=35.10.15.2004" in kecamatan and "Kemiren" in kecamatan
    desa = client.get("/banyuwangi/kantor/dasbor/?tahun=2026&kecamatan=35.10.15&desa=35.10.15.2004")
    assert desa.status_code == 200 and 'data-value="3">3<' in _cells(desa.content.decode(), "Mar 2026")
    other = client.get("/banyuwangi/kantor/dasbor/?tahun=2026&kecamatan=35.10.16&desa=35.10.15.2004")
    assert other.status_code == 400  # Kemiren is not in Kecamatan Banyuwangi: said, not a 500


def test_bad_parameters_get_a_clear_answer_and_the_whole_region(client_for, history):
    client = client_for(None)
    for query in ("tahun=abc", "tahun=1999", "instansi=tidak-ada", "kecamatan=62.07.01", "layanan=%00"):
        response = client.get(f"/banyuwangi/transparansi/?{query}")
        assert response.status_code == 400, query
        assert "error-summary" in response.content.decode()
    assert client.get("/banyuwangi/transparansi/?unduh=rahasia&format=csv").status_code == 404


def test_every_table_downloads_as_csv_and_xlsx(history, client_for):
    client = client_for(None)
    response = client.get("/banyuwangi/transparansi/?tahun=2026&unduh=bulanan&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["bulan", "diajukan", "selesai"]
    assert rows[3][:3] == ["2026-03", "3", ""]  # suppressed cells are empty in files
    book = load_workbook(io.BytesIO(client.get("/banyuwangi/transparansi/?tahun=2026&unduh=ikm&format=xlsx").content))
    assert book.active.max_row == 9  # a header and eight quarters


def test_the_leaders_dashboard_is_for_this_regions_staff_only(client_for):
    assert client_for(None).get("/banyuwangi/kantor/dasbor/").status_code == 302
    assert client_for("citizen_a").get("/banyuwangi/kantor/dasbor/").status_code == 404
    assert client_for("seruyan_officer").get("/banyuwangi/kantor/dasbor/").status_code == 404
    assert client_for("seruyan_officer").get("/seruyan/kantor/dasbor/").status_code == 200


def test_one_region_never_shows_anothers_figures(history, client_for):
    page = client_for(None).get("/seruyan/transparansi/?tahun=2026").content.decode()
    assert 'data-value="3"' not in page
    assert client_for(None).get("/seruyan/transparansi/?instansi=dispendukcapil&kecamatan=35.10.15").status_code == 400


def test_open_data_catalogue_in_dcat_with_anonymous_csv(history, client_for, settings):
    client = client_for(None)
    page = client.get("/banyuwangi/data/").content.decode()
    assert "statistik-layanan-bulanan.csv" in page and "creativecommons.org/licenses/by/4.0" in page
    catalogue = json.loads(client.get("/banyuwangi/data/dcat.jsonld").content)
    assert catalogue["@type"] == "dcat:Catalog" and catalogue["dct:publisher"]["dct:identifier"] == "35.10"
    slugs = {d["dct:identifier"] for d in catalogue["dcat:dataset"]}
    assert slugs == {
        "banyuwangi/layanan",
        "banyuwangi/statistik-layanan-bulanan",
        "banyuwangi/statistik-layanan-kecamatan",
        "banyuwangi/ikm-triwulan",
        "banyuwangi/pengaduan-bulanan",
        "banyuwangi/indeks-kinerja-pemerintahan",  # registered by gerai/governance
        "banyuwangi/harga-pangan-mingguan",  # registered by gerai/prices (gerai.core.opendata)
        "banyuwangi/inovasi",  # gerai/innovation's published library
        "banyuwangi/agenda-wisata",  # gerai/tourism/opendata.py
    }
    for dataset in catalogue["dcat:dataset"]:
        url = dataset["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
        response = client.get(url.replace("http://testserver", ""))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        body = response.content.decode()
        assert "Putri Ayu" not in body and "3510155203900001" not in body and "0812" not in body
    monthly = list(csv.DictReader(io.StringIO(client.get("/banyuwangi/data/statistik-layanan-bulanan.csv").text)))
    march = next(r for r in monthly if r["bulan"] == "2026-03")
    assert (march["diajukan"], march["selesai"], march["median_hari_kerja"]) == ("3", "", "")
    assert catalogue["dct:title"][0] == {"@value": "Data terbuka Kabupaten Banyuwangi", "@language": "id"}
    settings.GERAI_MIN_PUBLIC_CELL = 1  # every figure published: the medians come from the histograms
    monthly = list(csv.DictReader(io.StringIO(client.get("/banyuwangi/data/statistik-layanan-bulanan.csv").text)))
    march = next(r for r in monthly if r["bulan"] == "2026-03")
    # 2 and 16 working days: the nearest-rank median is 2, the 90th percentile 16
    assert (march["selesai"], march["median_hari_kerja"], march["p90_hari_kerja"]) == ("2", "2", "16")
    areas = list(csv.DictReader(io.StringIO(client.get("/banyuwangi/data/statistik-layanan-kecamatan.csv").text)))
    glagah = next(r for r in areas if r["kode_kecamatan"] == "35.10.15")
    assert (glagah["tahun"], glagah["diajukan"], glagah["p90_hari_kerja"]) == ("2026", "3", "16")
    assert client.get("/banyuwangi/data/rahasia.csv").status_code == 404
    assert client.get("/tidak-ada/data/dcat.jsonld").status_code == 404


def test_the_public_pages_follow_the_regions_transparency_module(client_for, seruyan):
    assert client_for(None).get("/seruyan/transparansi/").status_code == 200
    seruyan.modules = [m for m in seruyan.modules if m != "transparansi"]
    seruyan.save()
    for path in ("/seruyan/transparansi/", "/seruyan/data/", "/seruyan/data/dcat.jsonld", "/seruyan/data/layanan.csv"):
        assert client_for(None).get(path).status_code == 404, path
    assert client_for("seruyan_officer").get("/seruyan/kantor/dasbor/").status_code == 200


def test_a_dashboard_costs_the_same_queries_whatever_the_history(history, client_for, submitted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(None)
    url = "/banyuwangi/transparansi/?tahun=2026&kecamatan=35.10.15"
    client.get(url)  # warm the per-process memo

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = cost()
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, tzinfo=WIB), tick=False):
        for _ in range(4):
            submitted()
    rollups_fold()  # the worker's pulse
    assert cost() == before <= 20


def test_a_dashboard_read_writes_nothing(history, client_for, submitted):
    """Selectors only read: changes still pending stay pending through every page that reads the rollups;
    the worker's pulse (or an explicit rollups_fold) adds them."""
    from gerai.dashboards.models import PendingChange

    submitted()
    pending = PendingChange.objects.count()
    assert pending > 0
    for path in ("/banyuwangi/transparansi/", "/banyuwangi/data/", "/banyuwangi/data/layanan.csv"):
        assert client_for(None).get(path).status_code == 200
    for path in ("/banyuwangi/kantor/dasbor/", "/banyuwangi/kantor/ikm/"):
        assert client_for("bwi_admin").get(path).status_code == 200
    assert PendingChange.objects.count() == pending
    assert rollups_fold() == pending and not PendingChange.objects.exists()

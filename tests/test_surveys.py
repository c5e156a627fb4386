"""The satisfaction survey: invited when an application completes, answered once, entered and imported by
staff with a row-by-row report, and reported as the regulation's IKM with the sample check."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gerai.applications import services as app_services
from gerai.core.actors import Actor
from gerai.dashboards.rollups import rollups_fold
from gerai.dashboards.selectors import ikm_report, period
from gerai.notifications.models import OutboxMessage
from gerai.surveys.models import SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def completed(submitted, people):
    def make():
        application = submitted()
        app_services.application_complete_step(actor=Actor(user=people["desa_officer"]), application=application)
        app_services.application_complete_step(actor=Actor(user=people["capil_officer"]), application=application)
        return application

    return make


def _answers(score="4", **extra):
    return {f"u{i}": score for i in range(1, 10)} | extra


def test_a_completed_application_invites_its_citizen_once(completed, client):
    application = completed()
    invitation = SurveyInvitation.objects.get(application=application)
    message = OutboxMessage.objects.get(event="completed", user=application.applicant)
    assert f"/banyuwangi/survei/{invitation.token}/" in message.body
    url = f"/banyuwangi/survei/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "Sangat sesuai" in page and "Dikelola dengan baik" in page  # each element's own labels
    bad = client.post(url, _answers(u3="7"))
    assert bad.status_code == 400 and 'value="4" checked' in bad.content.decode()  # nothing typed is lost
    assert client.post(url, _answers(u9="", saran="Antrean cepat")).status_code == 200
    response = SurveyResponse.objects.get(application=application)
    assert response.u9 is None and response.u1 == 4 and response.comment == "Antrean cepat"
    again = client.post(url, _answers())
    assert again.status_code == 410 and SurveyResponse.objects.count() == 1
    assert client.get("/seruyan/survei/" + invitation.token + "/").status_code == 404


def test_an_expired_link_says_so(completed, client):
    invitation = SurveyInvitation.objects.get(application=completed())
    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        response = client.post(f"/banyuwangi/survei/{invitation.token}/", _answers())
    assert response.status_code == 410 and not SurveyResponse.objects.exists()


def test_staff_enter_paper_forms_and_the_report_computes_the_ikm(client_for, banyuwangi):
    client = client_for("capil_officer")
    for score in ("4", "3", "3", "4"):
        data = {"layanan": "akta-kelahiran", "sumber": "paper", "tanggal": "2026-05-04", **_answers(score)}
        assert client.post("/banyuwangi/kantor/survei/baru/", data).status_code == 302
    bad = client.post(
        "/banyuwangi/kantor/survei/baru/",
        {"layanan": "akta-kelahiran", "sumber": "paper", "tanggal": "2026-05-04", **_answers("9")},
    )
    assert bad.status_code == 400
    rollups_fold()  # the worker's pulse: the report reads the rollups and never folds them itself
    page = client.get("/banyuwangi/kantor/ikm/?tahun=2026&triwulan=2&layanan=akta-kelahiran").content.decode()
    assert 'data-ikm="87.50"' in page  # NRR 3.5 on every element → 87.50, B
    api = client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&semester=1&service=akta-kelahiran").json()
    assert api["ikm"] == 87.5 and api["mutu"] == "B" and api["respondents"] == 4
    assert api["elements"][0] == {"code": "U1", "name": "Persyaratan", "answered": 4, "nrr": 3.5}
    by_agency = client.get("/banyuwangi/kantor/ikm/?tahun=2026&triwulan=2&instansi=dispendukcapil").content.decode()
    assert 'data-ikm="87.50"' in by_agency and "Dinas Kependudukan" in by_agency
    api_agency = client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&agency=dispendukcapil").json()
    assert api_agency["ikm"] == 87.5 and api_agency["agency"] == "dispendukcapil"
    assert client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&agency=dpmptsp").json()["ikm"] is None
    assert client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&agency=tidak-ada").status_code == 404
    assert client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&quarter=3").json()["ikm"] is None
    assert client_for(None).get("/api/v1/regions/banyuwangi/ikm?year=2026&quarter=9").status_code == 422
    assert client_for("citizen_a").get("/banyuwangi/kantor/ikm/").status_code == 404
    assert client_for("seruyan_officer").get("/banyuwangi/kantor/survei/baru/").status_code == 404


def test_the_sample_is_checked_against_krejcie_morgan(completed, client_for):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        completed()
    rollups_fold()
    page = client_for("capil_officer").get("/banyuwangi/kantor/ikm/?tahun=2026").content.decode()
    assert "too small to count" in page or "terlalu sedikit" in page


CSV = (
    "layanan;tanggal;u1;u2;u3;u4;u5;u6;u7;u8;u9;saran\n"
    "akta-kelahiran;2026-03-01;4;4;4;4;4;4;4;4;4;Bagus\n"
    "akta-kelahiran;2026-03-01;4;4;4;4;4;4;4;4;4;Bagus\n"  # the same row again
    "ktp-el;2026-03-02;3;3;5;3;3;3;3;3;3;\n"  # 5 is out of range
    "tidak-ada;2026-03-02;3;3;3;3;3;3;3;3;3;\n"
    "ktp-el;kemarin;3;3;3;3;3;3;3;3;3;\n"
    "kartu-keluarga;2026-03-03;2;3;;4;3;3;3;3;3;Antre lama\n"
)


def test_imports_report_row_by_row_and_import_nothing_half_way(client_for):
    client = client_for("capil_officer")
    upload = lambda: SimpleUploadedFile("survei.csv", CSV.encode("cp1252"))  # noqa: E731
    first = client.post("/banyuwangi/kantor/survei/impor/", {"berkas": upload()}).content.decode()
    assert SurveyResponse.objects.count() == 0
    for line in ("3", "4", "5", "6"):
        assert f"{line}:" in first or f"Baris {line}" in first or f"Line {line}" in first
        assert f"Baris {line}:" in first  # each refused line is named, in the page's language
    client.post("/banyuwangi/kantor/survei/impor/", {"berkas": upload(), "konfirmasi": "1"})
    assert SurveyResponse.objects.filter(source="import").count() == 2
    assert SurveyResponse.objects.get(service__slug="kartu-keluarga").u3 is None
    wrong = client.post(
        "/banyuwangi/kantor/survei/impor/",
        {"berkas": SimpleUploadedFile("x.csv", b"nama,nilai\nA,4\n"), "konfirmasi": "1"},
    ).content.decode()
    assert "u1" in wrong and SurveyResponse.objects.count() == 2


def test_report_rounds_exactly_as_the_regulation(client_for, banyuwangi):
    from gerai.catalog.models import Service
    from gerai.surveys.services import survey_enter

    service = Service.objects.get(region=banyuwangi, slug="ktp-el")
    for scores in ([4, 4, 4, 4, 4, 4, 4, 4, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3], [4, 3, 4, 3, 4, 3, 4, 3, 4]):
        survey_enter(
            actor=Actor.system(),
            region=banyuwangi,
            service=service,
            comment="",
            source="walk_in",
            answered_on=dt.date(2026, 1, 5),
            scores={f"u{i + 1}": s for i, s in enumerate(scores)},
        )
    rollups_fold()
    result = ikm_report(banyuwangi, period(2026, quarter=1), service=service).result
    # element sums 11,10,11,10,11,10,11,10,10 = 94 → Σ NRR 31.333… → ÷ 9 × 25 = 87.037… → 87.04, B
    assert result.ikm == Decimal("87.04") and result.mutu == "B"


def test_excel_files_import_like_csv_and_broken_ones_are_refused(client_for):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["layanan", "tanggal", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "saran"])
    sheet.append(["ktp-el", dt.date(2026, 4, 1), 4, 4, 3, 4, 4, 4, 4, 4, 4, "Cepat"])
    sheet.append(["ktp-el", dt.date(2026, 4, 2), 4, 0, 3, 4, 4, 4, 4, 4, 4, None])  # 0 is out of range
    out = io.BytesIO()
    book.save(out)
    client = client_for("capil_officer")
    upload = lambda data, name="survei.xlsx": SimpleUploadedFile(name, data)  # noqa: E731
    page = client.post("/banyuwangi/kantor/survei/impor/", {"berkas": upload(out.getvalue())}).content.decode()
    assert SurveyResponse.objects.count() == 0 and ("Baris 3" in page or "Line 3" in page)
    client.post("/banyuwangi/kantor/survei/impor/", {"berkas": upload(out.getvalue()), "konfirmasi": "1"})
    imported = SurveyResponse.objects.get()
    assert (imported.answered_on, imported.u3, imported.comment) == (dt.date(2026, 4, 1), 3, "Cepat")
    broken = client.post("/banyuwangi/kantor/survei/impor/", {"berkas": upload(b"PK\x03\x04 rusak"), "konfirmasi": "1"})
    assert broken.status_code == 200 and SurveyResponse.objects.count() == 1


def test_the_report_downloads_as_xlsx_and_pdf(client_for):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    client = client_for("capil_officer")
    for score in ("4", "3"):
        client.post(
            "/banyuwangi/kantor/survei/baru/",
            {"layanan": "ktp-el", "sumber": "walk_in", "tanggal": "2026-02-03", **_answers(score)},
        )
    rollups_fold()
    base = "/banyuwangi/kantor/ikm/?tahun=2026&semester=1&layanan=ktp-el"
    xlsx = client.get(base + "&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = [row for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    assert ("U1", "Persyaratan", 2, 3.5, 3.5 / 9) in cells and ("IKM", 87.5) in [row[:2] for row in cells]
    pdf = client.get(base + "&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "87,50" in text and "Persyaratan" in text and "Baik" in text  # Indonesian number format
    assert client_for("seruyan_officer").get("/banyuwangi/kantor/ikm/?format=pdf").status_code == 404

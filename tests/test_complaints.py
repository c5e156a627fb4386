"""Complaints in the SP4N-LAPOR! way: intake, verification, the agency's follow-up, the reporter's
answers, deadlines over holidays, publication without identities, and who may see what."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gerai.complaints import selectors, services
from gerai.complaints.models import Category, Follower, Report, ReportMedia, Status
from gerai.core.actors import Actor
from gerai.notifications.models import OutboxMessage
from tests.conftest import EXE

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def staff(db):
    from gerai.accounts.models import User

    logins = {
        "coordinator": "pengaduan@banyuwangi.demo",
        "pupr": "pupr@banyuwangi.demo",
        "kadis_pupr": "kadis.pupr@banyuwangi.demo",
        "seruyan_coordinator": "pengaduan@seruyan.demo",
        "seruyan_pupr": "pupr@seruyan.demo",
    }
    return {name: User.objects.get(login=login) for name, login in logins.items()}


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (32, 24), (120, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x013B] = "Siti Aminah"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _file(
    region, *, reporter=None, category="jalan-rusak", text="Jalan berlubang besar di depan SDN 1 Kemiren", **extra
):
    from gerai.regions.models import Area

    defaults = {
        "desa": Area.objects.get(code="35.10.15.2004"),
        "reporter_email": "" if reporter else "warga.lain@example.id",
    }
    return services.report_file(
        actor=Actor(user=reporter),
        region=region,
        category=Category.objects.get(region=region, code=category),
        description=text,
        reporter=reporter,
        **(defaults | extra),
    )


@pytest.fixture
def report(banyuwangi, people):
    return _file(banyuwangi, reporter=people["citizen_a"])


def test_a_citizen_files_a_report_on_the_web_with_a_photo_whose_exif_is_removed(client_for, people):
    client = client_for("citizen_a")
    photo = SimpleUploadedFile("lubang.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(
        "/banyuwangi/pengaduan/baru/",
        {
            "category": "jalan-rusak",
            "kind": "complaint",
            "title": "Jalan berlubang",
            "description": "Lubang besar <script>alert(1)</script> di depan SDN 1",
            "desa": "35.10.15.2004",
            "media": [photo],
            "once": "abc123",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(reporter=people["citizen_a"])
    assert report.status == Status.RECEIVED and report.tracking_code.startswith("BWIP-")
    assert "<script>" in report.description  # stored as typed …
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page  # … escaped everywhere
    stored = ReportMedia.objects.get(report=report)
    from PIL import Image

    with stored.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert dict(image.getexif()) == {}
    again = client.post(
        "/banyuwangi/pengaduan/baru/",
        {
            "category": "jalan-rusak",
            "kind": "complaint",
            "description": "x" * 20,
            "desa": "35.10.15.2004",
            "once": "abc123",
        },
    )
    assert (
        again.status_code == 302 and Report.objects.filter(reporter=people["citizen_a"]).count() == 1
    )  # a retried POST


def test_intake_refuses_bad_input_in_plain_words_and_keeps_what_was_typed(client_for):
    client = client_for(None)
    base = {
        "category": "jalan-rusak",
        "kind": "complaint",
        "desa": "35.10.15.2004",
        "description": "Lampu mati sejak seminggu",
    }
    no_contact = client.post("/banyuwangi/pengaduan/baru/", base)
    assert no_contact.status_code == 400 and "Lampu mati sejak seminggu" in no_contact.content.decode()
    exe = client.post(
        "/banyuwangi/pengaduan/baru/",
        {**base, "reporter_email": "a@example.id", "media": [SimpleUploadedFile("foto.jpg", EXE)]},
    )
    assert exe.status_code == 400 and "foto.jpg" in exe.content.decode()
    many = [SimpleUploadedFile(f"{i}.png", _png()) for i in range(5)]
    assert (
        client.post(
            "/banyuwangi/pengaduan/baru/", {**base, "reporter_email": "a@example.id", "media": many}
        ).status_code
        == 400
    )
    too_long = client.post(
        "/banyuwangi/pengaduan/baru/", {**base, "reporter_email": "a@example.id", "description": "x" * 4001}
    )
    assert too_long.status_code == 400
    unknown = client.post(
        "/banyuwangi/pengaduan/baru/", {**base, "reporter_email": "a@example.id", "category": "tidak-ada"}
    )
    assert unknown.status_code == 400
    assert not Report.objects.exists()


def test_applications_and_complaints_refuse_a_disguised_file_in_the_same_words():
    from django.utils import translation

    from gerai.applications import services as application_services

    with translation.override("en"):
        with pytest.raises(services.ComplaintError) as report_refusal:
            services._check_media([SimpleUploadedFile("foto.pdf", EXE)])
        with pytest.raises(application_services.ApplicationError) as application_refusal:
            application_services._checked_file(
                SimpleUploadedFile("foto.pdf", EXE), allowed=["jpg", "png", "pdf"], max_bytes=2**20, label="foto.pdf"
            )
    assert str(report_refusal.value.message) == str(application_refusal.value.message)
    assert str(report_refusal.value.message).startswith("foto.pdf: the file's content is not what its name says.")


def test_a_flood_from_one_address_is_slowed_down(client_for, settings):
    settings.GERAI_THROTTLES = {**settings.GERAI_THROTTLES, "report": (2, 600)}
    client = client_for(None)
    data = {"category": "sampah", "kind": "complaint", "desa": "35.10.15.2004", "reporter_email": "a@example.id"}
    codes = [
        client.post("/banyuwangi/pengaduan/baru/", {**data, "description": f"Sampah menumpuk nomor {i}"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Report.objects.count() == 2


def test_the_whole_handling_path(report, staff, people):
    coordinator, pupr = Actor(user=staff["coordinator"]), Actor(user=staff["pupr"])
    services.report_request_info(actor=coordinator, report=report, question="Di sebelah mana tepatnya?")
    assert report.status == Status.INFO_REQUESTED and report.due_at is None
    services.report_reply(actor=Actor(user=people["citizen_a"]), report=report, text="Depan gerbang sekolah.")
    assert report.status == Status.RECEIVED and report.due_at is not None
    services.report_verify(actor=coordinator, report=report)
    assert report.status == Status.FORWARDED and report.agency.slug == "pupr" and report.settle_by
    services.report_respond(actor=pupr, report=report, text="Dijadwalkan penambalan pekan depan.")
    assert report.status == Status.RESPONDED and report.first_response_at
    services.report_reply(actor=Actor(user=people["citizen_a"]), report=report, text="Belum ada yang datang.")
    assert report.status == Status.FORWARDED
    services.report_respond(actor=pupr, report=report, text="Sudah ditambal hari ini.", settled=True)
    assert report.status == Status.RESOLVED and report.closed_at
    services.report_reopen(actor=Actor(user=people["citizen_a"]), report=report, reason="Lubang muncul lagi.")
    assert report.status == Status.FORWARDED and report.closed_at is None
    kinds = list(report.updates.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "info_requested",
        "reporter_reply",
        "verified",
        "response",
        "reporter_reply",
        "response",
        "resolved",
        "reopened",
    ]


def test_two_staff_acting_on_one_report_at_once_cannot_both_win(report, staff):
    coordinator = Actor(user=staff["coordinator"])
    stale = Report.objects.get(pk=report.pk)  # the second page, loaded before the first acted
    services.report_verify(actor=coordinator, report=report)
    with pytest.raises(services.ComplaintError) as err:
        services.report_request_info(actor=coordinator, report=stale, question="Di sebelah mana?")
    assert err.value.code == "conflict" and err.value.status == 409
    assert Report.objects.get(pk=report.pk).status == Status.FORWARDED


def test_only_the_right_people_act(report, staff, people):
    with pytest.raises(services.ComplaintError):
        services.report_verify(actor=Actor(user=staff["pupr"]), report=report)  # agencies do not verify
    with pytest.raises(services.ComplaintError):
        services.report_verify(actor=Actor(user=staff["seruyan_coordinator"]), report=report)
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    for user in (people["capil_officer"], staff["seruyan_pupr"], people["citizen_b"]):
        with pytest.raises(services.ComplaintError):
            services.report_respond(actor=Actor(user=user), report=report, text="x")
    with pytest.raises(services.ComplaintError):
        services.report_reply(actor=Actor(user=people["citizen_b"]), report=report, text="bukan laporan saya")


def test_deadlines_count_working_days_across_nyepi_and_lebaran(banyuwangi, people, staff):
    with time_machine.travel(dt.datetime(2026, 3, 13, 9, 0, tzinfo=WIB), tick=False):  # a Friday
        report = _file(banyuwangi, reporter=people["citizen_a"])
    assert report.due_at.astimezone(WIB).date() == dt.date(2026, 3, 25)  # 3 working days: Mon 16, Tue 17, Wed 25
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, 0, tzinfo=WIB), tick=False):
        services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
        assert report.due_at.astimezone(WIB).date() == dt.date(2026, 3, 30)  # 5: 17, 25, 26, 27, 30
        assert report.settle_by.astimezone(WIB).date() == dt.date(2026, 5, 15)  # 60 calendar days
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=WIB), tick=False):
        result = services.reports_sweep()
        assert result["escalated"] == 1 and services.reports_sweep()["escalated"] == 0  # once
        assert OutboxMessage.objects.filter(user=staff["kadis_pupr"], event="report_escalated").count() == 1
        services.report_respond(actor=Actor(user=staff["pupr"]), report=report, text="Sudah dicek.")
    with time_machine.travel(dt.datetime(2026, 4, 16, 20, 0, tzinfo=WIB), tick=False):
        assert services.reports_sweep()["closed"] == 0  # 10 working days (Good Friday off) end with the 16th
    with time_machine.travel(dt.datetime(2026, 4, 17, 0, 5, tzinfo=WIB), tick=False):
        assert services.reports_sweep()["closed"] == 1
        report.refresh_from_db()
        assert report.status == Status.CLOSED


def test_regions_set_their_own_deadlines(banyuwangi, people):
    from gerai.complaints.models import ComplaintPolicy

    ComplaintPolicy.objects.create(region=banyuwangi, verify_days=1)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):  # a Monday
        report = _file(banyuwangi, reporter=people["citizen_a"])
        assert report.due_at.astimezone(WIB).date() == dt.date(2026, 11, 3)


def test_publication_hides_identities_and_confidential_reports(banyuwangi, people, staff, client_for):
    public = _file(banyuwangi, reporter=people["citizen_a"], text="Sampah menumpuk di pasar Kemiren", category="sampah")
    secret = _file(
        banyuwangi, reporter=people["citizen_b"], text="Pungutan liar di loket", category="perizinan", confidential=True
    )
    unverified = _file(
        banyuwangi, reporter=people["citizen_a"], text="Tiang PJU roboh di tikungan", category="lampu-jalan"
    )
    for r in (public, secret):
        services.report_verify(actor=Actor(user=staff["coordinator"]), report=r)
    listing = client_for(None).get("/banyuwangi/pengaduan/").content.decode()
    assert public.title in listing and secret.title not in listing and unverified.title not in listing
    page = client_for(None).get(f"/banyuwangi/pengaduan/{public.tracking_code}").content.decode()
    assert "Sampah menumpuk" in page
    for private in ("Siti Aminah", people["citizen_a"].email, people["citizen_a"].citizen.nik):
        assert private not in page
    secret_page = client_for(None).get(f"/banyuwangi/pengaduan/{secret.tracking_code}").content.decode()
    assert "Pungutan liar" not in secret_page and 'data-report-status="forwarded"' in secret_page
    assert (
        "Pungutan liar" in client_for("citizen_b").get(f"/banyuwangi/pengaduan/{secret.tracking_code}").content.decode()
    )


def test_staff_redact_text_and_photos_after_publication(banyuwangi, people, staff, client_for):
    report = _file(
        banyuwangi,
        reporter=people["citizen_a"],
        text="Mobil AB 1234 CD parkir di trotoar",
        uploads=[SimpleUploadedFile("a.png", _png())],
    )
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    media = report.media.get()
    assert client_for(None).get(f"/banyuwangi/pengaduan/{report.tracking_code}/foto/{media.pk}").status_code == 200
    services.report_redact(
        actor=Actor(user=staff["coordinator"]),
        report=report,
        public_description="Mobil parkir di trotoar",
        hide_media=[media.pk],
    )
    page = client_for(None).get(f"/banyuwangi/pengaduan/{report.tracking_code}").content.decode()
    assert "AB 1234 CD" not in page and "Mobil parkir di trotoar" in page
    assert client_for(None).get(f"/banyuwangi/pengaduan/{report.tracking_code}/foto/{media.pk}").status_code == 404


def test_an_anonymous_reporter_never_reaches_the_agency(banyuwangi, people, staff, client_for):
    report = _file(banyuwangi, reporter=people["citizen_a"], anonymous=True, text="Petugas minta uang tambahan")
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    coordinator_page = _page(staff["coordinator"], report)
    assert "Siti Aminah" in coordinator_page
    agency_page = _page(staff["pupr"], report)
    assert "Petugas minta uang tambahan" in agency_page
    for private in ("Siti Aminah", people["citizen_a"].email):
        assert private not in agency_page
    from django.test import Client

    client = Client()
    client.force_login(staff["pupr"])
    exported = client.get("/banyuwangi/kantor/pengaduan/statistik/?format=csv").content.decode()
    assert "Siti" not in exported and "Dinas Pekerjaan Umum" in exported


def _page(user, report):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(f"/banyuwangi/kantor/pengaduan/{report.tracking_code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_only_their_regions_and_agencys_reports(banyuwangi, people, staff):
    from django.test import Client

    report = _file(banyuwangi, reporter=people["citizen_a"])

    def status(user):
        client = Client()
        client.force_login(user)
        return client.get(f"/banyuwangi/kantor/pengaduan/{report.tracking_code}/").status_code

    assert status(staff["coordinator"]) == 200
    assert status(staff["pupr"]) == 404  # not yet sent to the agency
    assert status(staff["seruyan_coordinator"]) == 404 and status(staff["seruyan_pupr"]) == 404
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    assert status(staff["pupr"]) == 200
    assert status(people["capil_officer"]) == 404  # another agency
    assert status(people["citizen_a"]) == 404  # the reporter uses the public page
    client = Client()
    client.force_login(staff["seruyan_coordinator"])
    assert client.get(f"/seruyan/kantor/pengaduan/{report.tracking_code}/").status_code == 404


def test_duplicates_are_hinted_followed_and_merged(banyuwangi, people, staff, client_for):
    first = _file(banyuwangi, reporter=people["citizen_a"], text="Jalan berlubang besar di depan SDN 1 Kemiren")
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=first)
    hints = (
        client_for(None)
        .post(
            "/banyuwangi/pengaduan/serupa/",
            {
                "category": "jalan-rusak",
                "desa": "35.10.15.2004",
                "description": "Ada jalan berlubang besar depan SDN 1",
            },
        )
        .content.decode()
    )
    assert first.tracking_code in hints
    client_for("citizen_b").post(f"/banyuwangi/pengaduan/{first.tracking_code}/aksi/", {"action": "follow"})
    assert Follower.objects.filter(report=first, user=people["citizen_b"]).exists()
    services.report_respond(actor=Actor(user=staff["pupr"]), report=first, text="Akan ditambal.")
    assert OutboxMessage.objects.filter(user=people["citizen_b"], event="report_response").exists()
    second = _file(banyuwangi, reporter=people["citizen_b"], text="Lubang besar di jalan depan SDN 1")
    services.report_merge(actor=Actor(user=staff["coordinator"]), report=second, into=first)
    assert second.status == Status.MERGED and second.merged_into == first


def test_statistics_per_agency_and_category(banyuwangi, people, staff, client_for):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        report = _file(banyuwangi, reporter=people["citizen_a"])
        services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 0, tzinfo=WIB), tick=False):
        services.report_respond(actor=Actor(user=staff["pupr"]), report=report, text="Ditangani.", settled=True)
    _file(banyuwangi, reporter=people["citizen_b"], category="sampah", text="Sampah di sungai")
    rows = {
        (r.agency, r.category): r
        for r in __import__("gerai.complaints.stats", fromlist=["x"]).report_statistics(
            banyuwangi, selectors.reports_for_staff(banyuwangi, staff["coordinator"])
        )
    }
    road = rows[("Dinas Pekerjaan Umum dan Penataan Ruang", "Jalan rusak")]
    assert (road.total, road.open, road.median_response_hours, road.on_time_share) == (1, 0, 24.0, 100.0)
    assert rows[("Dinas Lingkungan Hidup", "Sampah dan kebersihan")].open == 1
    exported = client_for("bwi_admin").get("/banyuwangi/kantor/pengaduan/statistik/?format=csv").content.decode()
    table = list(csv.reader(io.StringIO(exported)))
    assert table[0][0] == "instansi" and len(table) == 3


def test_the_json_api_files_and_reads_reports(people, client, banyuwangi, staff):
    from gerai.accounts.services import api_token_create

    _record, token = api_token_create(actor=Actor(user=people["citizen_a"]), user=people["citizen_a"], name="HP")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "lapor-1"}
    body = {
        "category": "sampah",
        "description": "Sampah <b>menumpuk</b> di sungai",
        "desa": "35.10.15.2004",
        "anonymous": True,
    }
    first = client.post("/api/v1/regions/banyuwangi/reports", body, content_type="application/json", **auth)
    assert first.status_code == 201 and first.json()["status"] == "received"
    again = client.post("/api/v1/regions/banyuwangi/reports", body, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Report.objects.filter(reporter=people["citizen_a"]).count() == 1
    code = first.json()["tracking_code"]
    public = client.get(f"/api/v1/regions/banyuwangi/reports/{code}").json()
    assert public["description"] == "" and public["status"] == "received"  # unpublished until verified
    mine = client.get(f"/api/v1/regions/banyuwangi/reports/{code}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert "menumpuk" in mine["description"]
    bad = client.post(
        "/api/v1/regions/banyuwangi/reports",
        {**body, "category": "tidak-ada"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_category"
    empty = client.post(
        "/api/v1/regions/banyuwangi/reports",
        {**body, "description": " "},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert empty.status_code == 422 and list(empty.json()["error"]["details"]) == ["description"]
    assert client.post("/api/v1/regions/banyuwangi/reports", body, content_type="application/json").status_code == 401
    assert client.get(f"/api/v1/regions/seruyan/reports/{code}").status_code == 404


def test_admins_keep_categories_and_deadlines(client_for, banyuwangi, people):
    from gerai.complaints.models import ComplaintPolicy
    from gerai.regions.models import Agency

    url = "/banyuwangi/kantor/pengaduan/kategori/"
    dlh = Agency.objects.get(region=banyuwangi, slug="dlh")
    data = {"what": "category", "code": "pohon-tumbang", "name": "Pohon tumbang", "agency": dlh.pk, "is_active": "on"}
    assert client_for("bwi_admin").post(url, data).status_code == 302
    assert Category.objects.get(region=banyuwangi, code="pohon-tumbang").agency == dlh
    bad = client_for("bwi_admin").post(url, {**data, "code": "Pohon Tumbang!"})
    assert bad.status_code == 400 and "Pohon Tumbang!" in bad.content.decode()
    other_region = Agency.objects.get(region__slug="seruyan", slug="dlh")
    assert client_for("bwi_admin").post(url, {**data, "code": "x-y", "agency": other_region.pk}).status_code == 400
    policy = {"what": "policy", "verify_days": "2", "follow_up_days": "4", "auto_close_days": "7", "settle_days": "30"}
    assert client_for("bwi_admin").post(url, policy).status_code == 302
    assert ComplaintPolicy.objects.get(region=banyuwangi).settle_days == 30
    assert client_for("bwi_admin").post(url, {**policy, "verify_days": "0"}).status_code == 400
    for persona in ("seruyan_admin", "capil_officer", "citizen_a"):
        assert client_for(persona).get(url).status_code == 404


def test_the_public_map_appears_only_with_a_tile_server(client_for, banyuwangi, people, staff):
    report = _file(
        banyuwangi, reporter=people["citizen_a"], lat=-8.2191, long=114.3691, text="Jembatan retak di Kemiren"
    )
    services.report_verify(actor=Actor(user=staff["coordinator"]), report=report)
    plain = client_for(None).get("/banyuwangi/pengaduan/")
    assert 'id="report-map"' not in plain.content.decode() and "tiles.example" not in plain["Content-Security-Policy"]
    url = "/banyuwangi/kantor/pengaduan/kategori/"
    bad = client_for("bwi_admin").post(
        url, {"what": "map", "map_tiles_url": "http://tiles.example/x.png", "map_attribution": "X"}
    )
    assert bad.status_code == 400 and "http://tiles.example/x.png" in bad.content.decode()
    ok = client_for("bwi_admin").post(
        url,
        {
            "what": "map",
            "map_tiles_url": "https://{s}.tiles.example.go.id/{z}/{x}/{y}.png",
            "map_attribution": "© Pemkab",
        },
    )
    assert ok.status_code == 302
    page = client_for(None).get("/banyuwangi/pengaduan/")
    html = page.content.decode()
    assert 'id="report-map"' in html and '"lat": -8.2191' in html and "Jembatan retak" in html
    assert "https://*.tiles.example.go.id" in page["Content-Security-Policy"]


def test_the_form_states_the_regions_own_deadlines(client_for, banyuwangi):
    from gerai.complaints.models import ComplaintPolicy

    assert "dalam 3 hari kerja" in client_for(None).get("/banyuwangi/pengaduan/baru/").content.decode()
    ComplaintPolicy.objects.create(region=banyuwangi, verify_days=2, follow_up_days=4)
    page = client_for(None).get("/banyuwangi/pengaduan/baru/").content.decode()
    assert "dalam 2 hari kerja" in page and "dalam 4 hari kerja" in page


def test_a_category_withdrawn_while_the_form_is_checked_is_refused_in_words(client_for, monkeypatch):
    """The form offers the active categories; if the one chosen is withdrawn before the view looks it up, the
    citizen is asked to choose again (it was a 500)."""
    looked_up = selectors.category_get

    def withdrawn_meanwhile(region, code):
        Category.objects.filter(region=region, code=code).update(is_active=False)
        return looked_up(region, code)

    monkeypatch.setattr(selectors, "category_get", withdrawn_meanwhile)
    data = {"category": "sampah", "kind": "complaint", "desa": "35.10.15.2004", "reporter_email": "a@example.id"}
    response = client_for(None).post("/banyuwangi/pengaduan/baru/", {**data, "description": "Sampah menumpuk"})
    assert response.status_code == 400 and "data-error-summary" in response.content.decode()
    assert not Report.objects.exists()


def test_a_category_coded_in_digits_is_found_by_its_code_not_as_a_row_id(banyuwangi):
    from gerai.complaints.models import Category
    from gerai.complaints.selectors import category_get

    existing = Category.objects.filter(region=banyuwangi).first()
    coded = Category.objects.create(region=banyuwangi, code=str(existing.pk), name="Kode angka", agency=existing.agency)
    assert category_get(banyuwangi, str(existing.pk)) == coded
    assert category_get(banyuwangi, "999999") is None

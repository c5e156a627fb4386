"""Who sees which reports, and which of their fields: one rule (gerai/complaints/policy.py) for the public list,
the map, similar reports, the report page, the JSON API and Open311 alike. The people, the region and its
categories are the factories' (tests/factories.py), region A ("jember-uji"); the last test is about the demo's
reports and stays on the demo."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gerai.accounts.models import StaffRole
from gerai.complaints import services
from gerai.complaints.models import Category, Report
from gerai.complaints.policy import is_public, public_q
from gerai.core.actors import Actor
from gerai.regions.models import Area
from tests.factories import make_category, make_staff

pytestmark = pytest.mark.django_db
OPEN311 = "/open311/v2"
Q = {"jurisdiction_id": "jember-uji"}
DESA = "35.09.01.2001"  # Padomasan, region A's desa


@pytest.fixture
def region(personas):
    """Region A, with two complaint categories sent to its dinas."""
    make_category(personas.a, "jalan-rusak")
    make_category(personas.a, "sampah")
    return personas.a.region


@pytest.fixture
def coordinator(personas):
    return Actor(user=personas.coordinator)


@pytest.fixture
def pupr(personas):
    """The officer of the agency the categories send reports to (the dinas)."""
    return Actor(user=personas.dinas_officer)


def _file(region, text, *, category="jalan-rusak", **extra):
    fields = {"desa": Area.objects.get(code=DESA), "anonymous": True} | extra
    return services.report_file(
        actor=Actor.system(),
        region=region,
        category=Category.objects.get(region=region, code=category),
        description=text,
        title=text[:60],
        **fields,
    )


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _open311_ids(client, **extra) -> set[str]:
    response = client.get(f"{OPEN311}/requests.json", Q | extra)
    assert response.status_code == 200
    return {row["service_request_id"] for row in response.json()}


def _page_codes(client, slug: str = "jember-uji") -> set[str]:
    from gerai.complaints.models import Report

    html = client.get(f"/{slug}/pengaduan/").content.decode()
    return {code for code in Report.objects.values_list("tracking_code", flat=True) if code in html}


def test_reports_closed_before_verification_never_reach_open311(client, region, coordinator):
    archived = _file(region, "Lubang di gang Mawar", address="Gang Mawar 7, rumah Pak Joko", lat=-8.2, long=114.3)
    declined = _file(region, "Jalan nasional retak", address="Jl. Raya Situbondo km 12")
    services.report_decline(actor=coordinator, report=archived, how="archive", reason="Tidak jelas.")
    services.report_decline(actor=coordinator, report=declined, how="not_authority", reason="Jalan nasional: BBPJN.")
    codes = {archived.tracking_code, declined.tracking_code}
    assert not codes & _open311_ids(client)
    assert not codes & _open311_ids(client, status="closed")
    assert not codes & _open311_ids(client, service_request_id=",".join(codes))
    xml = client.get(f"{OPEN311}/requests.xml", Q | {"service_request_id": archived.tracking_code}).content
    assert archived.tracking_code.encode() not in xml
    for report in (archived, declined):  # its code's holder follows its status, and nothing of its content
        one = client.get(f"{OPEN311}/requests/{report.tracking_code}.json", Q).content.decode()
        for private in (report.address, report.title, report.status_notes, "-8.2", "Mawar"):
            assert private not in one
        assert '"status": "closed"' in one


def test_similar_reports_offer_only_verified_reports(personas, region, coordinator):
    waiting = _file(region, "Jalan berlubang besar di depan rumah Bu Sri Padomasan")
    verified = _file(region, "Jalan berlubang besar di depan SDN 1 Padomasan")
    services.report_verify(actor=coordinator, report=verified)
    typed = {"category": "jalan-rusak", "desa": DESA, "description": "Ada jalan berlubang besar Padomasan"}
    hints = personas.client(None).post("/jember-uji/pengaduan/serupa/", typed).content.decode()
    assert verified.title in hints and waiting.title not in hints and waiting.tracking_code not in hints
    mine = _file(region, "Jalan berlubang besar sekali di Padomasan", reporter_email="a@example.id")
    after = personas.client(None).get(f"/jember-uji/pengaduan/{mine.tracking_code}?baru=1").content.decode()
    assert verified.title in after and waiting.title not in after and waiting.tracking_code not in after
    staff = personas.client(None)
    staff.force_login(coordinator.user)  # the coordinator, merging duplicates, sees the waiting one too
    page = staff.get(f"/jember-uji/kantor/pengaduan/{mine.tracking_code}/").content.decode()
    assert waiting.tracking_code in page and verified.tracking_code in page


@pytest.fixture
def every_state(region, coordinator, pupr):
    """One report in each state of the workflow, and the exceptions: confidential, redacted, merged."""
    made = {name: _file(region, f"Laporan {name} di Padomasan") for name in (
        "received", "info", "forwarded", "responded", "resolved", "closed", "archived", "declined", "merged",
        "confidential", "redacted",
    )}  # fmt: skip
    made["confidential"] = _file(region, "Laporan rahasia di Padomasan", confidential=True)
    services.report_request_info(actor=coordinator, report=made["info"], question="Di mana?")
    for name in ("forwarded", "responded", "resolved", "closed", "merged", "confidential", "redacted"):
        services.report_verify(actor=coordinator, report=made[name])
    services.report_respond(actor=pupr, report=made["resolved"], text="Selesai.", settled=True)
    services.report_respond(actor=pupr, report=made["closed"], text="Sudah dicek.")
    services.reports_sweep(now=timezone.now() + dt.timedelta(days=40))  # unanswered by the reporter: closed
    services.report_respond(actor=pupr, report=made["responded"], text="Dijadwalkan.")
    services.report_decline(actor=coordinator, report=made["archived"], how="archive", reason="Spam.")
    services.report_decline(actor=coordinator, report=made["declined"], how="not_authority", reason="Provinsi.")
    services.report_merge(actor=coordinator, report=made["merged"], into=made["forwarded"])
    services.report_redact(actor=coordinator, report=made["redacted"], public_description="", hide_media=[])
    for report in made.values():
        report.refresh_from_db()
    assert [made[n].status for n in ("responded", "closed", "merged")] == ["responded", "closed", "merged"]
    return made


def test_the_policy_and_every_face_show_the_same_reports(client, personas, region, every_state):
    public = set(Report.objects.filter(public_q(), region=region).values_list("tracking_code", flat=True))
    published = ("forwarded", "responded", "resolved", "closed", "redacted")
    assert public == {every_state[name].tracking_code for name in published}
    assert public == {r.tracking_code for r in every_state.values() if is_public(r)}  # the filter and the row rule
    assert _page_codes(personas.client(None)) == public
    assert _open311_ids(client) == public
    api = client.get("/api/v1/regions/jember-uji/reports", {"limit": 200})
    assert api.status_code == 200 and {r["tracking_code"] for r in api.json()} == public
    for name, report in every_state.items():  # one report: its content exactly where it is public
        code = report.tracking_code
        page = personas.client(None).get(f"/jember-uji/pengaduan/{code}").content.decode()
        api_one = client.get(f"/api/v1/regions/jember-uji/reports/{code}").json()
        o311 = client.get(f"{OPEN311}/requests/{code}.json", Q)
        shown = code in public
        assert (report.title in page) == (shown and name != "redacted"), name
        assert bool(api_one["updates"]) == shown, name
        if name == "confidential":
            assert o311.status_code == 404
        else:
            assert bool(o311.json()[0]["address_id"]) == shown, name


def _offered(user, report) -> set[str]:
    import re

    from django.test import Client

    client = Client()
    client.force_login(user)
    html = client.get(f"/jember-uji/kantor/pengaduan/{report.tracking_code}/").content.decode()
    return set(re.findall(r'name="action" value="(\w+)"', html))


def test_the_office_page_offers_what_the_services_accept(every_state, coordinator, pupr):
    coordinating = {
        "received": {"verify", "request_info", "not_authority", "archive", "merge", "note"},
        "info": {"not_authority", "archive", "merge", "note", "hide_update"},  # the question can be hidden
        "forwarded": {"merge", "redact", "note"},  # declining is for unverified reports only
        "responded": {"merge", "redact", "note", "hide_update"},
        "resolved": {"redact", "note", "hide_update"},
        "confidential": {"merge", "note"},  # nothing public to redact
        "archived": {"note", "hide_update"},
    }
    for name, expected in coordinating.items():
        assert _offered(coordinator.user, every_state[name]) == expected, name
    assert _offered(pupr.user, every_state["forwarded"]) == {"respond", "settle", "note"}
    assert _offered(pupr.user, every_state["resolved"]) == {"note"}
    with pytest.raises(services.ComplaintError) as refused:  # what the page no longer offers, the service refuses
        services.report_decline(actor=coordinator, report=every_state["forwarded"], how="archive", reason="x")
    assert refused.value.code == "invalid_state"


def test_a_redaction_holds_on_every_face(client, personas, region, coordinator):
    report = _file(
        region,
        "Mobil AB 1234 CD parkir di trotoar",
        address="Depan rumah no. 12",
        lat=-8.2191,
        long=114.3691,
        uploads=[SimpleUploadedFile("a.png", _png())],
    )
    services.report_verify(actor=coordinator, report=report)
    services.report_redact(actor=coordinator, report=report, public_description="", hide_media=[])
    row = client.get(f"{OPEN311}/requests/{report.tracking_code}.json", Q).json()[0]
    assert row["description"] == "" and row["address"] == "Padomasan" and row["lat"] is None
    assert row["address_id"] == DESA
    listing = client.get(f"{OPEN311}/requests.json", Q).content.decode()
    assert "AB 1234" not in listing and "Depan rumah" not in listing
    api = client.get(f"/api/v1/regions/jember-uji/reports/{report.tracking_code}").json()
    assert api["description"] == "" and api["title"] == "Jalan rusak"
    page = personas.client(None).get(f"/jember-uji/pengaduan/{report.tracking_code}").content.decode()
    assert "AB 1234" not in page and "Depan rumah" not in page
    listing = personas.client(None).get("/jember-uji/pengaduan/").content.decode()
    assert "AB 1234" not in listing and report.tracking_code in listing
    staff = personas.client(None)
    staff.force_login(coordinator.user)
    assert "AB 1234" in staff.get(f"/jember-uji/kantor/pengaduan/{report.tracking_code}/").content.decode()


def test_only_public_reports_or_ones_own_can_be_followed(region, personas, coordinator):
    from gerai.complaints.models import Follower

    waiting = _file(region, "Sampah menumpuk di pasar", category="sampah")
    with pytest.raises(services.ComplaintError):
        services.report_follow(actor=Actor(user=personas.other_citizen), report=waiting)
    personas.client("other_citizen").post(f"/jember-uji/pengaduan/{waiting.tracking_code}/aksi/", {"action": "follow"})
    assert not Follower.objects.filter(report=waiting).exists()
    services.report_verify(actor=coordinator, report=waiting)
    services.report_follow(actor=Actor(user=personas.other_citizen), report=waiting)
    assert Follower.objects.filter(report=waiting, user=personas.other_citizen).exists()


def test_the_complaints_coordinator_keeps_the_open311_keys(personas, region):
    url = "/jember-uji/kantor/pengaduan/kunci/"
    coordinator = personas.client("coordinator")
    assert coordinator.get(url).status_code == 200
    made = coordinator.post(url, {"name": "Aplikasi Warga"})
    assert made.status_code == 200 and region.open311_keys.filter(name="Aplikasi Warga").exists()
    queue = coordinator.get("/jember-uji/kantor/pengaduan/").text
    assert 'href="/jember-uji/kantor/pengaduan/kunci/"' in queue
    assert "/kantor/pengaduan/kategori/" not in queue  # categories and deadlines stay the region admin's
    assert coordinator.get("/jember-uji/kantor/pengaduan/kategori/").status_code == 404
    assert personas.client("admin").get(url).status_code == 200
    assert "/kantor/pengaduan/kategori/" in personas.client("admin").get("/jember-uji/kantor/pengaduan/").text
    for persona in ("desa_officer", "dinas_officer", "outsider_admin", "citizen"):  # dinas: answers reports
        assert personas.client(persona).get(url).status_code == 404, persona
    elsewhere = Client()
    elsewhere.force_login(make_staff(personas.b.region, personas.b.dinas, StaffRole.Role.COORDINATOR))
    assert elsewhere.get(url).status_code == 404  # another region's coordinator


def test_the_demo_publishes_handled_reports_through_the_services(client, client_for, banyuwangi, monkeypatch):
    from django.core.management import call_command

    from gerai.audit.models import AuditEntry

    monkeypatch.setattr("gerai.demo.management.commands.load_demo.demo_loaded", lambda: False)
    monkeypatch.setattr("gerai.demo.build.load_demo", dict)  # the platform itself is there already
    call_command("load_demo", "--no-history", stdout=io.StringIO())
    made = Report.objects.filter(region=banyuwangi, client_key__startswith="demo:")
    states = set(made.values_list("status", flat=True))
    assert {"forwarded", "responded", "resolved", "archived", "not_authority"} <= states
    public = set(made.filter(public_q()).values_list("tracking_code", flat=True))
    assert len(public) >= 8 and public != set(made.values_list("tracking_code", flat=True))
    assert _page_codes(client_for(None), "banyuwangi") == public == _open311_ids(client, jurisdiction_id="banyuwangi")
    assert _open311_ids(client, jurisdiction_id="seruyan")
    settled = made.get(status="resolved", category__code="lampu-jalan")
    assert list(settled.updates.values_list("kind", flat=True)) == ["received", "verified", "response", "resolved"]
    assert AuditEntry.objects.filter(action="report.verify", object_id=str(settled.pk)).exists()
    page = client_for(None).get(f"/banyuwangi/pengaduan/{settled.tracking_code}").content.decode()
    assert "Lampu sudah diganti" in page
    call_command("load_demo", "--no-history", stdout=io.StringIO())  # once only
    assert Report.objects.filter(region=banyuwangi, client_key__startswith="demo:").count() == made.count()

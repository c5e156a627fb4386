"""The platform admin's pages and the region admin's settings: who reaches them (isolation), and each change
through its service with an audit entry, bad input refused with the typed values kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gerai.accounts.models import StaffInvitation, StaffRole, User
from gerai.audit.models import AuditEntry
from gerai.regions.models import Agency, Region

pytestmark = pytest.mark.django_db

SETTINGS = ["", "instansi/", "pegawai/", "modul/", "tampilan/"]


def _url(parts, page=""):
    return f"/{parts.region.slug}/kantor/pengaturan/{page}"


@pytest.mark.parametrize("page", SETTINGS)
def test_only_the_regions_admin_reaches_its_settings(personas, page):
    assert personas.client("admin").get(_url(personas.a, page)).status_code == 200
    for who in ("outsider_admin", "dinas_officer", "supervisor", "desa_officer", "citizen", "outsider"):
        assert personas.client(who).get(_url(personas.a, page)).status_code == 404, who
        assert personas.client(who).post(_url(personas.a, page), {"what": "invite"}).status_code == 404, who
    assert personas.client(None).get(_url(personas.a, page)).status_code == 302  # to sign in


def test_an_agency_edit_page_of_another_region_is_404(personas):
    page = f"/{personas.a.region.slug}/kantor/pengaturan/instansi/{personas.b.dinas.pk}/"
    assert personas.client("admin").get(page).status_code == 404
    own = f"/{personas.a.region.slug}/kantor/pengaturan/instansi/{personas.a.dinas.pk}/"
    assert personas.client("admin").get(own).status_code == 200
    assert personas.client("outsider_admin").get(own).status_code == 404


@pytest.mark.parametrize("page", ["/platform/", "/platform/wilayah/jember-uji/"])
def test_only_platform_admins_reach_the_platform_pages(personas, page):
    for who in ("admin", "outsider_admin", "dinas_officer", "citizen"):
        assert personas.client(who).get(page).status_code == 404, who
    assert personas.client(None).get(page).status_code == 302
    root = User.objects.create_superuser("root@platform.test", "x", full_name="Root")
    client = personas.client(None)
    client.force_login(root)
    assert client.get(page).status_code == 200


def test_the_platform_admin_onboards_in_the_ui_and_bad_codes_keep_what_was_typed(personas, client):
    root = User.objects.create_superuser("root@platform.test", "x", full_name="Root")
    client.force_login(root)
    bad = client.post("/platform/", {"code": "63.99", "slug": "laut", "admin_email": "a@laut.test"})
    assert bad.status_code == 400 and 'value="a@laut.test"' in bad.text and "63.99" in bad.text
    taken = client.post("/platform/", {"code": "63.02", "slug": "jember-uji"})
    assert taken.status_code == 400 and "/jember-uji/" in taken.text
    done = client.post("/platform/", {"code": "63.02", "slug": "", "admin_email": "admin@kotabaru.test"})
    assert done.status_code == 302 and done["Location"] == "/platform/wilayah/kotabaru/"
    page = client.get(done["Location"])
    assert "/akun/undangan/" in page.text and "WITA" in page.text
    assert "Public services" in page.text or "Layanan publik" in page.text  # modules by name, not code
    assert "layanan, pengaduan" not in page.text
    assert "/akun/undangan/" not in client.get(done["Location"]).text  # the link is shown once
    again = client.post("/platform/", {"code": "63.02"}, follow=True)
    assert Region.objects.filter(code="63.02").count() == 1 and again.status_code == 200


def test_agencies_are_added_and_refused_without_a_name(personas):
    client = personas.client("admin")
    bad = client.post(_url(personas.a, "instansi/"), {"name": " ", "short_name": "Dinkes", "kind": "dinas"})
    assert bad.status_code == 400 and 'value="Dinkes"' in bad.text
    ok = client.post(
        _url(personas.a, "instansi/"),
        {"name": "Dinas Kesehatan", "short_name": "Dinkes", "kind": "dinas", "is_active": "on"},
    )
    assert ok.status_code == 302
    agency = Agency.objects.get(region=personas.a.region, short_name="Dinkes")
    assert AuditEntry.objects.filter(action="agency.create", object_id=str(agency.pk)).exists()
    office = client.post(_url(personas.a, "instansi/"), {"name": "Kantor Desa Baru", "kind": "desa"})
    assert office.status_code == 400  # a desa office needs its area


def test_staff_are_invited_and_a_deactivated_officer_s_work_goes_back_to_the_queue(personas, files):
    from gerai.applications.models import Application
    from tests.factories import make_application

    client = personas.client("admin")
    no_agency = client.post(
        _url(personas.a, "pegawai/"),
        {"what": "invite", "full_name": "Dewi", "email": "dewi@jember.test", "role": "officer"},
    )
    assert no_agency.status_code == 400 and 'value="dewi@jember.test"' in no_agency.text
    foreign = client.post(
        _url(personas.a, "pegawai/"),
        {
            "what": "invite",
            "full_name": "Dewi",
            "email": "dewi@jember.test",
            "role": "officer",
            "agency": personas.b.dinas.pk,
        },
    )
    assert foreign.status_code == 400
    sent = client.post(
        _url(personas.a, "pegawai/"),
        {
            "what": "invite",
            "full_name": "Dewi",
            "email": "dewi@jember.test",
            "role": "officer",
            "agency": personas.a.dinas.pk,
        },
    )
    assert sent.status_code == 302 and StaffInvitation.objects.filter(email="dewi@jember.test").count() == 1
    assert "/akun/undangan/" in client.get(sent["Location"]).text

    application = make_application(personas.citizen, personas.service, upload=files["pdf"])
    Application.objects.filter(pk=application.pk).update(assignee=personas.desa_officer)
    done = client.post(_url(personas.a, "pegawai/"), {"what": "deactivate", "user": personas.desa_officer.pk})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.assignee is None and application.status in ("submitted", "in_process")
    assert not StaffRole.objects.filter(user=personas.desa_officer, region=personas.a.region).exists()
    assert AuditEntry.objects.filter(action="staff.deactivate", region=personas.a.region).exists()
    # an admin of another region cannot deactivate region A's staff through their own page
    other = personas.client("outsider_admin").post(
        _url(personas.b, "pegawai/"), {"what": "deactivate", "user": personas.dinas_officer.pk}
    )
    assert other.status_code == 404 and StaffRole.objects.filter(user=personas.dinas_officer).exists()


def test_the_last_admin_cannot_be_deactivated(personas):
    client = personas.client("admin")
    answer = client.post(_url(personas.a, "pegawai/"), {"what": "deactivate", "user": personas.admin.pk}, follow=True)
    assert StaffRole.objects.filter(user=personas.admin, role="admin").exists() and answer.status_code == 200


def test_modules_switch_on_and_off(personas):
    client = personas.client("admin")
    assert client.post(_url(personas.a, "modul/"), {"modules": ["layanan", "pengaduan"]}).status_code == 302
    personas.a.region.refresh_from_db()
    assert personas.a.region.modules == ["layanan", "pengaduan"]
    assert client.post(_url(personas.a, "modul/"), {"modules": ["nope"]}).status_code == 400
    assert client.post(_url(personas.a, "modul/"), {}).status_code == 302  # every box unticked: all off
    personas.a.region.refresh_from_db()
    assert personas.a.region.modules == []


def _png(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#123456").save(buffer, "PNG")
    return buffer.getvalue()


def test_branding_refuses_low_contrast_and_files_that_are_not_images(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = personas.client("admin")
    page = _url(personas.a, "tampilan/")
    pale = client.post(page, {"colour_primary": "#ffff00", "colour_accent": "#f1c232", "tagline": "Melayani"})
    assert pale.status_code == 400 and "4.5:1" in pale.text and 'value="Melayani"' in pale.text
    dark_accent = client.post(page, {"colour_primary": "#0b5394", "colour_accent": "#202020", "tagline": "x"})
    assert dark_accent.status_code == 400
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    not_image = client.post(
        page, {"colour_primary": "#0b5394", "colour_accent": "#f1c232", "tagline": "x", "logo": fake}
    )
    assert not_image.status_code == 400
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * 600_000, content_type="image/png")
    assert client.post(page, {"colour_primary": "#0b5394", "colour_accent": "#f1c232", "logo": big}).status_code == 400
    personas.a.region.refresh_from_db()
    assert personas.a.region.colour_primary != "#ffff00" and not personas.a.region.logo
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    ok = client.post(page, {"colour_primary": "#0B5394", "colour_accent": "#F1C232", "tagline": "Jember", "logo": logo})
    assert ok.status_code == 302
    personas.a.region.refresh_from_db()
    assert personas.a.region.logo.name.endswith(".png") and personas.a.region.tagline == "Jember"
    assert AuditEntry.objects.filter(action="region.branding_set", region=personas.a.region).exists()

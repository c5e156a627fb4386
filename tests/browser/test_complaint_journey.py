"""A citizen's report on a phone, without JavaScript-only steps: filed with a photo, verified by the
coordinator, answered by the agency, and the answer shown publicly without the reporter's name."""

import io

import pytest

from tests.browser.test_journey import _shot, _staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, format="JPEG")
    return out.getvalue()


def test_report_to_public_answer(live_server, browser, demo_loaded):
    base = live_server.url
    citizen = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    citizen.goto(f"{base}/akun/masuk/?next=/banyuwangi/pengaduan/baru/")
    citizen.fill("#id_identifier", "warga@banyuwangi.demo")
    citizen.fill("#id_password", "gerai-demo-2026")
    citizen.click("button[type=submit].button")
    citizen.select_option("#id_category", "jalan-rusak")
    citizen.fill("#id_title", "Jalan berlubang depan SDN 1")
    citizen.fill("#id_description", "Lubang besar di depan SDN 1 Kemiren, berbahaya untuk motor saat hujan.")
    citizen.select_option("#id_desa", "35.10.15.2004")
    citizen.click("text=Posisi persis")
    citizen.fill("#id_lat", "-8.2191")
    citizen.fill("#id_long", "114.3691")
    citizen.set_input_files("#id_media", files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    citizen.check("#id_anonymous")
    _shot(citizen, "20-report-form")
    citizen.click("button[type=submit].button")
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    assert code.startswith("BWIP-")
    _shot(citizen, "21-report-received")

    coordinator = _staff_login(browser, base, "pengaduan@banyuwangi.demo")
    coordinator.goto(f"{base}/banyuwangi/kantor/pengaduan/")
    coordinator.click(f"text={code}")
    assert "Siti Aminah" in coordinator.content()  # the coordinator knows who reported
    coordinator.click("button[value=verify]")
    assert coordinator.locator("[data-report-status]").get_attribute("data-report-status") == "forwarded"

    agency = _staff_login(browser, base, "pupr@banyuwangi.demo")
    agency.goto(f"{base}/banyuwangi/kantor/pengaduan/")
    agency.click(f"text={code}")
    assert "Siti Aminah" not in agency.content()  # anonymous: the agency does not
    _shot(agency, "22-agency-sees-no-identity")
    agency.fill("#respond-text", "Tim Dinas PUPR menambal lubang pada Senin pagi.")
    agency.click("button[value=settle]")

    from gerai.core.actors import Actor
    from gerai.regions.models import Region
    from gerai.regions.services import region_map_set

    region_map_set(  # the region's own tile server (unreachable here: the map still draws its markers)
        actor=Actor.system(),
        region=Region.objects.get(slug="banyuwangi"),
        tiles_url="https://tiles.banyuwangi.invalid/{z}/{x}/{y}.png",
        attribution="Pemkab Banyuwangi",
    )
    public = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    errors = []
    public.on("pageerror", lambda exc: errors.append(str(exc)))
    public.goto(f"{base}/banyuwangi/pengaduan/")
    public.wait_for_selector(".leaflet-marker-icon")
    assert public.locator(".leaflet-marker-icon").count() == 1 and errors == []
    _shot(public, "23a-report-map")
    public.click("text=Jalan berlubang depan SDN 1")
    assert public.locator("[data-report-status]").get_attribute("data-report-status") == "resolved"
    content = public.content()
    assert "menambal lubang pada Senin pagi" in content and "Siti Aminah" not in content
    assert public.locator(".report-media img").count() == 1
    _shot(public, "23-public-answer")

"""The onboarding journey in Debian's headless chromium: the platform admin onboards Kabupaten Tanah Laut (63.01);
its admin takes up the invitation, adds its Dispendukcapil, invites an officer, adopts Akta Kelahiran from
Banyuwangi, maps the agencies and publishes; a citizen applies; Banyuwangi publishes a new version with a shorter
SLA; Tanah Laut's admin sees the notice and accepts that change. Each stage is timed (test-artifacts/
onboarding-timing.txt): how long onboarding a region takes, from nothing to a first application."""

import re
import time
from pathlib import Path

import pyotp
import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PDF, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _staff_sign_in_first_time(page, base, login, password):
    """A new staff account signs in and sets up its two-step sign-in (the test reads the secret it was given)."""
    from gerai.accounts.models import User

    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_identifier", login)
    page.fill("#id_password", password)
    page.click("main button[type=submit].button")
    secret = User.objects.get(login=login).totp_secret
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit].button")
    assert "/akun/masuk/" not in page.url, page.content()[:2000]


def test_tanah_laut_onboards_adopts_and_follows_banyuwangi(live_server, browser, demo_loaded):
    from gerai.accounts.models import User
    from gerai.applications.models import Application
    from gerai.catalog.models import Service
    from gerai.regions.models import Area, Region
    from tests.factories import make_citizen

    base = live_server.url
    times: list[tuple[str, float]] = []
    started = last = time.monotonic()

    def lap(name):
        nonlocal last
        now = time.monotonic()
        times.append((name, now - last))
        last = now

    # 1. the platform admin onboards Tanah Laut
    platform = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    sign_in(platform, base, "admin@gerai.demo")
    platform.goto(f"{base}/platform/")
    platform.fill("#id_code", "63.01")
    platform.fill("#id_admin_email", "admin@tanahlaut.go.id")
    platform.fill("#id_admin_name", "Rina Marlina")
    platform.click("main form button[type=submit].button")
    assert platform.url.endswith("/platform/wilayah/tanah-laut/")
    link = platform.locator("[data-invitation-link]").inner_text().strip()
    assert "WITA" in platform.content() and "/akun/undangan/" in link
    assert axe_violations(platform) == ""
    lap("platform admin onboards Tanah Laut (63.01)")

    # 2. its admin takes up the invitation, signs in, adds the Dispendukcapil, invites an officer
    admin = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    admin.goto(link)
    admin.fill("#id_password", "bumi-tuntung-pandang-63")
    admin.click("main button[type=submit].button")
    _staff_sign_in_first_time(admin, base, "admin@tanahlaut.go.id", "bumi-tuntung-pandang-63")
    admin.goto(f"{base}/tanah-laut/kantor/pengaturan/instansi/")
    admin.fill("#id_name", "Dinas Kependudukan dan Pencatatan Sipil")
    admin.fill("#id_short_name", "Disdukcapil")
    admin.select_option("#id_kind", "dinas")
    admin.click("main form button[type=submit].button")
    assert "Disdukcapil" in admin.content()
    admin.goto(f"{base}/tanah-laut/kantor/pengaturan/pegawai/")
    admin.fill("#id_full_name", "Ahmad Fauzi")
    admin.fill("#id_email", "capil@tanahlaut.go.id")
    admin.select_option("#id_role", "officer")
    admin.select_option("#id_agency", label="Disdukcapil")
    admin.click("main form button[type=submit].button")
    officer_link = admin.locator("[data-invitation-link]").inner_text().strip()
    assert axe_violations(admin) == ""
    lap("region admin takes up the invitation, adds an agency, invites an officer")

    # 3. adopts Akta Kelahiran from Banyuwangi, maps the agencies, publishes
    source = Service.objects.get(region__slug="banyuwangi", slug="akta-kelahiran")
    admin.goto(f"{base}/tanah-laut/kantor/layanan/adopsi/")
    admin.click(f"a[href='/tanah-laut/kantor/layanan/adopsi/{source.pk}/']")
    selected = admin.locator(f"#id_agency_{source.owner_agency_id} option[selected]").inner_text()
    assert selected.strip() == "Disdukcapil"  # suggested by kind and name
    assert axe_violations(admin) == ""
    admin.click("main form button[type=submit].button")
    assert "/tanah-laut/kantor/layanan/akta-kelahiran/" in admin.url
    admin.click("button[value=publish]")
    assert Service.objects.get(region__slug="tanah-laut", slug="akta-kelahiran").is_published
    lap("region admin adopts Akta Kelahiran, maps the agencies and publishes")

    # the officer takes up the invitation (the queue is theirs from now on)
    officer = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    officer.goto(officer_link)
    officer.fill("#id_password", "pelaihari-kota-63")
    officer.click("main button[type=submit].button")
    _staff_sign_in_first_time(officer, base, "capil@tanahlaut.go.id", "pelaihari-kota-63")
    lap("the invited officer takes up the invitation")

    # 4. a citizen of Tanah Laut applies
    desa = Area.objects.filter(region__slug="tanah-laut", level=Area.Level.DESA).select_related("parent").first()
    person = make_citizen(desa, "Siti Rahmah")
    person.set_password("warga-tala-2026")
    person.save()
    citizen = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    citizen.goto(f"{base}/akun/masuk/?next=/tanah-laut/layanan/akta-kelahiran/")
    citizen.fill("#id_identifier", person.login)
    citizen.fill("#id_password", "warga-tala-2026")
    citizen.click("main button[type=submit].button")
    citizen.goto(f"{base}/tanah-laut/layanan/akta-kelahiran/")
    citizen.click("text=Ajukan secara daring")
    citizen.fill("#id_nama_anak", "Muhammad Rizki")
    citizen.fill("#id_tanggal_lahir", "2026-11-10")
    citizen.check("#id_jenis_kelamin_0")
    citizen.check("#id_tempat_lahir_1")
    citizen.click("button[type=submit].button")
    citizen.fill("#id_nik_ibu", person.citizen.nik)
    citizen.fill("#id_nama_ibu", "Siti Rahmah")
    citizen.click("button[type=submit].button")
    citizen.select_option("#id_desa", desa.code)
    citizen.fill("#id_telepon", "081234567891")
    citizen.click("button[type=submit].button")
    citizen.set_input_files("#doc-surat_lahir", files=[{"name": "lahir.png", "mimeType": "image/png", "buffer": PNG}])
    citizen.set_input_files(
        "#doc-kartu_keluarga", files=[{"name": "kk.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.click("button[name=continue]")
    citizen.click("text=Setuju dan kirim")
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    prefix = Region.objects.get(slug="tanah-laut").tracking_prefix
    assert re.fullmatch(rf"{prefix}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", code)
    application = Application.objects.get(tracking_code=code)
    assert application.service_version.number == 1
    lap("a citizen applies (first application)")
    onboarding_seconds = time.monotonic() - started

    # 5. Banyuwangi publishes a new version with a shorter SLA
    bwi = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    sign_in(bwi, base, "admin@banyuwangi.demo")
    bwi.goto(f"{base}/banyuwangi/kantor/layanan/akta-kelahiran/")
    bwi.fill("#id_sla_working_days", str(source.sla_working_days - 1))
    bwi.click("main form[novalidate] button[type=submit].button")
    source.refresh_from_db()
    assert source.current_version.snapshot["scalars"]["sla_working_days"] == source.sla_working_days

    # 6. Tanah Laut's admin sees the notice and accepts that change
    admin.goto(f"{base}/tanah-laut/kantor/layanan/")
    assert admin.locator("[data-upstream-notice]").is_visible()
    admin.click("[data-upstream-notice] a")
    assert axe_violations(admin) == ""
    admin.check("input[value='scalar:sla_working_days']")
    admin.click("main form button[type=submit].button")
    adopted = Service.objects.get(region__slug="tanah-laut", slug="akta-kelahiran")
    assert adopted.sla_working_days == source.sla_working_days and adopted.current_version.number == 2
    assert Application.objects.get(pk=application.pk).service_version.number == 1  # filed under version 1
    lap("Banyuwangi shortens the SLA; Tanah Laut sees the notice and accepts it")
    assert User.objects.filter(login="capil@tanahlaut.go.id", staff_roles__region__slug="tanah-laut").exists()

    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{seconds:6.1f} s  {name}" for name, seconds in times]
    lines.append(f"{onboarding_seconds:6.1f} s  from nothing to a first application (steps 1-4)")
    (ARTIFACTS / "onboarding-timing.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))

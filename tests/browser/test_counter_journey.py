"""A desa officer at the counter files for a citizen who has no account, in headless chromium: the
citizen's details, the form, the documents, the signed paper consent scanned, and the printed receipt
with the tracking code and the claim code. Screenshots land in test-artifacts/."""

import datetime as dt

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_journey import _shot, _staff_login
from tests.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_files_at_the_counter_for_a_citizen_without_an_account(live_server, browser, demo_loaded, settings):
    from gerai.accounts.models import CitizenProfile, nik_index
    from gerai.applications.models import Application
    from gerai.lib.nik import compose

    settings.GERAI_SMS_GATEWAY = "webhook"  # the receipt's text is queued (never sent here)
    nik = compose(kecamatan_code="35.10.15", birth_date=dt.date(1958, 8, 17), female=True, serial=7001)
    assert not CitizenProfile.objects.filter(nik_index=nik_index(nik)).exists()

    officer = _staff_login(browser, live_server.url, "desa.kemiren@banyuwangi.demo")
    officer.goto(f"{live_server.url}/banyuwangi/kantor/loket/")
    assert axe_violations(officer) == ""
    officer.select_option("#id_service", "surat-domisili")
    officer.fill("#id_nik", nik)
    officer.fill("#id_name", "Mbok Sumiati")
    officer.select_option("#id_desa", "35.10.15.2004")
    officer.fill("#id_phone", "0812 3456 7890")
    officer.click("button[type=submit].button")
    assert nik not in officer.url

    officer.fill("#id_keperluan", "Pembukaan rekening bank")
    officer.fill("#id_lama_tinggal", "30")
    officer.click("button[type=submit].button")
    officer.select_option("#id_desa", "35.10.15.2004")
    officer.fill("#id_telepon", "081234567890")
    officer.click("button[type=submit].button")
    officer.set_input_files("#doc-ktp", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": PNG}])
    officer.click("button[name=continue]")
    officer.click("text=Lanjut ke persetujuan warga")
    assert axe_violations(officer) == ""

    officer.set_input_files("#id_scan", files=[{"name": "persetujuan.png", "mimeType": "image/png", "buffer": PNG}])
    officer.check("#id_witnessed")
    officer.click("text=Unggah dan kirim permohonan")

    application = Application.objects.get(counter_filing__nik_index=nik_index(nik))
    assert application.applicant is None and application.tracking_code
    code = officer.locator("[data-tracking-code]").inner_text()
    assert code == application.tracking_code
    assert len(officer.locator("[data-claim-code]").inner_text()) == 11  # XXXXX-XXXXX
    assert nik not in officer.content() and nik not in officer.url
    _shot(officer, "counter-receipt")
    assert axe_violations(officer) == ""
    officer.emulate_media(media="print")
    assert not officer.locator(".site-header").is_visible()  # the print stylesheet leaves the receipt alone
    assert officer.locator("[data-tracking-code]").is_visible()

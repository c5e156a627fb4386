"""The whole journey in Debian's headless chromium, driven by Playwright (never a downloaded browser):
a citizen registers and applies for an Akta Kelahiran with two uploads, the desa officer verifies,
Dispendukcapil asks for a correction, the citizen fixes it, the officer approves, and the citizen sees
the application completed on the public tracking page. Screenshots land in test-artifacts/."""

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import PDF, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _staff_login(browser, base, login):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    sign_in(page, base, login)
    return page


def test_citizen_to_completed_akta_kelahiran(live_server, browser, demo_loaded, settings):
    from gerai.dashboards.rollups import rollups_fold
    from gerai.notifications.models import OutboxMessage

    base = live_server.url
    citizen = browser.new_context(viewport={"width": 360, "height": 800}).new_page()  # a cheap Android phone

    citizen.goto(f"{base}/banyuwangi/layanan/akta-kelahiran/")
    _shot(citizen, "01-service-standard")
    citizen.click("text=Ajukan secara daring")
    citizen.click("text=Buat akun")
    citizen.fill("#id_full_name", "Ni Luh Putu Ayu")
    citizen.fill("#id_identifier", "ayu@example.id")
    citizen.fill("#id_password", "kopi-luwak-2026")
    citizen.click("button[type=submit].button")

    link = re.search(r"/akun/konfirmasi/[^/\s]+/", OutboxMessage.objects.get(to="ayu@example.id").body).group(0)
    citizen.goto(base + link)
    citizen.click("main button[type=submit].button")  # opening the link alone changes nothing
    assert "dikonfirmasi" in citizen.content()
    citizen.goto(f"{base}/akun/profil/?next=/banyuwangi/layanan/akta-kelahiran/")
    citizen.fill("#id_nik", "351015430395000")  # one digit short
    citizen.fill("#id_birth_date", "1995-03-03")
    citizen.check("#id_sex_1")
    citizen.fill("#id_address", "Dusun Krajan RT 02 RW 01")
    citizen.select_option("#id_desa", "35.10.15.2004")
    citizen.click("button[type=submit].button")
    assert citizen.locator("[data-error-summary]").is_visible()
    _shot(citizen, "02-nik-error")
    citizen.fill("#id_nik", "3510154303950007")
    citizen.click("button[type=submit].button")

    citizen.click("text=Ajukan secara daring")
    citizen.fill("#id_nama_anak", "I Made Surya")
    citizen.fill("#id_tanggal_lahir", "2026-11-10")
    citizen.check("#id_jenis_kelamin_0")
    citizen.check("#id_tempat_lahir_1")
    citizen.click("button[type=submit].button")
    citizen.fill("#id_nik_ibu", "3510154303950007")
    citizen.fill("#id_nama_ibu", "Ni Luh Putu Ayu")
    citizen.click("button[type=submit].button")
    citizen.select_option("#id_desa", "35.10.15.2004")
    citizen.fill("#id_telepon", "081234567890")
    citizen.click("button[type=submit].button")
    citizen.set_input_files(
        "#doc-surat_lahir", files=[{"name": "surat-lahir.png", "mimeType": "image/png", "buffer": PNG}]
    )
    citizen.set_input_files(
        "#doc-kartu_keluarga", files=[{"name": "kk.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _shot(citizen, "03-uploads")
    citizen.click("button[name=continue]")
    _shot(citizen, "04-check-answers")
    citizen.click("text=Setuju dan kirim")
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    assert re.fullmatch(r"BWI-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    _shot(citizen, "05-submitted")
    application_url = citizen.url.split("?")[0]

    desa = _staff_login(browser, base, "desa.kemiren@banyuwangi.demo")
    desa.goto(f"{base}/banyuwangi/kantor/")
    desa.click(f"text={code}")
    _shot(desa, "06-desa-officer")
    desa.click("button[value=complete]")
    assert f"Permohonan {code}" in desa.content()  # says what happened, back on the queue

    capil = _staff_login(browser, base, "capil@banyuwangi.demo")
    capil.goto(f"{base}/banyuwangi/kantor/")
    capil.click(f"text={code}")
    capil.click("text=Minta perbaikan kepada pemohon")
    capil.fill("#correction-reason", "Foto surat keterangan lahir terpotong, unggah ulang.")
    capil.click("button[value=correction]")

    citizen.goto(application_url)
    assert "terpotong" in citizen.content()
    _shot(citizen, "07-correction-requested")
    citizen.click("text=Ganti dokumen")
    citizen.set_input_files(
        "#doc-surat_lahir", files=[{"name": "surat-lahir-2.png", "mimeType": "image/png", "buffer": PNG}]
    )
    citizen.click("button[name=upload]")
    citizen.goto(application_url)
    citizen.click("text=Kirim permohonan yang sudah diperbaiki")

    capil.goto(f"{base}/banyuwangi/kantor/")
    capil.click(f"text={code}")
    capil.click("button[value=complete]")
    _shot(capil, "08-approved")

    tracker = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    tracker.goto(f"{base}/banyuwangi/lacak/")
    tracker.fill("#kode", code)
    tracker.click("button[type=submit].button")
    assert tracker.locator("[data-status]").get_attribute("data-status") == "completed"
    assert "Ni Luh" not in tracker.content() and "3510154303950007" not in tracker.content()
    _shot(tracker, "09-tracking-completed")

    # the completion message carries the satisfaction survey (PermenPANRB 14/2017): answered on the phone
    done = OutboxMessage.objects.filter(to="ayu@example.id", event="completed").get().body
    survey = re.search(r"/banyuwangi/survei/[^/\s]+/", done).group(0)
    citizen.goto(base + survey)
    for element in range(1, 10):
        citizen.check(f"#u{element}-{4 if element % 2 else 3}")
    citizen.fill("#saran", "Petugas ramah, antrean cepat.")
    _shot(citizen, "09a-survey")
    citizen.click("button[type=submit].button")
    assert "Terima kasih" in citizen.content()
    rollups_fold()  # the worker's pulse (every 2 s under make run): reports read the rollups and never fold
    capil.goto(f"{base}/banyuwangi/kantor/ikm/?layanan=akta-kelahiran")
    # five elements at 4 and four at 3: (20 + 12) / 9 × 25 = 88.888… → 88.89, A
    assert capil.locator("[data-ikm]").get_attribute("data-ikm") == "88.89"
    _shot(capil, "09b-ikm-report")

    # the public transparency page has counted it too (rollups move with the application); with one
    # application the public threshold is lowered to 1 here, or its cells would rightly read "<5"
    settings.GERAI_MIN_PUBLIC_CELL = 1
    tracker.goto(f"{base}/banyuwangi/transparansi/?layanan=akta-kelahiran")
    assert tracker.locator("[data-figure=ikm] dd").inner_text().startswith("88,89")
    assert int(tracker.locator("[data-figure=completed] dd").inner_text()) >= 1
    tracker.locator("figure.chart canvas").first.wait_for()  # Chart.js drew the table's chart
    _shot(tracker, "09c-transparency")


def test_signed_letter_downloaded_and_verified_by_qr_link_and_upload(live_server, browser, demo_loaded, tmp_path):
    """Surat Keterangan Usaha: the citizen applies, the desa verifies, the kepala desa and the camat sign;
    the citizen downloads the signed PDF, opens the link its QR code carries and uploads the file to check it."""
    import io

    from pypdf import PdfReader

    base = live_server.url
    citizen = browser.new_context(viewport={"width": 360, "height": 800}, accept_downloads=True).new_page()
    citizen.goto(f"{base}/akun/masuk/?next=/banyuwangi/layanan/surat-keterangan-usaha/")
    citizen.fill("#id_identifier", "warga@banyuwangi.demo")
    citizen.fill("#id_password", "gerai-demo-2026")
    citizen.click("button[type=submit].button")
    citizen.click("text=Ajukan secara daring")
    citizen.fill("#id_nama_usaha", "Kopi Osing Kemiren")
    citizen.check("#id_jenis_usaha_1")
    citizen.fill("#id_alamat_usaha", "Jl. Raya Kemiren 12")
    citizen.fill("#id_lama_usaha", "6")
    citizen.click("button[type=submit].button")
    citizen.select_option("#id_desa", "35.10.15.2004")
    citizen.fill("#id_telepon", "081234567890")
    citizen.click("button[type=submit].button")
    citizen.set_input_files("#doc-ktp", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": PNG}])
    citizen.click("button[name=continue]")
    citizen.click("text=Setuju dan kirim")
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    application_url = citizen.url.split("?")[0]

    for login in ("desa.kemiren@banyuwangi.demo", "kades.kemiren@banyuwangi.demo", "camat.glagah@banyuwangi.demo"):
        staff = _staff_login(browser, base, login)
        staff.goto(f"{base}/banyuwangi/kantor/")
        staff.click(f"text={code}")
        staff.click("button[value=complete]")
        assert f"Permohonan {code}" in staff.content(), login
    _shot(staff, "10-signed-by-camat")

    citizen.goto(application_url)
    _shot(citizen, "11-signed-document-ready")
    with citizen.expect_download() as download_info:
        citizen.click("[data-download]")
    path = tmp_path / "surat.pdf"
    download_info.value.save_as(path)
    signed = path.read_bytes()
    assert signed.startswith(b"%PDF-")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(signed)).pages)
    assert "Kopi Osing Kemiren" in text
    qr_target = re.search(r"/banyuwangi/verifikasi/([0-9A-Z]{20})", text.replace("\n", ""))
    assert qr_target, "the verification address printed beside the QR code"
    public = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    public.goto(f"{base}/banyuwangi/verifikasi/{qr_target.group(1)}")
    assert public.locator("[data-document-state]").get_attribute("data-document-state") == "valid"
    assert "Siti Aminah" not in public.content() and "S*** A*****" in public.content()
    _shot(public, "12-verified-by-qr-link")

    public.goto(f"{base}/banyuwangi/verifikasi/")
    public.set_input_files("#id_berkas", str(path))
    public.click("button[type=submit].button")
    assert public.locator("[data-verdict]").get_attribute("data-verdict") == "authentic"
    _shot(public, "13-verified-by-upload")
    tampered = bytearray(signed)
    tampered[tampered.index(b"stream") + 300] ^= 1
    public.set_input_files(
        "#id_berkas", files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}]
    )
    public.click("button[type=submit].button")
    assert public.locator("[data-verdict]").get_attribute("data-verdict") == "changed"
    _shot(public, "14-tampered-copy-detected")

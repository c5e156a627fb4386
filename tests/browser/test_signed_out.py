"""A citizen who is not signed in starts on a service page, presses "Ajukan secara daring", signs in (or
registers) and lands on the application form: with JavaScript on and off, on a 360 px phone."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVICE = "/banyuwangi/layanan/akta-kelahiran/"


def _apply_signed_out(page, base):
    page.goto(base + SERVICE)
    page.click("text=Ajukan secara daring")
    assert "/akun/masuk/" in page.url


def _lands_on_the_form(page, base):
    """Back from signing in: the start page (a GET creates nothing) and, one press later, the form."""
    assert page.url == base + SERVICE + "ajukan/"
    assert page.locator("h1").inner_text() == "Mulai permohonan Anda"
    page.click("button[type=submit].button")
    assert re.search(r"/banyuwangi/permohonan/[^/]+/isi/1/$", page.url)
    assert page.locator("#id_nama_anak").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sign_in_after_apply_lands_on_the_form(live_server, browser, demo_loaded, javascript):
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    problems = []  # CSP refusals (htmx's inline style was one on every page) and failed requests (/favicon.ico)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    _apply_signed_out(page, base)
    page.fill("#id_identifier", "warga2@banyuwangi.demo")
    page.fill("#id_password", "gerai-demo-2026")
    page.click("main button[type=submit].button")
    _lands_on_the_form(page, base)
    page.goto(base + "/favicon.ico")
    assert problems == []
    context.close()


def test_register_after_apply_lands_on_the_form(live_server, browser, demo_loaded):
    from gerai.notifications.models import OutboxMessage

    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    _apply_signed_out(page, base)
    page.click("text=Buat akun")
    page.fill("#id_full_name", "Rina Wulandari")
    page.fill("#id_identifier", "rina@example.id")
    page.fill("#id_password", "kopi-luwak-2026")
    page.click("main button[type=submit].button")
    # the link in the message opens a page whose button confirms the address, signs in and leads on to
    # the details form
    link = re.search(r"/akun/konfirmasi/\S+", OutboxMessage.objects.get(to="rina@example.id").body).group(0)
    page.goto(base + link)
    page.click("main button[type=submit].button")
    assert "/akun/profil/" in page.url
    page.fill("#id_nik", "3510155203900009")
    page.fill("#id_birth_date", "1990-03-12")
    page.check("#id_sex_1")
    page.fill("#id_address", "Jl. Mawar 1")
    page.select_option("#id_desa", "35.10.15.2004")
    page.click("main button[type=submit].button")
    _lands_on_the_form(page, base)
    context.close()

"""The news journey (issue 18): an editor writes and publishes an article with a photo; a visitor on a 360 px
phone reads it, reacts once and comments; the moderator approves the comment, which then appears, and its email
is nowhere in the page. axe finds nothing on the public news pages."""

import io

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_journey import _shot, _staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "pembaca.rahasia@contoh.test"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1400, 800), (11, 93, 59)).save(out, format="JPEG")
    return out.getvalue()


def _no_axe(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}:\n{found}"


def test_editor_publishes_visitor_reacts_and_comments_moderator_approves(live_server, browser, demo_loaded):
    base = live_server.url
    editor = _staff_login(browser, base, "redaksi@banyuwangi.demo")
    editor.goto(f"{base}/banyuwangi/kantor/berita/baru/")
    editor.fill("#id_title", "Lomba Perahu Hias Digelar di Pantai Boom")
    editor.select_option("#id_category", label="Berita")
    editor.fill("#id_summary", "Dua puluh perahu nelayan dihias warga untuk lomba tahunan.")
    editor.fill("#id_body", "<p>Perahu dihias dengan janur dan kain warna-warni.</p><script>alert(1)</script>")
    editor.fill("#id_tags", "festival, pariwisata")
    editor.set_input_files("#id_image", files=[{"name": "perahu.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    editor.fill("#id_image_alt", "Perahu nelayan berhias janur di tepi pantai")
    editor.click("form[enctype] button[type=submit].button")
    assert "/kantor/berita/" in editor.url and "baru" not in editor.url
    _no_axe(editor, "office edit page")
    editor.click("button[value=publish]")
    _shot(editor, "news-10-published")

    phone = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    phone.goto(f"{base}/banyuwangi/")
    assert "Lomba Perahu Hias" in phone.locator("#berita-terbaru").locator("..").inner_text()
    _no_axe(phone, "region home")
    phone.goto(f"{base}/banyuwangi/berita/")
    _no_axe(phone, "news list")
    _shot(phone, "news-09-list-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("text=Lomba Perahu Hias Digelar di Pantai Boom")
    assert phone.locator("article.news-article img").count() == 1
    assert "alert(1)" not in phone.content()
    _no_axe(phone, "article")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(phone, "news-11-article-phone")

    phone.click("#reaksi button[value=senang]")
    assert phone.locator("#reaksi button[value=senang] .news-count").inner_text() == "1"
    assert phone.locator("#reaksi button[value=senang]").is_disabled()

    phone.fill("#id_name", "Wulan")
    phone.fill("#id_email", EMAIL)
    phone.fill("#id_text", "Tahun depan saya ingin ikut menghias perahu.")
    phone.click("#komentar button[type=submit].button")
    assert "menunggu moderator" in phone.content()
    assert EMAIL not in phone.content()
    assert "Tahun depan saya ingin" not in phone.locator("#komentar").inner_text()

    editor.goto(f"{base}/banyuwangi/kantor/berita/komentar/")
    assert EMAIL not in editor.content()
    _no_axe(editor, "moderation queue")
    card = editor.locator("article.news-comment", has_text="Tahun depan saya ingin")
    card.locator("button[value=approve]").click()
    _shot(editor, "news-12-moderated")

    phone.reload()
    assert "Tahun depan saya ingin ikut menghias perahu." in phone.locator("#komentar").inner_text()
    assert EMAIL not in phone.content()
    feed = phone.request.get(f"{base}/banyuwangi/berita/feed/").text()
    assert "Lomba Perahu Hias" in feed and EMAIL not in feed

    phone.click("button[value=en]")  # the English reader: this article has no English version
    assert "only available in Indonesian" in phone.content()
    _no_axe(phone, "article in English, falling back to Indonesian")

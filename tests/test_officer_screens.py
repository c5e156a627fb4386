"""The officer's screens: the office navigation shows each role only what it may open, actions say what
happened, document previews open full size, and the admin forms speak Indonesian. The people, the service and
the category are the factories' (tests/factories.py), in region A ("jember-uji")."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import gettext, override

from gerai.complaints import services as complaint_services
from gerai.core.actors import Actor
from tests.conftest import png
from tests.factories import make_application, make_category

QUEUE = "/jember-uji/kantor/"
ADMIN_PAGES = {"/jember-uji/kantor/audit/", "/jember-uji/kantor/hari-libur/"}


def _office_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="office-nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


@pytest.fixture
def submitted(personas):
    """Region A's citizen's application, submitted through the services: the desa office holds its first step."""
    return lambda: make_application(personas.citizen, personas.service, upload=png)


@pytest.mark.parametrize("persona", ["desa_officer", "kecamatan_officer", "dinas_officer", "coordinator", "admin"])
def test_every_office_link_shown_opens_for_that_persona(personas, persona):
    client = personas.client(persona)
    response = client.get(QUEUE)
    assert response.status_code == 200
    shown = _office_links(response.content.decode())
    assert shown, "the queue page has an office navigation"
    for href in shown:
        assert client.get(href).status_code == 200, href


def test_a_desa_officer_sees_no_region_admin_links(personas):
    shown = set(_office_links(personas.client("desa_officer").get(QUEUE).content.decode()))
    admin_only = ADMIN_PAGES | {"/jember-uji/kantor/layanan/", "/jember-uji/kantor/surat/"}
    assert shown
    assert not shown & admin_only
    assert "/jember-uji/kantor/loket/" in shown  # a desa office files for citizens at its counter


def test_the_region_admin_sees_the_admin_links_but_not_the_counter(personas):
    shown = set(_office_links(personas.client("admin").get(QUEUE).content.decode()))
    assert shown >= ADMIN_PAGES
    assert "/jember-uji/kantor/loket/" not in shown  # an admin holds no counter role: the counter is a 404


def test_the_coordinator_sees_no_counter_and_no_admin_links(personas):
    shown = set(_office_links(personas.client("coordinator").get(QUEUE).content.decode()))
    assert shown
    assert "/jember-uji/kantor/loket/" not in shown
    assert not shown & ADMIN_PAGES


# --- what an action did, and where the officer goes next -----------------------------------------------


def test_an_officer_who_passes_the_step_on_is_told_where_it_went_and_taken_to_the_queue(personas, submitted):
    application = submitted()
    response = personas.client("desa_officer").post(
        f"/jember-uji/kantor/permohonan/{application.ref}/aksi/", {"action": "complete"}, follow=True
    )
    assert response.redirect_chain[-1][0] == QUEUE
    message = re.search(r'<div class="message message--success"[^>]*>(.*?)</div>', response.text, re.S).group(1)
    application.refresh_from_db()
    assert f"Permohonan {application.tracking_code}" in message
    assert application.current_agency == personas.a.dinas
    assert f"diteruskan ke {application.current_agency}" in message
    assert f'href="/jember-uji/kantor/permohonan/{application.ref}/"' in message  # back to the one just done
    assert "Berhasil" not in response.text


def test_an_officer_who_can_still_act_stays_on_the_application(personas, submitted):
    application = submitted()
    detail = f"/jember-uji/kantor/permohonan/{application.ref}/"
    response = personas.client("desa_officer").post(detail + "aksi/", {"action": "claim"}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert f"Permohonan {application.tracking_code} kini Anda tangani." in response.text
    assert 'value="complete"' in response.text  # the actions are still there


def test_a_report_action_says_what_it_did_with_the_way_back_to_the_reports(personas):
    report = complaint_services.report_file(
        actor=Actor(user=personas.citizen),
        region=personas.a.region,
        category=make_category(personas.a, "jalan-rusak"),
        description="Jalan berlubang besar di depan SDN 1 Padomasan",
        reporter=personas.citizen,
        address="Jl. Padomasan 3",
    )
    response = personas.client("coordinator").post(
        f"/jember-uji/kantor/pengaduan/{report.tracking_code}/aksi/", {"action": "verify", "text": ""}, follow=True
    )
    report.refresh_from_db()
    assert report.agency == personas.a.dinas
    assert f"Laporan {report.tracking_code} sudah diverifikasi dan diteruskan ke {report.agency}." in response.text
    assert '<a href="/jember-uji/kantor/pengaduan/">Kembali ke daftar laporan</a>' in response.text


# --- document previews ------------------------------------------------------------------------------------


def test_each_document_preview_opens_the_full_size_file(personas, submitted):
    application = submitted()
    page = personas.client("desa_officer").get(f"/jember-uji/kantor/permohonan/{application.ref}/").text
    previews = re.findall(r'<a class="doc-link" href="([^"]+)"[^>]*>\s*<img[^>]*src="([^"]+)"[^>]*alt="([^"]+)"', page)
    assert previews and len(previews) == application.documents.filter(is_current=True).count()
    client = personas.client("desa_officer")
    for href, src, alt in previews:
        assert href == src and alt  # the link's name: the document's label, then "open full size"
        assert client.get(href).status_code == 200
    assert "Buka ukuran penuh (tab baru)" in page


# --- tables keep words and numbers whole; the queue reads as cards on a phone ------------------------------


def _rules(css: str) -> dict[str, str]:
    """Each selector of the stylesheet with the declarations it gets (media queries flattened)."""
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def test_only_codes_and_hashes_break_anywhere():
    css = (Path(settings.BASE_DIR) / "gerai/static/css/gerai.css").read_text()
    rules = _rules(css)
    breaking = {selector for selector, body in rules.items() if re.search(r"overflow-wrap:\s*anywhere", body)}
    assert breaking == {".breakable"}  # the page container (.wrap, main) and table cells keep words whole
    assert "nowrap" in rules["td.num"] and "tabular-nums" in rules["td.num"]


def test_queue_rows_name_their_cells_for_the_phone_layout(personas, submitted):
    application = submitted()
    html = personas.client("desa_officer").get(QUEUE).text
    assert '<table class="cards"' in html
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{application.tracking_code}.*?</tr>", html, re.S).group(0)
    with override("id"):
        for word in ("Step", "Desa", "Due", "Officer"):
            assert f'data-label="{gettext(word)}"' in row


# --- admin forms in Indonesian ----------------------------------------------------------------------------

ADMIN_FORM_PAGES = [
    "/jember-uji/kantor/layanan/surat-keterangan/",
    "/jember-uji/kantor/layanan/surat-keterangan/formulir/",
    "/jember-uji/kantor/layanan/surat-keterangan/dokumen/",
    "/jember-uji/kantor/layanan/surat-keterangan/alur/",
    "/jember-uji/kantor/layanan/surat-keterangan/surat/",
    "/jember-uji/kantor/layanan/adopsi/",
    "/jember-uji/kantor/hari-libur/",
    "/jember-uji/kantor/surat/",
    "/jember-uji/kantor/pengaduan/kategori/",
    "/jember-uji/kantor/pengaduan/kunci/",
]
# what Django makes of untranslated field names, and its own empty choice
ENGLISH = ["Order", "Routing", "Agency", "Owner agency", "Select an option", "Key", "Kind", "Required", "Help text"]
ENGLISH += ["Min value", "Max value", "Max size kb", "Action", "Role", "Page", "Name", "Description", "Code"]


@pytest.mark.parametrize("page", ADMIN_FORM_PAGES)
def test_admin_forms_speak_indonesian(personas, page):
    make_category(personas.a)  # the categories page lists one, with its agency
    response = personas.client("admin").get(page, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    texts = re.findall(r"<(label|legend|option|th)\b[^>]*>(.*?)</\1>", response.text, re.S)
    texts += re.findall(r'<(p|span|div) class="(?:hint|helptext)"[^>]*>(.*?)</\1>', response.text, re.S)
    shown = " | ".join(re.sub(r"<[^>]+>", " ", text) for _tag, text in texts)
    assert shown
    for word in ENGLISH:
        assert not re.search(rf"\b{word}\b", shown), (word, page)

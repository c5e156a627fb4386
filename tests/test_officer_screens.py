"""The officer's screens: the office navigation shows each role only what it may open, actions say what
happened, document previews open full size, and the admin forms speak Indonesian."""

import re

import pytest
from django.test import Client

QUEUE = "/banyuwangi/kantor/"
ADMIN_PAGES = {"/banyuwangi/kantor/audit/", "/banyuwangi/kantor/hari-libur/"}


def _office_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="office-nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


@pytest.fixture
def coordinator(db):
    from gerai.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(login="pengaduan@banyuwangi.demo"))
    return client


@pytest.mark.parametrize("persona", ["desa_officer", "kecamatan_officer", "capil_officer", "coordinator", "bwi_admin"])
def test_every_office_link_shown_opens_for_that_persona(client_for, coordinator, persona):
    client = coordinator if persona == "coordinator" else client_for(persona)
    response = client.get(QUEUE)
    assert response.status_code == 200
    shown = _office_links(response.content.decode())
    assert shown, "the queue page has an office navigation"
    for href in shown:
        assert client.get(href).status_code == 200, href


def test_a_desa_officer_sees_no_region_admin_links(client_for):
    shown = set(_office_links(client_for("desa_officer").get(QUEUE).content.decode()))
    admin_only = ADMIN_PAGES | {"/banyuwangi/kantor/layanan/", "/banyuwangi/kantor/surat/"}
    assert shown
    assert not shown & admin_only
    assert "/banyuwangi/kantor/loket/" in shown  # a desa office files for citizens at its counter


def test_the_region_admin_sees_the_admin_links_but_not_the_counter(client_for):
    shown = set(_office_links(client_for("bwi_admin").get(QUEUE).content.decode()))
    assert shown >= ADMIN_PAGES
    assert "/banyuwangi/kantor/loket/" not in shown  # an admin holds no counter role: the counter is a 404


def test_the_coordinator_sees_no_counter_and_no_admin_links(coordinator):
    shown = set(_office_links(coordinator.get(QUEUE).content.decode()))
    assert "/banyuwangi/kantor/loket/" not in shown
    assert not shown & ADMIN_PAGES


# --- tables keep words and numbers whole; the queue reads as cards on a phone ------------------------------


def _rules(css: str) -> dict[str, str]:
    """Each selector of the stylesheet with the declarations it gets (media queries flattened)."""
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def test_only_codes_and_hashes_break_anywhere():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "gerai/static/css/gerai.css").read_text()
    rules = _rules(css)
    breaking = {selector for selector, body in rules.items() if re.search(r"overflow-wrap:\s*anywhere", body)}
    assert breaking == {".breakable"}  # the page container (.wrap, main) and table cells keep words whole
    assert "nowrap" in rules["td.num"] and "tabular-nums" in rules["td.num"]


def test_queue_rows_name_their_cells_for_the_phone_layout(client_for, submitted):
    from django.utils.translation import gettext, override

    application = submitted()
    html = client_for("desa_officer").get(QUEUE).text
    assert '<table class="cards"' in html
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{application.tracking_code}.*?</tr>", html, re.S).group(0)
    with override("id"):
        for word in ("Step", "Desa", "Due", "Officer"):
            assert f'data-label="{gettext(word)}"' in row

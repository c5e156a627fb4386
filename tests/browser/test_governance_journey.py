"""Seruyan's assessor starts the year's SPBE sheet, fills three indicators, accepts a live-data proposal and
locks the year; the public comparison then shows Seruyan's self-assessment beside Banyuwangi's published 4.87."""

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_journey import _shot, _staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, code: str, level: str, why: str) -> None:
    row = page.locator(f"#i-{code}")
    row.locator("summary").click()
    row.locator(f"#v-{code}").select_option(level)
    row.locator(f"#j-{code}").fill(why)
    row.locator("button[value=answer]").click()
    assert page.locator(f"#i-{code} [data-value]").inner_text() == level


def test_assessor_locks_the_year_and_the_public_sees_it(live_server, browser, demo_loaded):
    base = live_server.url
    page = _staff_login(browser, base, "penilai@seruyan.demo")
    page.goto(f"{base}/seruyan/kantor/kinerja/")
    page.select_option("#id_framework", "spbe-2020")
    page.fill("#id_year", "2026")
    page.click("form:has(input[value=start]) button[type=submit]")
    assert (
        "/seruyan/kantor/kinerja/" in page.url and page.locator("[data-status]").get_attribute("data-status") == "draft"
    )

    _answer(page, "1", "3", "Perbup Seruyan tentang Arsitektur SPBE")
    _answer(page, "11", "4", "Dokumen Arsitektur SPBE 2025–2029")
    _answer(page, "21", "2", "Pedoman manajemen risiko SPBE")
    proposal = page.locator("#i-45")
    assert "Gerai" in proposal.inner_text()
    proposal.locator("button[value=accept]").click()
    assert page.locator("#i-45 .tag--data").count() == 1
    # 1.3 × 3 + 2.5 × 4 + 1.5 × 2 + 3 × 5 (every published service is online) = 31.9 → 0.32 of 5
    assert page.locator("[data-index]").inner_text() == "0,32"
    assert axe_violations(page) == ""
    _shot(page, "60-spbe-sheet")

    page.click("button[value=submit]")
    page.click("button[value=lock]")
    assert page.locator("[data-status]").get_attribute("data-status") == "locked"
    assert page.locator("button[value=answer]").count() == 0
    for office_page in ("/seruyan/kantor/kinerja/", "/seruyan/kantor/kinerja/iku/?tahun=2026"):
        page.goto(f"{base}{office_page}")
        assert axe_violations(page) == "", office_page

    public = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    public.goto(f"{base}/kinerja/")
    seruyan = public.locator("[data-region=seruyan]").inner_text()
    banyuwangi = public.locator("[data-region=banyuwangi]").inner_text()
    assert "0,32" in seruyan and "Kurang" in seruyan
    assert "4,87" in banyuwangi and "Memuaskan" in banyuwangi
    assert axe_violations(public) == ""
    public.goto(f"{base}/seruyan/kinerja/")
    assert "0,32" in public.locator("table[data-year='2026']").inner_text()
    assert axe_violations(public) == ""
    _shot(public, "61-public-performance")

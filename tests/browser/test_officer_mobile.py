"""An officer on a cheap phone (360 px): signs in with the second factor, opens the work queue, and finds it
readable (no sideways scrolling, each application a card) and free of axe violations."""

from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 800}


@pytest.fixture
def work(demo_loaded, submitted):
    """Applications waiting at Desa Kemiren's office (a supervisor sees them with a tick box each)."""
    return [submitted() for _ in range(3)]


@pytest.mark.parametrize("login", ["desa.kemiren@banyuwangi.demo", "kades.kemiren@banyuwangi.demo"])
def test_an_officer_works_the_queue_on_a_phone(live_server, browser, work, login):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, login)
    page.goto(f"{live_server.url}/banyuwangi/kantor/")
    for application in work:
        assert page.get_by_role("link", name=application.tracking_code).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"30-queue-360-{login.split('@')[0]}.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # each application is a card as wide as the page, its cells named (the table's headers are hidden)
    card = page.locator("table.cards tbody tr").first.bounding_box()
    assert card is not None and card["width"] > 300
    assert page.locator("table.cards thead").bounding_box()["height"] <= 1
    # still a table to assistive technology
    assert page.get_by_role("table").count() == 1 and page.get_by_role("cell").count() > 0
    assert axe_violations(page) == ""


@pytest.mark.parametrize("width", [700, 1024, 1280])
def test_the_queue_keeps_words_whole_at_any_width(live_server, browser, work, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server.url, "kades.kemiren@banyuwangi.demo")
    page.goto(f"{live_server.url}/banyuwangi/kantor/")
    # the tracking code, the one-word desa and the status, each on one line: a word broken anywhere is what
    # "Kemire|n" and "Diaju|kan" looked like (at 700 px the old page broke all three)
    lines = page.eval_on_selector_all(
        "table.cards td.nowrap, table.cards td:nth-child(5), table.cards .tag",
        """cells => cells.map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight));
        })""",
    )
    assert len(lines) == 3 * len(work) and set(lines) == {1}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == ""

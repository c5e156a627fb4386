"""The tourism journey in a browser: the public pages pass axe at 1280 and 360 px without sideways scrolling
(list views work with JavaScript switched off); an editor (here the region admin) publishes an event through
the office form, and it appears on the agenda and in the iCalendar feed."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.browser.test_axe_everywhere import _sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGION = "banyuwangi"


def _url(name, *args):
    return reverse(name, args=[REGION, *args])


def test_public_pages_pass_axe_and_work_without_javascript(demo_loaded, live_server, browser):
    base = live_server.url
    problems: list[str] = []
    page = browser.new_context().new_page()
    _sweep(
        page,
        base,
        [
            _url("catalog:region_home"),
            _url("tourism:destinations"),
            _url("tourism:destinations") + "?kind=alam",
            _url("tourism:destination", "kawah-ijen"),
            _url("tourism:agenda"),
            _url("tourism:agenda_list"),
            _url("tourism:archive"),
            _url("tourism:event", "festival-gandrung-sewu"),
            _url("tourism:event", "kebo-keboan-alasmalang"),
        ],
        problems,
    )
    page.context.close()
    page = browser.new_context(java_script_enabled=False).new_page()  # the filters are plain GET forms
    page.goto(base + _url("tourism:agenda_list"))
    page.select_option("#kategori", "kuliner")
    page.click("form.filters button")
    assert "kategori=kuliner" in page.url
    assert page.locator("text=Festival Ngopi Sepuluh Ewu").count() == 1
    assert page.locator("text=Festival Gandrung Sewu").count() == 0
    page.context.close()
    assert not problems, "\n".join(problems)


def test_editor_publishes_an_event_and_it_appears_in_the_feed(demo_loaded, live_server, browser):
    base = live_server.url
    page = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    sign_in(page, base, "admin@banyuwangi.demo")
    page.goto(base + _url("tourism:office"))
    page.click(f"main a[href='{_url('tourism:event_new')}']")
    problems: list[str] = []
    office = [
        _url("tourism:office"),
        _url("tourism:event_new"),
        _url("tourism:event_edit", "festival-gandrung-sewu"),
        _url("tourism:destination_new"),
        _url("tourism:destination_edit", "kawah-ijen"),
    ]
    _sweep(page, base, office, problems)
    assert not problems, "\n".join(problems)
    page.goto(base + _url("tourism:event_new"))
    day = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=20)
    page.fill("#id_title", "Festival Kuwung")
    page.select_option("#id_category", "budaya")
    page.fill("#id_summary", "Parade seni budaya Banyuwangi.")
    page.fill("#id_starts_at", f"{day.isoformat()}T19:00")
    page.fill("#id_ends_at", f"{day.isoformat()}T17:00")  # ends before it starts: refused, nothing lost
    page.fill("#id_venue_name", "Taman Blambangan")
    page.fill("#id_organiser", "Dinas Kebudayaan dan Pariwisata")
    page.check("#id_is_published")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert page.input_value("#id_title") == "Festival Kuwung"
    page.fill("#id_ends_at", f"{day.isoformat()}T22:00")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kantor/wisata/agenda/festival-kuwung/")
    page.goto(base + _url("tourism:agenda_list"))
    assert page.locator("text=Festival Kuwung").count() == 1
    feed = page.request.get(base + _url("tourism:ics"))
    cal = icalendar.Calendar.from_ical(feed.body())
    found = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Festival Kuwung"]
    assert len(found) == 1
    assert found[0]["DTSTART"].dt.utcoffset() == dt.timedelta(hours=7)
    assert found[0]["DTSTART"].dt.hour == 19
    page.context.close()

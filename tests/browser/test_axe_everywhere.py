"""axe stays at zero violations on every page a visitor, a citizen and the office can reach, at 1280 px and at
360 px, and no page scrolls sideways on a 360 px phone: the public pages (the API's Swagger UI included), the
citizen's own pages, and every office page in the navigation of a region admin and of a desa officer. One
browser; each visitor's session is one page that is resized rather than reopened."""

import pytest
from django.urls import reverse

from gerai.accounts.context_processors import links
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import SKU_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGION = "banyuwangi"
WIDE, PHONE = 1280, 360
# each officer's office navigation holds at least these (gerai/accounts/context_processors.py's OFFICE_NAV)
OFFICERS = {
    "admin@banyuwangi.demo": {
        "services_admin",
        "audit",
        "holidays",
        "signing_admin",
        "reports_office",
        "ikm",
        "leaders",
        "webhooks",
        "tourism_office",
    },
    "desa.kemiren@banyuwangi.demo": {"counter"},
}


def _url(name, *args):
    return reverse(name, args=[REGION, *args])


# what sticks out on the right: the innermost elements past the viewport's edge, to name in a failure
WIDEST = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1
        && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
        + " " + JSON.stringify((e.textContent || "").trim().slice(0, 40)))"""


def _sweep(page, base, paths, problems, *, overflow=True, status=200, ready=None, skip=frozenset()):
    """Each address at 1280 px, then the same page reflowed at 360 px: axe at both, sideways scrolling at 360."""
    for path in paths:
        page.set_viewport_size({"width": WIDE, "height": 900})
        response = page.goto(base + path)
        if response is None or response.status != status:
            problems.append(f"{path}: HTTP {response and response.status}, expected {status}")
            continue
        if ready:  # a page drawn by script (Swagger UI): check what it draws, not the empty shell
            page.wait_for_selector(ready)
        for width in (WIDE, PHONE):
            page.set_viewport_size({"width": width, "height": 900})
            found = "\n".join(line for line in axe_violations(page).splitlines() if line.split(":")[0] not in skip)
            if found:
                problems.append(f"{path} at {width} px:\n  " + found.replace("\n", "\n  "))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if overflow and scroll_width > PHONE + 1:
            wide = page.evaluate(WIDEST)
            problems.append(f"{path} at {PHONE} px: scrolls sideways ({scroll_width} px wide): {wide}")


def _office_nav(page):
    """The addresses in the work queue's office navigation (what this user may open)."""
    return page.eval_on_selector_all("nav.office-nav a", "links => links.map(a => a.getAttribute('href'))")


@pytest.fixture
def places(demo_loaded, submitted, people, banyuwangi):
    """What the pages show: an application of citizen A waiting at Desa Kemiren (its desa officer and the region
    admin see it with its actions), another one completed with a signed letter, and a verified public report."""
    from gerai.accounts.models import User
    from gerai.applications.services import application_complete_step
    from gerai.complaints import services as complaints
    from gerai.complaints.models import Category
    from gerai.core.actors import Actor
    from gerai.regions.models import Area

    letter_for = submitted(slug="surat-keterangan-usaha", answers=SKU_ANSWERS)
    for persona in ("desa_officer", "kades", "camat"):
        application_complete_step(actor=Actor(user=people[persona]), application=letter_for)
    report = complaints.report_file(
        actor=Actor(user=people["citizen_a"]),
        region=banyuwangi,
        category=Category.objects.get(region=banyuwangi, code="jalan-rusak"),
        description="Jalan berlubang besar di depan SDN 1 Kemiren",
        reporter=people["citizen_a"],
        desa=Area.objects.get(code="35.10.15.2004"),
        reporter_email="",
    )
    coordinator = User.objects.get(login="pengaduan@banyuwangi.demo")
    complaints.report_verify(actor=Actor(user=coordinator), report=report)
    return {
        "waiting": submitted(),
        "completed": letter_for,
        "letter": letter_for.issued_documents.get().code,
        "service": "akta-kelahiran",
        "report": report.tracking_code,
    }


def test_axe_and_360_px_everywhere(
    places, live_server, browser
):  # places first: pyHanko signs outside playwright's loop
    base = live_server.url
    application = places["waiting"]
    problems: list[str] = []
    context = browser.new_context()

    visitor = context.new_page()
    public = [
        reverse("home"),
        _url("catalog:region_home"),
        _url("catalog:catalog"),
        _url("catalog:service_detail", places["service"]),
        _url("applications:track"),
        _url("applications:track") + f"?kode={application.tracking_code}",
        _url("complaints:list"),
        _url("complaints:detail", places["report"]),
        _url("complaints:file"),
        _url("dashboards:transparency"),
        _url("dashboards:opendata"),
        _url("tourism:destinations"),
        _url("tourism:destination", "kawah-ijen"),
        _url("tourism:agenda"),
        _url("tourism:agenda_list"),
        _url("tourism:archive"),
        _url("tourism:event", "festival-gandrung-sewu"),
        _url("documents:verify"),
        _url("documents:verify_code", places["letter"]),
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("accounts:password_reset"),
    ]
    _sweep(visitor, base, public, problems)
    _sweep(visitor, base, [f"/{REGION}/tidak-ada-halaman-ini/"], problems, status=404)
    # Swagger UI's React components (not our override, gerai/templates/ninja/swagger.html) put each operation's
    # controls inside its expand <button> (nested-interactive) and follow the API title's h1 with h3 tags
    # (heading-order); neither can change without forking Swagger UI. Everything else is checked, and its width
    # is Swagger UI's own (its tables scroll), so not sideways scrolling.
    swagger_internals = frozenset({"nested-interactive", "heading-order"})
    _sweep(visitor, base, ["/api/v1/docs"], problems, overflow=False, ready=".opblock", skip=swagger_internals)
    visitor.close()
    context.close()

    citizen = browser.new_context().new_page()
    sign_in(citizen, base, "warga@banyuwangi.demo")
    mine = [
        _url("applications:mine"),
        _url("applications:detail", application.ref),
        _url("applications:detail", places["completed"].ref),
        _url("applications:claim"),
        reverse("accounts:profile"),
    ]
    _sweep(citizen, base, mine, problems)
    citizen.context.close()

    for login, expected in OFFICERS.items():
        officer = browser.new_context().new_page()
        sign_in(officer, base, login)
        officer.goto(base + _url("applications:queue"))
        nav = _office_nav(officer)
        missing = {links(REGION)[key] for key in expected} - set(nav)
        if missing:
            problems.append(f"{login}: the office navigation lacks {sorted(missing)}")
        office = [_url("applications:queue"), _url("applications:staff_detail", application.ref), *nav]
        if login.startswith("admin"):  # linked from the complaints' office page
            office += [
                _url("complaints:open311_keys"),
                _url("complaints:staff_stats"),
                _url("complaints:categories_admin"),
            ]
        _sweep(officer, base, office, problems)
        officer.context.close()

    assert not problems, "\n".join(problems)

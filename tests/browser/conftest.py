"""Live-server tests share one fixture: a transactional test leaves an empty database behind."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def demo_loaded(db):
    """A transactional test leaves an empty database behind: load the demo again when it is gone."""
    from gerai.demo.build import load_demo
    from gerai.regions.models import Region

    if not Region.objects.filter(slug="banyuwangi").exists():
        load_demo()


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is only read between page actions
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (make test-browser does it)")
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def axe_violations(page) -> str:
    """axe-core's violations on the page as it stands (rule, help and the elements), or "" when there are none."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return "\n".join(f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'])})" for v in violations)


def sign_in(page, base: str, login: str) -> None:
    """Sign a demo account in on `page`; staff answer the second factor with the code the demo shows."""
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_identifier", login)
    page.fill("#id_password", "gerai-demo-2026")
    page.click("main button[type=submit].button")
    if page.locator("#id_code").count():
        page.fill("#id_code", page.locator("[data-demo-code]").inner_text())
        page.click("main button[type=submit].button")
    assert "/akun/masuk/" not in page.url, f"{login} did not get in"

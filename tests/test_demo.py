"""The demo as a newcomer meets it: a history that reaches today, emails printed as people read them,
and links that follow the address `make run` serves."""

import csv
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.utils import timezone

from gerai.notifications.gateways import ConsoleEmailBackend

ROOT = Path(__file__).resolve().parents[1]
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.django_db
def test_the_synthetic_history_runs_up_to_today_with_nothing_open(banyuwangi, client_for, settings):
    from gerai.applications.models import Application
    from gerai.dashboards.demo import demo_history

    settings.GERAI_MIN_PUBLIC_CELL = 1
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=WIB), tick=False):
        demo_history(banyuwangi, per_service_month=2)
        history = Application.objects.filter(applicant__login="arsip@banyuwangi.demo")
        assert not history.filter(closed_at__isnull=True).exists()
        assert not history.filter(closed_at__gt=timezone.now()).exists()  # nothing still open, nothing ahead
        response = client_for(None).get("/banyuwangi/transparansi/?tahun=2026&unduh=bulanan&format=csv")
    months = {row["bulan"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert int(months["2026-03"]["diajukan"] or 0) > 0  # the month in progress has its days so far
    assert int(months["2026-02"]["diajukan"] or 0) > 0  # February too (30-day steps back from March skipped it)
    assert months["2026-04"]["diajukan"] in ("", "0")


def test_the_console_email_backend_prints_the_text_decoded():
    link = "http://127.0.0.1:8101/banyuwangi/lacak/?kode=BWI-AB12-CD34&" + "x" * 90
    stream = io.StringIO()
    message = EmailMessage("Permohonan selesai – survei", f"Bagaimana layanan kami?\n{link}\n", "a@b.id", ["c@d.id"])
    ConsoleEmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert link in printed and "=3D" not in printed
    assert "Subject: Permohonan selesai – survei" in printed and "To: c@d.id" in printed


def test_without_a_mail_server_email_goes_to_the_decoding_console_backend():
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GERAI_EMAIL")} | {"GERAI_HTTPS": "false"}
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env | {"DJANGO_SETTINGS_MODULE": "gerai.settings"},
    )
    assert result.stdout.strip() == "gerai.notifications.gateways.ConsoleEmailBackend"


def _make_env(*args: str, env: dict | None = None) -> str:
    probe = 'gerai-site-url-probe: ; @echo "$$GERAI_SITE_URL"'
    result = subprocess.run(  # noqa: S603
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "--eval", probe, *args, "gerai-site-url-probe"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout.strip()


def test_make_run_links_follow_the_served_address():
    import os

    env = {k: v for k, v in os.environ.items() if k != "GERAI_SITE_URL"}
    assert _make_env("PORT=8101", env=env) == "http://127.0.0.1:8101"
    assert _make_env("HOST=0.0.0.0", "PORT=80", env=env) == "http://0.0.0.0:80"
    assert _make_env("PORT=8101", env=env | {"GERAI_SITE_URL": "https://layanan.example.id"}) == (
        "https://layanan.example.id"
    )


#: words that are English and never Indonesian; the demo's region content is what a regency types, in Indonesian
ENGLISH = re.compile(
    r"\b(the|and|of|with|for|from|is|are|was|by|as|at|on|this|that|news|general|education|health|top|stories|"
    r"reported|press|source|please|thank|village|beach|festival of|street|road)\b",
    re.IGNORECASE,
)
#: names that are English in Indonesian too: the festival's own names, as Banyuwangi writes them
PROPER_NAMES = ("Banyuwangi Ethno Carnival", "International Tour de Banyuwangi Ijen")


@pytest.mark.django_db
def test_the_demos_region_content_is_indonesian(banyuwangi, seruyan):
    """Content is not UI: it is not translated by the catalogs, so the Indonesian fields of the demo's news and
    tourism say everything in Indonesian (English goes in the *_en fields, where there are any)."""
    from gerai.complaints.models import Category as ReportCategory
    from gerai.news.models import Article, Category
    from gerai.tourism.models import Destination, Event, Photo

    content = {
        Category: ("slug", "name"),
        Article: ("slug", "title", "summary", "body"),
        Destination: ("name", "summary", "description", "opening_hours", "tickets", "accessibility"),
        Event: ("title", "summary", "description", "price_note", "organiser"),
        Photo: ("alt", "credit"),
        ReportCategory: ("name", "description", "group"),
    }
    found = []
    for model, fields in content.items():
        for row in model.objects.all():
            for field in fields:
                text = str(getattr(row, field))
                for name in PROPER_NAMES:
                    text = text.replace(name, "")
                if ENGLISH.search(text):
                    found.append(f"{model.__name__}.{field}: {text[:80]}")
    assert not found, found

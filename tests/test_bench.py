"""The load benchmark's own views and arithmetic (bench/): the probes must answer like the pages they
stand for, or the budget the report prints would be wrong."""

import json

import pytest

from bench.run import PROBES, TARGETS, budgets
from gerai.accounts.services import api_token_create
from gerai.applications.models import Application
from gerai.core.actors import Actor
from tests.conftest import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

DOMISILI = json.dumps(
    {"keperluan": "Melamar pekerjaan", "lama_tinggal": 3, "desa": "35.10.15.2004", "telepon": "081234567890"}
)
SUBMIT = "/regions/banyuwangi/services/surat-domisili/applications"


def test_submission_probe_answers_like_the_submission_without_making_an_application(client, people):
    _record, token = api_token_create(actor=Actor.system(), user=people["citizen_a"], name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    real = client.post("/api/v1" + SUBMIT, {"answers": DOMISILI, "ktp": pdf("ktp.pdf")}, **auth)
    assert real.status_code == 201, real.content
    before = Application.objects.count()

    probe = client.post("/bench/probe" + SUBMIT, {"answers": DOMISILI, "ktp": pdf("ktp.pdf")}, **auth)

    assert probe.status_code == 200
    assert probe.json().keys() == real.json().keys()
    assert Application.objects.count() == before
    assert client.post("/bench/probe" + SUBMIT, {"answers": DOMISILI}).status_code == 401


def test_staff_page_probe_is_a_staff_page(client_for):
    assert client_for("capil_officer").get("/bench/probe/banyuwangi/staff-page").status_code == 200
    assert client_for("citizen_a").get("/bench/probe/banyuwangi/staff-page").status_code == 404
    assert client_for("seruyan_officer").get("/bench/probe/banyuwangi/staff-page").status_code == 404
    assert client_for(None).get("/bench/probe/banyuwangi/staff-page").status_code == 302


def test_budget_is_what_the_target_leaves_after_the_probe():
    assert all(TARGETS[probe][1] == TARGETS[name][1] for name, probe in PROBES.items())  # same baseline
    results = {
        "bare submission": {"rps": 600.0},
        "submission probe": {"rps": 600.0},  # as costly as the bare submission before any work
        "API submission": {"rps": 200.0},  # three times as costly in all
        "bare staff page": {"rps": 1000.0},
        "staff page probe": {"rps": 500.0},
        "queue page": {"rps": 250.0},
    }
    submission, queue = budgets(results)
    assert "costs 1.00 x the bare submission before its own work, which costs 2.00 x more" in submission
    assert f"the target leaves {1 / 0.7 - 1:.2f} x" in submission
    assert "costs 2.00 x the bare staff page before its own work, which costs 2.00 x more" in queue
    assert "the target leaves 0.00 x" in queue


def test_the_bare_submission_does_the_submissions_writes(client, people):
    """Equal work (issue #20): the same request, one file stored, six rows in one transaction."""
    from gerai.applications.models import ApplicationDocument, TimelineEvent
    from gerai.audit.models import AuditEntry
    from gerai.dashboards.models import PendingChange
    from gerai.notifications.models import OutboxMessage

    _record, token = api_token_create(actor=Actor.system(), user=people["citizen_a"], name="bench")
    models = (Application, ApplicationDocument, TimelineEvent, AuditEntry, OutboxMessage, PendingChange)
    before = [m.objects.count() for m in models]
    response = client.post(
        "/bench/bare-submission", {"answers": DOMISILI, "ktp": pdf("ktp.pdf")}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201, response.content
    assert [m.objects.count() - n for m, n in zip(models, before, strict=True)] == [1, 1, 1, 1, 1, 1]
    assert client.post("/bench/bare-submission", {"answers": DOMISILI, "ktp": pdf("ktp.pdf")}).status_code == 401


def test_the_bare_staff_page_and_list_answer(client_for):
    page = client_for("capil_officer").get("/bench/bare-staff-page")
    assert page.status_code == 200 and b"Antrean" in page.content
    assert client_for(None).get("/bench/bare-staff-page").status_code == 403
    rows = client_for(None).get("/bench/bare-list?page=1").json()
    real = client_for(None).get("/open311/v2/requests.json?jurisdiction_id=banyuwangi&page_size=50&page=1").json()
    assert [r["service_request_id"] for r in rows] == [r["service_request_id"] for r in real]


def test_a_web_process_starts_without_the_heavy_libraries():
    """Issue #20: WeasyPrint, pyHanko, openpyxl, HiGHS and Pillow are loaded by the first page that needs them."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "from gerai.wsgi import application; "
        "print(','.join(m for m in ('weasyprint', 'pyhanko', 'openpyxl', 'highspy', 'PIL') if m in sys.modules))"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "gerai.settings"}
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == ""

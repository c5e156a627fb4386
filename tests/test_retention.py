"""Retention the region configures: drafts never sent and counter consents' evidence after the application
closes, swept by the applications app's job (registered in gerai/core/jobs.py)."""

import datetime as dt

import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from gerai.applications import services
from gerai.applications.models import Application, ApplicationDocument, CounterConsent, CounterFiling
from gerai.audit.models import AuditEntry
from gerai.core import jobs
from gerai.core.actors import Actor
from tests.conftest import PDF, pdf

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _draft(personas, *, with_upload=True):
    citizen = personas.citizen
    application = services.application_start(actor=Actor(user=citizen), service=personas.service, applicant=citizen)
    if with_upload:
        requirement = personas.service.documents.first()
        services.application_attach_document(
            actor=Actor(user=citizen), application=application, requirement=requirement, upload=pdf()
        )
    return application


def _closed_with_consent(personas, closed_at):
    application = Application.objects.create(
        region=personas.a.region,
        service=personas.service,
        applicant=None,
        created_by=personas.desa_officer,
        status="completed",
        closed_at=closed_at,
    )
    CounterFiling.objects.create(application=application, name="Warga", nik="3509014202900077", phone="+6281234567001")
    consent = CounterConsent(
        application=application,
        method="paper",
        witnessed_by=personas.desa_officer,
        destination_masked="+62812••••7001",
        destination_hash="abc",
    )
    consent.evidence.save("persetujuan.pdf", ContentFile(PDF), save=False)
    consent.save()
    return application, consent


def test_the_sweep_is_a_registered_job():
    from gerai.applications.tasks import retention_sweep

    assert retention_sweep.enqueue in jobs.minute_jobs


def test_a_region_that_set_nothing_keeps_everything(personas):
    with time_machine.travel(START, tick=False):
        draft = _draft(personas, with_upload=False)
    with time_machine.travel(START + dt.timedelta(days=3650), tick=False):
        assert services.applications_retention_sweep() == {"drafts": 0, "consents": 0}
    assert Application.objects.filter(pk=draft.pk).exists()


def test_old_drafts_go_with_their_files_and_newer_ones_and_sent_ones_stay(personas, django_capture_on_commit_callbacks):
    region = personas.a.region
    region.draft_keep_days = 30
    region.save(update_fields=["draft_keep_days"])
    with time_machine.travel(START, tick=False):
        old = _draft(personas)
        sent = _draft(personas, with_upload=False)
    Application.objects.filter(pk=sent.pk).update(status="submitted", submitted_at=START)
    document = ApplicationDocument.objects.get(application=old)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        recent = _draft(personas, with_upload=False)
        assert services.applications_retention_sweep()["drafts"] == 0  # 20 days: kept
    with (
        time_machine.travel(START + dt.timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.applications_retention_sweep() == {"drafts": 1, "consents": 0}
    assert not Application.objects.filter(pk=old.pk).exists() and not storage.exists(name)
    assert Application.objects.filter(pk__in=[sent.pk, recent.pk]).count() == 2
    entry = AuditEntry.objects.get(action="applications.retention_drafts")
    assert entry.region_id == region.pk and entry.changes["deleted"] == 1


def test_a_consents_evidence_goes_after_its_application_closed(personas, django_capture_on_commit_callbacks):
    region = personas.a.region
    region.consent_keep_days = 90
    region.save(update_fields=["consent_keep_days"])
    application, consent = _closed_with_consent(personas, closed_at=START)
    storage, name = consent.evidence.storage, consent.evidence.name
    with time_machine.travel(START + dt.timedelta(days=89), tick=False):
        assert services.applications_retention_sweep()["consents"] == 0
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.applications_retention_sweep()["consents"] == 1
        assert services.applications_retention_sweep()["consents"] == 0  # done once
    consent.refresh_from_db()
    assert (consent.evidence.name, consent.destination_masked, consent.method) == ("", "", "paper")
    assert not storage.exists(name)
    filing = CounterFiling.objects.get(application=application)
    assert (filing.phone, filing.nik) == ("", "3509014202900077")


def a_rival_sweeps_first(monkeypatch) -> dict:
    """Two workers each enqueue the minute's sweep and run it at once: the other one's sweep runs to its end
    between this one's reads and its first transaction (what it returned is in the dict afterwards)."""
    atomic, rival = services.transaction.atomic, {}

    def atomic_after_the_rival(*args, **kwargs):
        if not rival:
            rival["raced"] = True
            rival["result"] = services.applications_retention_sweep()
        return atomic(*args, **kwargs)

    monkeypatch.setattr(services.transaction, "atomic", atomic_after_the_rival)
    return rival


def test_two_workers_sweeping_old_drafts_at_once_delete_and_audit_them_once(personas, monkeypatch):
    region = personas.a.region
    region.draft_keep_days = 30
    region.save(update_fields=["draft_keep_days"])
    with time_machine.travel(START, tick=False):
        old = _draft(personas, with_upload=False)
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        rival = a_rival_sweeps_first(monkeypatch)
        assert services.applications_retention_sweep() == {"drafts": 0, "consents": 0}
    assert rival["result"] == {"drafts": 1, "consents": 0}
    assert not Application.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(action="applications.retention_drafts").count() == 1


def test_two_workers_sweeping_consents_at_once_clear_and_audit_them_once(personas, monkeypatch):
    region = personas.a.region
    region.consent_keep_days = 90
    region.save(update_fields=["consent_keep_days"])
    _closed_with_consent(personas, closed_at=START)
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        rival = a_rival_sweeps_first(monkeypatch)
        assert services.applications_retention_sweep() == {"drafts": 0, "consents": 0}
    assert rival["result"] == {"drafts": 0, "consents": 1}
    entry = AuditEntry.objects.get(action="applications.retention_consents")  # one entry, not one per worker
    assert entry.changes["cleared"] == 1


def test_the_sweep_costs_a_few_queries(personas, django_assert_max_num_queries):
    region = personas.a.region
    region.draft_keep_days, region.consent_keep_days = 1, 1
    region.save(update_fields=["draft_keep_days", "consent_keep_days"])
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            _draft(personas, with_upload=False)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=400), tick=False),
        django_assert_max_num_queries(20),
    ):
        assert services.applications_retention_sweep()["drafts"] == 3


def test_the_region_admin_sets_the_periods_and_others_cannot(personas):
    from django.test import Client

    region = personas.a.region
    url = f"/{region.slug}/kantor/pengaturan/retensi/"
    admin = Client()
    admin.force_login(personas.admin)
    assert admin.get(f"/{region.slug}/kantor/pengaturan/").text.count("retensi/") == 1
    assert admin.get(url).status_code == 200
    bad = admin.post(url, {"draft_keep_days": "0", "consent_keep_days": "x"})
    assert bad.status_code == 400 and 'value="0"' in bad.text
    assert admin.post(url, {"draft_keep_days": "60", "consent_keep_days": ""}).status_code == 302
    region.refresh_from_db()
    assert (region.draft_keep_days, region.consent_keep_days) == (60, None)
    assert AuditEntry.objects.filter(action="region.retention_set", region=region).exists()
    officer = Client()
    officer.force_login(personas.desa_officer)
    outsider = Client()
    outsider.force_login(personas.outsider_admin)
    assert officer.post(url, {"draft_keep_days": "1"}).status_code == 404
    assert outsider.get(url).status_code == 404
    region.refresh_from_db()
    assert region.draft_keep_days == 60


def test_a_draft_touched_while_it_is_swept_keeps_its_row_and_its_files(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    region = personas.a.region
    region.draft_keep_days = 30
    region.save(update_fields=["draft_keep_days"])
    with time_machine.travel(START, tick=False):
        touched = _draft(personas)
    document = ApplicationDocument.objects.get(application=touched)
    storage, name = document.file.storage, document.file.name
    atomic = services.transaction.atomic

    def the_citizen_edits_first(*args, **kwargs):  # between the sweep's read and its transaction
        Application.objects.filter(pk=touched.pk).update(updated_at=timezone.now())
        return atomic(*args, **kwargs)

    with (
        time_machine.travel(START + dt.timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        monkeypatch.setattr(services.transaction, "atomic", the_citizen_edits_first)
        assert services.applications_retention_sweep()["drafts"] == 0
    assert Application.objects.filter(pk=touched.pk).exists() and storage.exists(name)

"""The whole journey through the web pages: apply, upload, submit, verify, correct, approve."""

import re

import pytest

from gerai.applications.models import Application, Status
from gerai.audit.models import AuditEntry
from gerai.notifications.models import OutboxMessage
from tests.conftest import AKTA_ANSWERS

pytestmark = pytest.mark.django_db


def test_citizen_applies_and_officers_process_to_completion(client_for, files, people):
    citizen = client_for("citizen_a")
    response = citizen.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")
    assert response.status_code == 302
    page_url = response["Location"]
    ref = re.search(r"/permohonan/(\w+)/", page_url).group(1)

    # a missing answer: error summary, and what was typed is still there
    response = citizen.post(page_url, {"nama_anak": "Putri Ayu", "tanggal_lahir": ""})
    assert response.status_code == 200
    assert "data-error-summary" in response.text and 'value="Putri Ayu"' in response.text

    for number, answers in enumerate(AKTA_ANSWERS, start=1):
        response = citizen.post(f"/banyuwangi/permohonan/{ref}/isi/{number}/", answers)
        assert response.status_code == 302, response.content
    assert response["Location"].endswith(f"/permohonan/{ref}/dokumen/")

    # an executable named .pdf is refused by its bytes; the good upload in the same post is kept
    response = citizen.post(
        f"/banyuwangi/permohonan/{ref}/dokumen/",
        {"doc-surat_lahir": files["png"](), "doc-kartu_keluarga": files["exe"]("kk.pdf"), "continue": "1"},
    )
    assert response.status_code == 400
    assert "bukan" in response.text or "not what its name says" in response.text
    application = Application.objects.get(ref=ref)
    assert application.documents.filter(is_current=True).count() == 1

    response = citizen.post(
        f"/banyuwangi/permohonan/{ref}/dokumen/", {"doc-kartu_keluarga": files["pdf"](), "continue": "1"}
    )
    assert response.status_code == 302

    response = citizen.post(f"/banyuwangi/permohonan/{ref}/periksa/")
    assert response.status_code == 302
    application.refresh_from_db()
    code = application.tracking_code
    assert application.status == Status.SUBMITTED and re.fullmatch(r"BWI-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert application.current_agency.short_name == "Desa Kemiren"  # routed to the applicant's desa office
    # a double click: the same application, no second one
    citizen.post(f"/banyuwangi/permohonan/{ref}/periksa/")
    assert Application.objects.filter(applicant=people["citizen_a"]).exclude(status=Status.DRAFT).count() == 1
    assert OutboxMessage.objects.filter(to=people["citizen_a"].email, subject__contains=code).count() == 1

    # desa officer verifies
    desa = client_for("desa_officer")
    assert code in desa.get("/banyuwangi/kantor/").text
    assert desa.post(f"/banyuwangi/kantor/permohonan/{ref}/aksi/", {"action": "complete"}).status_code == 302
    application.refresh_from_db()
    assert application.current_agency.short_name == "Dispendukcapil" and application.status == Status.IN_PROCESS

    # Dispendukcapil asks for a correction: the clock pauses
    capil = client_for("capil_officer")
    capil.post(f"/banyuwangi/kantor/permohonan/{ref}/aksi/", {"action": "correction", "reason": "Foto KK buram."})
    application.refresh_from_db()
    assert application.status == Status.NEEDS_CORRECTION and application.due_at is None
    assert application.sla_days_left is not None
    assert "Foto KK buram." in citizen.get(f"/banyuwangi/permohonan/{ref}/").text

    citizen.post(f"/banyuwangi/permohonan/{ref}/dokumen/", {"doc-kartu_keluarga": files["png"]("kk.png")})
    citizen.post(f"/banyuwangi/permohonan/{ref}/kirim-ulang/", {"message": "Sudah saya ganti."})
    application.refresh_from_db()
    assert application.status == Status.IN_PROCESS and application.due_at is not None

    capil.post(f"/banyuwangi/kantor/permohonan/{ref}/aksi/", {"action": "complete"})
    application.refresh_from_db()
    assert application.status == Status.COMPLETED and application.closed_at is not None

    # the public tracking page shows the outcome and no personal data
    page = client_for(None).get("/banyuwangi/lacak/", {"kode": code.lower().replace("-", " ")})
    assert page.status_code == 200 and 'data-status="completed"' in page.text
    for secret in ("Siti", "3510155203900001", "Foto KK buram", "0812"):
        assert secret not in page.text

    kinds = list(application.events.values_list("kind", flat=True))
    for kind in ("submitted", "step_done", "correction", "resubmitted", "approved", "completed"):
        assert kind in kinds
    assert AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="application.").count() >= 8


def test_nothing_typed_is_lost_between_pages(client_for):
    citizen = client_for("citizen_a")
    page_url = citizen.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")["Location"]
    citizen.post(page_url, AKTA_ANSWERS[0])
    # coming back to the first page shows the saved answers
    assert 'value="Putri Ayu"' in citizen.get(page_url).text
    # a second "apply" resumes the same draft
    assert citizen.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")["Location"] == page_url


def test_submission_with_missing_parts_is_refused_with_the_list(client_for):
    citizen = client_for("citizen_a")
    page_url = citizen.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")["Location"]
    check_url = page_url.replace("isi/1/", "periksa/")
    response = citizen.post(check_url, follow=True)
    assert "Nama lengkap anak" in response.text
    assert Application.objects.get(ref=page_url.split("/")[3]).status == Status.DRAFT


def test_citizen_without_profile_is_asked_for_nik_first(client_for, db):
    from gerai.accounts.models import User

    user = User.objects.create_user(
        "baru@example.id", "sandi-rahasia-123", email="baru@example.id", full_name="Warga Baru"
    )
    client = client_for(None)
    client.force_login(user)
    response = client.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/profil/")


def test_typed_answers_survive_an_expired_session(client_for, people):
    citizen = client_for("citizen_a")
    page_url = citizen.post("/banyuwangi/layanan/akta-kelahiran/ajukan/")["Location"]
    citizen.logout()  # the session expires while the citizen is typing
    response = citizen.post(page_url, {"nama_anak": "Bagus Wicaksono", "tanggal_lahir": "2026-11-01"})
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert "Bagus" not in response["Location"] and "2026-11-01" not in response["Location"]  # nothing typed in a URL
    signed_in = citizen.post(
        "/akun/masuk/", {"identifier": "warga@banyuwangi.demo", "password": "gerai-demo-2026", "next": page_url}
    )
    assert signed_in["Location"] == page_url
    page = citizen.get(page_url)
    assert 'value="Bagus Wicaksono"' in page.text and 'value="2026-11-01"' in page.text
    assert 'value="Bagus Wicaksono"' not in citizen.get(page_url).text  # offered once, not forever


def test_supervisor_bulk_assigns_the_queue(client_for, submitted, people):
    from gerai.applications import services
    from gerai.core.actors import Actor

    apps = [submitted("citizen_a"), submitted("citizen_a")]
    for application in apps:  # both reach Dispendukcapil
        services.application_complete_step(actor=Actor(user=people["desa_officer"]), application=application)
    kadis = client_for("capil_supervisor")
    queue = kadis.get("/banyuwangi/kantor/").text
    assert 'name="ref"' in queue and "bulk-assignee" in queue
    response = kadis.post(
        "/banyuwangi/kantor/tugaskan/", {"ref": [a.ref for a in apps], "assignee": people["capil_officer"].pk}
    )
    assert response.status_code == 302
    assert {a.assignee_id for a in Application.objects.filter(pk__in=[a.pk for a in apps])} == {
        people["capil_officer"].pk
    }
    assert AuditEntry.objects.filter(action="application.assign").count() >= 2
    # an officer sees no bulk controls and cannot assign
    officer = client_for("capil_officer")
    assert 'name="ref"' not in officer.get("/banyuwangi/kantor/").text
    officer.post("/banyuwangi/kantor/tugaskan/", {"ref": [apps[0].ref], "assignee": people["capil_supervisor"].pk})
    assert Application.objects.get(pk=apps[0].pk).assignee_id == people["capil_officer"].pk
    # another region's supervisor gets a 404
    assert client_for("seruyan_admin").post("/banyuwangi/kantor/tugaskan/", {"ref": [apps[0].ref]}).status_code == 404


def test_the_adopter_region_runs_its_adapted_copy(people, seruyan, files):
    """Seruyan's Akta Kelahiran, copied from Banyuwangi: its own offices, its own SLA, its own data."""
    import datetime as dt

    import time_machine

    from gerai.applications import services
    from gerai.catalog.models import Service
    from gerai.catalog.selectors import service_form_pages
    from gerai.core.actors import Actor

    service = Service.objects.get(region=seruyan, slug="akta-kelahiran")
    assert service.copied_from.region.slug == "banyuwangi" and service.sla_working_days == 5
    citizen = Actor(user=people["seruyan_citizen"])
    answers = [
        AKTA_ANSWERS[0],
        {"nik_ibu": "6207015203950001", "nama_ibu": "Sari"},
        {"desa": "62.07.01.1001", "telepon": "081299990000"},
    ]
    wib = dt.timezone(dt.timedelta(hours=7))
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=wib), tick=False):  # Tuesday
        application = services.application_start(actor=citizen, service=service, applicant=citizen.user)
        for fields, data in zip(service_form_pages(service), answers, strict=True):
            assert (
                services.application_save_answers(actor=citizen, application=application, fields=fields, data=data)
                == {}
            )
        for requirement in service.documents.filter(required=True):
            services.application_attach_document(
                actor=citizen, application=application, requirement=requirement, upload=files["png"]()
            )
        services.application_submit(actor=citizen, application=application)
    assert application.tracking_code.startswith("SRY-")
    assert application.current_agency.short_name == "Kelurahan Kuala Pembuang I"
    assert application.due_at.astimezone(wib).date() == dt.date(2026, 12, 8)  # 5 working days: Wed 2 … Tue 8
    kelurahan = Actor(
        user=people["seruyan_officer"].__class__.objects.get(login="kelurahan.kualapembuang@seruyan.demo")
    )
    services.application_complete_step(actor=kelurahan, application=application)
    assert application.current_agency.region_id == seruyan.pk and application.current_agency.slug == "dispendukcapil"
    with pytest.raises(services.ApplicationError):  # Banyuwangi's officer has no hand in it
        services.application_complete_step(actor=Actor(user=people["capil_officer"]), application=application)
    services.application_complete_step(actor=Actor(user=people["seruyan_officer"]), application=application)
    assert application.status == Status.COMPLETED


def test_supervisor_assigns_from_the_application_page(client_for, submitted, people):
    from gerai.applications import services
    from gerai.core.actors import Actor

    application = submitted()
    services.application_complete_step(actor=Actor(user=people["desa_officer"]), application=application)
    kadis = client_for("capil_supervisor")
    page = kadis.get(f"/banyuwangi/kantor/permohonan/{application.ref}/").text
    assert f'<option value="{people["capil_officer"].pk}">Rina Wulandari</option>' in page
    url = f"/banyuwangi/kantor/permohonan/{application.ref}/aksi/"
    kadis.post(url, {"action": "assign", "assignee": people["desa_officer"].pk})  # not of this agency: refused
    assert Application.objects.get(pk=application.pk).assignee_id is None
    kadis.post(url, {"action": "assign", "assignee": people["capil_officer"].pk})
    assert Application.objects.get(pk=application.pk).assignee_id == people["capil_officer"].pk

"""An application is processed under the version of the service it was filed under (gerai/catalog/workflow.py):
its steps (order, owner, role, action), its time to complete, the questions officers read and the documents a
correction asks for; a new application follows the version published after it."""

import pytest

from gerai.applications import services
from gerai.applications.models import Application, Status
from gerai.applications.policy import can_act
from gerai.catalog.models import FormField, WorkflowStep
from gerai.catalog.services import service_update
from gerai.catalog.workflow import filed_under
from gerai.core.actors import Actor
from gerai.regions.models import Agency
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def _file(citizen, service, upload) -> Application:
    """make_application, answering version 2's optional question too."""
    actor = Actor(user=citizen)
    application = services.application_start(actor=actor, service=service, applicant=citizen)
    answers = {"keperluan": "Melamar kerja", "desa": citizen.citizen.desa_id, "catatan": "-"}
    for fields in filed_under(application).pages:
        data = {field.key: answers[field.key] for field in fields}
        assert services.application_save_answers(actor=actor, application=application, fields=fields, data=data) == {}
    for requirement in service.documents.filter(required=True):
        services.application_attach_document(
            actor=actor, application=application, requirement=requirement, upload=upload()
        )
    return services.application_submit(actor=actor, application=application)


def _complete(user, application) -> Application:
    return services.application_complete_step(actor=Actor(user=user), application=application)


def _version_two(personas) -> Agency:
    """The service changed after v1: the desa's verification is dropped, the approval moves to the DPMPTSP, a
    kecamatan step is added after it, an optional question is added and it takes 10 working days."""
    service, a = personas.service, personas.a
    dpmptsp = Agency.objects.get(region=a.region, slug="dpmptsp")
    service.steps.get(order=1).delete()
    service.steps.filter(order=2).update(agency=dpmptsp)
    WorkflowStep.objects.create(
        service=service, order=3, name="Paraf camat", routing="fixed", agency=a.kecamatan_office, action="verify"
    )
    FormField.objects.create(
        service=service, key="catatan", label="Catatan tambahan", kind="text", required=False, order=9
    )
    service_update(actor=Actor(user=personas.admin), service=service, data={"sla_working_days": 10})
    service.refresh_from_db()
    assert service.current_version.number == 2
    return dpmptsp


def test_an_application_goes_through_the_steps_of_the_version_it_was_filed_under(personas, files):
    a = personas.a
    first = make_application(personas.citizen, personas.service, upload=files["pdf"])
    v1 = first.service_version
    assert first.current_step.name == "Verifikasi desa" and first.current_agency == a.desa_office
    first = _complete(personas.desa_officer, first)
    assert first.step_order == 2 and first.current_agency == a.dinas

    dpmptsp = _version_two(personas)

    first = Application.objects.get(pk=first.pk)
    assert first.service_version == v1
    step = first.current_step
    assert (step.order, step.name, step.action, step.agency_id) == (2, "Persetujuan dinas", "approve", a.dinas.pk)
    # the officers of the version-1 owner act on it; the new owner's do not
    assert can_act(personas.dinas_officer, first) and not can_act(personas.other_dinas_officer, first)
    # the queue shows its step by the name it was filed under, no workflow read per row
    queue = personas.client("dinas_officer").get(f"/{a.region.slug}/kantor/")
    assert first.tracking_code in queue.text and "Persetujuan dinas" in queue.text
    # officers read version 1's questions: no question added since
    assert [f.key for page in filed_under(first).pages for f in page] == ["keperluan", "desa"]
    detail = personas.client("dinas_officer").get(f"/{a.region.slug}/kantor/permohonan/{first.ref}/")
    assert detail.status_code == 200 and "Catatan tambahan" not in detail.text
    # version 1's approval is its last step: it completes, the kecamatan step of version 2 never comes
    first = _complete(personas.dinas_officer, first)
    assert first.status == Status.COMPLETED and first.step_order is None and first.current_agency is None
    assert [e.step_name for e in first.events.filter(kind="approved")] == ["Persetujuan dinas"]

    # a new application follows version 2: the DPMPTSP first, then the kecamatan, in 10 working days
    second = _file(personas.other_citizen, personas.service, upload=files["pdf"])
    assert second.service_version.number == 2 and second.service_version != v1
    assert second.current_step.name == "Persetujuan dinas" and second.current_agency == dpmptsp
    assert [f.key for page in filed_under(second).pages for f in page] == ["keperluan", "desa", "catatan"]
    assert not can_act(personas.dinas_officer, second)
    second = _complete(personas.other_dinas_officer, second)
    assert second.status == Status.APPROVED and second.current_step.name == "Paraf camat"
    assert second.current_agency == a.kecamatan_office
    second = _complete(personas.kecamatan_officer, second)
    assert second.status == Status.COMPLETED


def test_the_time_to_complete_is_the_filed_versions(personas, files):
    from gerai.regions.calendar import RegionCalendar

    _version_two(personas)
    application = _file(personas.citizen, personas.service, upload=files["pdf"])
    calendar = RegionCalendar(personas.a.region)
    assert application.due_at == calendar.add_working_days(application.submitted_at, 10)


def test_a_correction_is_asked_and_checked_under_the_filed_version(personas, files):
    first = make_application(personas.citizen, personas.service, upload=files["pdf"])
    first = _complete(personas.desa_officer, first)
    _version_two(personas)
    # version 2 makes the question required; the version-1 application is not asked for it
    personas.service.fields.filter(key="catatan").update(required=True)
    services.application_request_correction(
        actor=Actor(user=personas.dinas_officer), application=first, reason="Foto KTP buram"
    )
    first.refresh_from_db()
    assert services.application_problems(first) == []
    first = services.application_resubmit(actor=Actor(user=personas.citizen), application=first)
    assert first.status == Status.IN_PROCESS and first.current_step.name == "Persetujuan dinas"
    assert first.current_agency == personas.a.dinas


def test_an_application_filed_before_versions_follows_the_live_workflow(personas, files):
    application = make_application(personas.citizen, personas.service, upload=files["pdf"])
    Application.objects.filter(pk=application.pk).update(service_version=None)
    application = Application.objects.get(pk=application.pk)
    live = personas.service.steps.get(order=1)
    live.name = "Verifikasi kantor desa"
    live.save()
    assert application.current_step.name == "Verifikasi kantor desa"
    application = _complete(personas.desa_officer, application)
    assert application.current_step.name == "Persetujuan dinas" and application.current_agency == personas.a.dinas


def test_a_snapshot_without_agency_ids_finds_them_by_slug(personas, files):
    """Versions written before snapshots kept each agency's pk."""
    from gerai.catalog.models import ServiceVersion

    application = make_application(personas.citizen, personas.service, upload=files["pdf"])
    version = application.service_version
    snapshot = version.snapshot
    for step in snapshot["steps"]:
        if step["agency"]:
            step["agency"].pop("id")
    snapshot["owner"].pop("id")
    ServiceVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    application = Application.objects.get(pk=application.pk)
    assert filed_under(application).steps[1].agency_id == personas.a.dinas.pk
    assert filed_under(application).owner_agency_id == personas.a.dinas.pk


def test_the_step_an_application_is_at_may_be_removed_from_the_service(personas, files):
    application = make_application(personas.citizen, personas.service, upload=files["pdf"])
    _version_two(personas)  # drops the desa's verification, where the application is now
    application = Application.objects.get(pk=application.pk)
    assert application.current_step.name == "Verifikasi desa" and application.current_agency == personas.a.desa_office
    application = _complete(personas.desa_officer, application)
    assert application.current_step.name == "Persetujuan dinas" and application.current_agency == personas.a.dinas

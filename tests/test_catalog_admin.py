"""The region admin's service pages (questions, workflow steps), copying a service with its letter template,
and importing one from its description. The people and services are the factories' (tests/factories.py), except
in the import of the demo's own catalogue."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from gerai.audit.models import AuditEntry
from gerai.catalog.models import FormField, Service, WorkflowStep
from gerai.catalog.services import service_copy, service_import
from gerai.core.actors import Actor
from gerai.documents.models import DocumentTemplate
from gerai.documents.services import document_template_save
from tests.factories import make_service

pytestmark = pytest.mark.django_db
FORM = "/jember-uji/kantor/layanan/surat-keterangan/formulir/"


def _management(prefix, forms):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for f in forms if "id" in f)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(forms):
        data |= {f"{prefix}-{i}-{k}": v for k, v in form.items()}
    return data


def test_region_admin_adds_a_choice_question(personas):
    service = personas.service
    existing = [
        {
            "id": f.pk,
            "page": f.page,
            "page_title": f.page_title,
            "order": f.order,
            "key": f.key,
            "label": f.label,
            "kind": f.kind,
            "required": "on" if f.required else "",
            "help_text": f.help_text,
            "choices": "\n".join(f"{v} = {lbl}" for v, lbl in f.choices),
            "min_value": f.min_value or "",
            "max_value": f.max_value or "",
        }
        for f in service.fields.all()
    ]
    new = {
        "page": "1",
        "page_title": "Keperluan",
        "order": "9",
        "key": "status_rumah",
        "label": "Status rumah",
        "kind": "choice",
        "required": "on",
        "choices": "milik = Milik sendiri\nsewa = Sewa",
    }
    assert len(existing) == 2
    admin = personas.client("admin")
    url = FORM
    assert admin.get(url).status_code == 200
    bad = admin.post(url, _management("fields", existing + [new | {"choices": "milik sendiri"}]))
    assert bad.status_code == 200 and "data-error-summary" in bad.text
    response = admin.post(url, _management("fields", existing + [new]))
    assert response.status_code == 302, response.text[:2000]
    added = FormField.objects.get(service=service, key="status_rumah")
    assert added.choices == [["milik", "Milik sendiri"], ["sewa", "Sewa"]]
    assert AuditEntry.objects.filter(action="service.edit_formulir", object_id=str(service.pk)).exists()


def test_steps_need_an_agency_of_this_region(personas):
    one_step = [{"name": "Surat pengantar desa", "routing": "desa", "role": "officer", "action": "sign"}]
    service = make_service(personas.a, "pengantar", steps=one_step)
    step = service.steps.get()
    foreign = personas.b.dinas  # region B's
    url = "/jember-uji/kantor/layanan/pengantar/alur/"
    form = {
        "id": step.pk,
        "order": "1",
        "name": step.name,
        "routing": "fixed",
        "agency": foreign.pk,
        "role": "officer",
        "action": "sign",
    }
    response = personas.client("admin").post(url, _management("steps", [form]))
    assert response.status_code == 200 and "data-error-summary" in response.text
    assert WorkflowStep.objects.get(pk=step.pk).routing == "desa"
    mine = personas.client("admin").post(url, _management("steps", [form | {"agency": personas.a.dinas.pk}]))
    assert mine.status_code == 302  # the same form with an agency of this region is saved
    assert WorkflowStep.objects.get(pk=step.pk).agency == personas.a.dinas


@pytest.mark.parametrize("persona", ["supervisor", "outsider_admin", "citizen"])
def test_only_the_regions_admin_edits_parts(personas, persona):
    assert personas.client(persona).get(FORM).status_code == 404
    assert personas.client("admin").get(FORM).status_code == 200


def test_unknown_part_is_404(personas):
    assert personas.client("admin").get(FORM.replace("formulir", "lainnya")).status_code == 404


def test_a_copied_service_brings_its_letter_template_in_the_same_transaction(personas):
    """catalog never imports documents: the documents app copies the template on the copy's audit event."""
    source = personas.service
    original = document_template_save(
        actor=Actor(user=personas.admin),
        service=source,
        title="Surat Keterangan",
        classification="470",
        paper="A4",
        body="<p>Keperluan: {{ jawaban.keperluan }}</p>",
        css="p { margin: 0; }",
    )
    region_b, actor_b = personas.b.region, Actor(user=personas.outsider_admin)
    copy = service_copy(actor=actor_b, source=source, region=region_b, slug="sk-salinan")
    template = DocumentTemplate.objects.get(service=copy)
    assert (template.title, template.body, template.css) == (original.title, original.body, original.css)
    with pytest.raises(RuntimeError), transaction.atomic():  # a write that fails later takes the copy back
        again = service_copy(actor=actor_b, source=source, region=region_b, slug="sk-2")
        raise RuntimeError
    assert not Service.objects.filter(region=region_b, slug="sk-2").exists()
    assert not DocumentTemplate.objects.filter(service__slug="sk-2").exists() and again.pk


def test_a_service_imports_from_its_description_or_not_at_all(seruyan, people):
    """The demo's catalogue is data read through service_import, the way a region admin would load one: a test
    about the demo's data, so it stays on the demo's Seruyan."""
    catalogue = json.loads(Path("gerai/demo/data/banyuwangi-services.json").read_text(encoding="utf-8"))
    spec = next(s for s in catalogue["services"] if s["slug"] == "akta-kelahiran") | {"slug": "akta-impor"}
    actor = Actor(user=people["seruyan_admin"])
    service = service_import(actor=actor, region=seruyan, spec=spec, standard=catalogue["standard"])
    assert service.fields.count() == sum(len(page["fields"]) for page in spec["pages"])
    assert [s.agency.slug if s.agency else None for s in service.steps.order_by("order")] == [None, "dispendukcapil"]
    assert AuditEntry.objects.filter(action="service.import", object_id=str(service.pk)).exists()
    terse = {
        "slug": "terse",
        "name": "Surat",
        "summary": "Surat.",
        "category": "surat",
        "owner_agency": "dispendukcapil",
    }
    terse |= {"sla_working_days": 2, "documents": [{"key": "ktp", "label": "KTP", "types": ["pdf"]}]}
    made = service_import(actor=actor, region=seruyan, spec=terse)  # what a description leaves out defaults
    assert made.documents.get().required and made.std_requirements == "- KTP" and not made.is_published
    for broken in (
        spec | {"slug": "x1", "owner_agency": "tidak-ada"},
        spec
        | {
            "slug": "x2",
            "steps": [{"name": "A", "routing": "fixed", "agency": "x", "role": "officer", "action": "verify"}],
        },
        spec | {"slug": "x3", "documents": [{"key": "k", "label": "L", "types": ["pdf"], "required": True}] * 2},
        spec | {"slug": "x4", "category": "bukan-kategori"},
    ):
        with pytest.raises(ValidationError):
            service_import(actor=actor, region=seruyan, spec=broken)
    assert not Service.objects.filter(region=seruyan, slug__in=["x1", "x2", "x3", "x4"]).exists()

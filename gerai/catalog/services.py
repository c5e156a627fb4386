from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.catalog.models import STANDARD_COMPONENTS, DocumentRequirement, FormField, Service, WorkflowStep
from gerai.core.actors import Actor
from gerai.regions.selectors import agencies_of_region

EDITABLE_FIELDS = [
    "name",
    "summary",
    "category",
    "fee_rupiah",
    "sla_working_days",
    "output_document",
    "is_published",
]
EDITABLE_FIELDS += [name for name, _label in STANDARD_COMPONENTS]


def service_update(*, actor: Actor, service: Service, data: dict) -> Service:
    changes = {}
    for name in EDITABLE_FIELDS:
        if name in data and getattr(service, name) != data[name]:
            changes[name] = [getattr(service, name), data[name]]
            setattr(service, name, data[name])
    if "owner_agency" in data and data["owner_agency"].region_id != service.region_id:
        raise ValidationError({"owner_agency": _("Choose an agency of this region.")})
    if "owner_agency" in data and data["owner_agency"] != service.owner_agency:
        changes["owner_agency"] = [service.owner_agency_id, data["owner_agency"].pk]
        service.owner_agency = data["owner_agency"]
    with transaction.atomic():
        service.full_clean()
        service.save()
        audit_record(actor=actor, action="service.update", obj=service, region=service.region, changes=changes)
    return service


def service_import(*, actor: Actor, region, spec: dict, standard: dict | None = None) -> Service:
    """Create a service of `region` from a plain description (the format of docs/catalog.md, as in
    gerai/demo/data/): its standard, form pages, documents and workflow steps, in one transaction with
    one audit entry. Agencies are named by their slug in this region. Every row is validated as the admin
    pages validate it; a bad description raises ValidationError naming the part, and creates nothing."""
    agencies = {agency.slug: agency for agency in agencies_of_region(region)}

    def agency(slug: str, where: str):
        if slug not in agencies:
            raise ValidationError({where: _("No agency “%(slug)s” in this region.") % {"slug": slug}})
        return agencies[slug]

    documents = spec.get("documents", [])
    service = Service(
        region=region,
        slug=spec["slug"],
        name=spec["name"],
        summary=spec.get("summary", ""),
        category=spec["category"],
        owner_agency=agency(spec["owner_agency"], "owner_agency"),
        fee_rupiah=spec.get("fee_rupiah", 0),
        sla_working_days=spec["sla_working_days"],
        output_document=spec.get("output_document", ""),
        is_published=spec.get("published", False),
        std_requirements="\n".join(
            f"- {d['label']}{'' if d.get('required', True) else ' (bila ada)'}" for d in documents
        ),
        **((standard or {}) | {"std_product": spec.get("output_document", "")} | spec.get("standard", {})),
    )
    rows: list = []
    order = 0
    for number, page in enumerate(spec.get("pages", []), start=1):
        for field in page["fields"]:
            order += 1
            rows.append(
                FormField(
                    service=service,
                    page=number,
                    page_title=page["title"],
                    order=order,
                    key=field["key"],
                    label=field["label"],
                    kind=field["kind"],
                    required=field.get("required", True),
                    help_text=field.get("help", ""),
                    choices=field.get("choices", []),
                    min_value=field.get("min"),
                    max_value=field.get("max"),
                )
            )
    for i, document in enumerate(documents):
        rows.append(
            DocumentRequirement(
                service=service,
                order=i,
                key=document["key"],
                label=document["label"],
                allowed_types=document["types"],
                required=document.get("required", True),
                help_text=document.get("help", ""),
            )
        )
    for i, step in enumerate(spec.get("steps", []), start=1):
        rows.append(
            WorkflowStep(
                service=service,
                order=i,
                name=step["name"],
                routing=step["routing"],
                agency=agency(step["agency"], f"steps.{i}") if step.get("agency") else None,
                role=step["role"],
                action=step["action"],
            )
        )
    with transaction.atomic():
        service.full_clean()
        service.save()
        for row in rows:
            row.service = service
            row.full_clean()
            row.save()
        audit_record(
            actor=actor,
            action="service.import",
            obj=service,
            region=region,
            changes={"fields": order, "documents": len(documents), "steps": len(spec.get("steps", []))},
        )
    return service


def service_copy(*, actor: Actor, source: Service, region, slug: str = "", agency_map: dict | None = None) -> Service:
    """Adopt another region's service: its standard, form, documents and workflow, with steps
    re-owned by this region's agencies (agency_map: source agency pk -> agency of `region`, else
    the owner agency). The copy remembers where it came from and starts unpublished, so the region
    can adapt requirements, SLA and fees before citizens see it."""
    agency_map = agency_map or {}
    default_agency = agency_map.get(source.owner_agency_id) or agencies_of_region(region).filter(kind="dinas").first()
    if default_agency is None or default_agency.region_id != region.pk:
        raise ValidationError(_("Create at least one agency in this region before copying services."))
    copy = Service(
        region=region,
        slug=slug or source.slug,
        name=source.name,
        summary=source.summary,
        category=source.category,
        owner_agency=default_agency,
        fee_rupiah=source.fee_rupiah,
        sla_working_days=source.sla_working_days,
        output_document=source.output_document,
        is_published=False,
        copied_from=source,
        **{name: getattr(source, name) for name, _label in STANDARD_COMPONENTS},
    )
    try:
        with transaction.atomic():
            copy.save()
            FormField.objects.bulk_create(
                FormField(
                    service=copy,
                    page=f.page,
                    page_title=f.page_title,
                    order=f.order,
                    key=f.key,
                    label=f.label,
                    kind=f.kind,
                    required=f.required,
                    help_text=f.help_text,
                    choices=f.choices,
                    min_value=f.min_value,
                    max_value=f.max_value,
                )
                for f in source.fields.all()
            )
            DocumentRequirement.objects.bulk_create(
                DocumentRequirement(
                    service=copy,
                    order=d.order,
                    key=d.key,
                    label=d.label,
                    help_text=d.help_text,
                    allowed_types=d.allowed_types,
                    max_size_kb=d.max_size_kb,
                    required=d.required,
                )
                for d in source.documents.all()
            )
            WorkflowStep.objects.bulk_create(
                WorkflowStep(
                    service=copy,
                    order=s.order,
                    name=s.name,
                    routing=s.routing,
                    role=s.role,
                    action=s.action,
                    agency=(agency_map.get(s.agency_id) or default_agency) if s.routing == "fixed" else None,
                )
                for s in source.steps.all()
            )
            # the documents app copies the letter template too (an event of the audit entry below)
            audit_record(
                actor=actor,
                action="service.copy",
                obj=copy,
                region=region,
                changes={"source_region": source.region.slug, "source_service": source.slug},
            )
    except IntegrityError:
        raise ValidationError({"slug": _("This region already has a service with that address.")}) from None
    return copy


def service_parts_save(*, actor: Actor, service: Service, part: str, formset) -> None:
    """Save a region admin's edits of a service's questions ('formulir'), documents ('dokumen') or
    workflow steps ('alur') from a valid inline formset, with one audit entry of what changed."""
    if formset.instance.pk != service.pk or not formset.is_valid():
        raise ValueError("save a valid formset of this service")
    with transaction.atomic():
        saved = formset.save()
        audit_record(
            actor=actor,
            action=f"service.edit_{part}",
            obj=service,
            region=service.region,
            changes={
                "saved": [str(obj) for obj in saved],
                "deleted": [str(obj) for obj in formset.deleted_objects],
            },
        )

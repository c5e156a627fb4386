from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerai.audit.services import audit_record
from gerai.catalog import lineage
from gerai.catalog.models import (
    STANDARD_COMPONENTS,
    DocumentRequirement,
    FormField,
    Service,
    ServiceCategory,
    ServiceVersion,
    WorkflowStep,
)
from gerai.catalog.selectors import categories_of_region
from gerai.core import pagecache
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.core.pagetopics import CATALOG
from gerai.regions.models import Agency, Region
from gerai.regions.selectors import agencies_of_region


class CatalogError(DomainError):
    statuses = {
        "unmapped_step": 409,
        "no_steps": 409,
        "answered_field": 409,
        "no_upstream": 409,
        "category_in_use": 409,
        "category_last": 409,
    }


#: Asked before an upstream change removes questions: functions (service, keys) -> {key: open applications that
#: answered it}. The applications app registers one in its AppConfig.ready (catalog never imports it).
FIELD_REMOVAL_GUARDS: list[Callable[[Service, list[str]], dict[str, int]]] = []

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


# --- categories --------------------------------------------------------------------------------------------------


def _category_check(region_id: int, code: str) -> None:
    """Inside the caller's transaction, under the region's row lock that category changes take too, so that a
    category removed at the same moment is not chosen."""
    Region.objects.select_for_update().filter(pk=region_id).first()
    if code not in dict(categories_of_region(region_id)):
        raise ValidationError({"category": _("Choose one of this region's service categories.")})


def _own_categories(region) -> dict[str, ServiceCategory]:
    """The region's category rows, made from the platform's defaults first if it has none (inside the caller's
    transaction), so that the first change of an admin starts from the list the catalog showed."""
    Region.objects.select_for_update().filter(pk=region.pk).first()  # two first changes at once: one at a time
    rows = {c.code: c for c in ServiceCategory.objects.filter(region=region)}
    if not rows:
        with translation.override("id"):  # the region's own names are its content, in Indonesian
            made = ServiceCategory.objects.bulk_create(
                ServiceCategory(region=region, code=code, name=str(name), order=(i + 1) * 10)
                for i, (code, name) in enumerate(categories_of_region(region.pk))
            )
        rows = {c.code: c for c in made}
    return rows


def category_save(*, actor: Actor, region, code: str, data: dict) -> ServiceCategory:
    """Add a category (`code` empty: a new one, with data["code"]) or rename or move one. A code never changes:
    services, their versions and the regions that adopted them name the category by it."""
    with transaction.atomic():
        rows = _own_categories(region)
        if code:
            category = rows.get(code)
            if category is None:
                raise CatalogError("category_gone", _("That category is gone: look at the list anew."))
        else:
            if data["code"] in rows:
                raise CatalogError(
                    "category_taken", _("This region already has a category with that code."), field="code"
                )
            category = ServiceCategory(region=region, code=data["code"])
        before = {"name": category.name, "order": category.order}
        category.name = data["name"]
        order = data.get("order")
        if order is not None:
            category.order = int(order)
        elif not code:  # a new one goes last; a renamed one keeps its place
            category.order = (len(rows) + 1) * 10
        category.full_clean()
        category.save()
        audit_record(
            actor=actor,
            action="service_category.update" if code else "service_category.create",
            obj=category,
            region=region,
            changes={
                "code": category.code,
                "name": [before["name"], category.name],
                "order": [before["order"], category.order],
            },
        )
    return category


def category_delete(*, actor: Actor, region, code: str) -> None:
    """Remove a category no service of the region is in; the last one stays."""
    with transaction.atomic():
        rows = _own_categories(region)
        if code not in rows:
            raise CatalogError("category_gone", _("That category is gone: look at the list anew."))
        used = Service.objects.filter(region=region, category=code).count()
        if used:
            raise CatalogError(
                "category_in_use",
                ngettext(
                    "%(n)s service is in this category: move it to another one first.",
                    "%(n)s services are in this category: move them to another one first.",
                    used,
                )
                % {"n": used},
            )
        if len(rows) == 1:
            raise CatalogError("category_last", _("A catalog needs at least one category."))
        rows[code].delete()
        audit_record(actor=actor, action="service_category.delete", obj=region, region=region, changes={"code": code})


def _category_adopt(region, code: str, source: Service) -> str | None:
    """An adopted service keeps its category: when this region has no category `code`, it gets one with the
    name the source's region gives it (in the caller's transaction). Returns the code added, if any."""
    if code in dict(categories_of_region(region.pk)):
        return None
    rows = _own_categories(region)
    if code in rows:  # the copy of the defaults just made holds it
        return None
    name = dict(categories_of_region(source.region_id)).get(code, code)
    ServiceCategory.objects.create(region=region, code=code, name=str(name), order=(len(rows) + 1) * 10)
    return code


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
        if "category" in changes:
            _category_check(service.region_id, service.category)
        service.full_clean()
        service.save()
        audit_record(actor=actor, action="service.update", obj=service, region=service.region, changes=changes)
        if service.is_published and (changes or service.current_version_id is None):
            _version_create(actor=actor, service=service, note="")
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
                    personal=field.get("personal", False),
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
        _category_check(region.pk, service.category)
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
        if service.is_published:
            _version_create(actor=actor, service=service, note="")
    return service


def adoption_owners(source: Service) -> list:
    """The source agencies an adopter maps to its own: the owner, then each fixed step's agency, once each."""
    seen, owners = set(), []
    for agency in [source.owner_agency] + [s.agency for s in source.steps.select_related("agency").order_by("order")]:
        if agency is not None and agency.pk not in seen:
            seen.add(agency.pk)
            owners.append(agency)
    return owners


def adoption_suggestions(source: Service, region) -> dict[int, object]:
    """source agency pk -> the local agency suggested for it (or None)."""
    local = list(agencies_of_region(region))
    return {
        agency.pk: lineage.suggest_agency(
            lineage._agency(agency) or {},
            local,
            source_region_name=source.region.name,
            local_region_name=region.name,
        )
        for agency in adoption_owners(source)
    }


def service_copy(*, actor: Actor, source: Service, region, slug: str = "", agency_map: dict | None = None) -> Service:
    """Adopt another region's service: its standard, form, documents and workflow. Each source agency is mapped
    to one of this region's (agency_map: source agency pk -> agency of `region`; an agency left out gets the
    suggestion by kind and name, or no owner at all: the copy cannot be published until every step has one).
    The copy remembers the source and the source version it was taken from, and starts unpublished."""
    suggestions = adoption_suggestions(source, region)
    agency_map = {pk: agency for pk, agency in (agency_map or {}).items() if agency is not None}
    mapping = suggestions | agency_map
    if any(agency is not None and agency.region_id != region.pk for agency in mapping.values()):
        raise CatalogError("agency_foreign", _("Choose agencies of this region."))
    owner = mapping.get(source.owner_agency_id)
    if owner is None:
        raise CatalogError(
            "owner_unmapped",
            _("Choose the agency of this region that owns the service (in place of %(agency)s).")
            % {"agency": source.owner_agency},
            field=f"agency_{source.owner_agency_id}",
        )
    copy = Service(
        region=region,
        slug=slug or source.slug,
        name=source.name,
        summary=source.summary,
        category=source.category,
        owner_agency=owner,
        fee_rupiah=source.fee_rupiah,
        sla_working_days=source.sla_working_days,
        output_document=source.output_document,
        is_published=False,
        copied_from=source,
        upstream_version=source.current_version,
        **{name: getattr(source, name) for name, _label in STANDARD_COMPONENTS},
    )
    try:
        with transaction.atomic():
            category_added = _category_adopt(region, source.category, source)
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
                    personal=f.personal,
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
                    agency=mapping.get(s.agency_id) if s.routing == "fixed" else None,
                )
                for s in source.steps.all()
            )
            # the documents app copies the letter template too (an event of the audit entry below)
            audit_record(
                actor=actor,
                action="service.copy",
                obj=copy,
                region=region,
                changes={
                    "source_region": source.region.slug,
                    "source_service": source.slug,
                    "source_version": source.current_version.number if source.current_version else None,
                    "mapping": {str(pk): (a.slug if a else None) for pk, a in mapping.items()},
                    "category_added": category_added,
                },
            )
    except IntegrityError:
        raise CatalogError(
            "slug_taken", _("This region already has a service with that address."), field="slug"
        ) from None
    return copy


# --- versions ----------------------------------------------------------------------------------------------------


def service_publish_problems(service: Service) -> list[str]:
    """Why the service cannot be published yet (empty: it can)."""
    steps = list(service.steps.order_by("order"))
    problems = []
    if not steps:
        problems.append(_("Add at least one workflow step."))
    for step in steps:
        if step.routing == WorkflowStep.Routing.FIXED and step.agency_id is None:
            problems.append(
                _("Step %(order)s “%(name)s” has no agency of this region yet.")
                % {"order": step.order, "name": step.name}
            )
    return problems


def _version_create(*, actor: Actor, service: Service, note: str) -> ServiceVersion:
    problems = service_publish_problems(service)
    if problems:
        raise CatalogError(
            "unmapped_step" if service.steps.exists() else "no_steps",
            _("It cannot be published yet: %(problems)s") % {"problems": " ".join(problems)},
        )
    # Numbered under the service's row lock, so two publishes in one moment make versions n and n+1 (the
    # unique constraint answers, as a refusal, for a database without row locks).
    Service.objects.select_for_update().filter(pk=service.pk).values_list("pk", flat=True).first()
    last = service.versions.order_by("-number").values_list("number", flat=True).first() or 0
    try:
        with transaction.atomic():
            version = ServiceVersion.objects.create(
                service=service,
                number=last + 1,
                snapshot=lineage.snapshot(service),
                based_on=service.upstream_version,
                note=note[:300],
                published_by=actor.user,
            )
    except IntegrityError:
        raise CatalogError(
            "published_meanwhile", _("Someone published this service at the same moment: look at it anew.")
        ) from None
    Service.objects.filter(pk=service.pk).update(current_version=version, is_published=True)
    service.current_version, service.is_published = version, True
    audit_record(
        actor=actor,
        action="service.publish",
        obj=service,
        region=service.region,
        changes={"version": version.number, "based_on": version.based_on_id},
    )
    if service.copied_from_id is not None:  # the source's page lists its adopters' published services
        source_region = Service.objects.filter(pk=service.copied_from_id).values_list("region_id", flat=True).first()
        if source_region != service.region_id:
            pagecache.changed(source_region, CATALOG)
    return version


def service_publish(*, actor: Actor, service: Service, note: str = "") -> ServiceVersion:
    """Publish the service as it is now: a new immutable version, which new applications are filed under.
    Refused while a step has no owner in this region."""
    with transaction.atomic():
        return _version_create(actor=actor, service=service, note=note)


def service_create(*, actor: Actor, region, data: dict, slug: str) -> Service:
    """A new service from scratch, saved as a draft (unpublished) with no questions, documents or steps yet."""
    owner = data.get("owner_agency")
    if owner is None or owner.region_id != region.pk:
        raise CatalogError("agency_foreign", _("Choose an agency of this region."), field="owner_agency")
    service = Service(region=region, slug=slug, is_published=False, owner_agency=owner)
    for name in EDITABLE_FIELDS:
        if name in data and name != "is_published":
            setattr(service, name, data[name])
    try:
        with transaction.atomic():
            _category_check(region.pk, service.category)
            service.full_clean()
            service.save()
            audit_record(actor=actor, action="service.create", obj=service, region=region, changes={"slug": slug})
    except IntegrityError:
        raise CatalogError(
            "slug_taken", _("This region already has a service with that address."), field="slug"
        ) from None
    return service


# --- upstream changes --------------------------------------------------------------------------------------------


def _apply_item(service: Service, change: lineage.Change, mapped_steps: dict[int, Agency | None]) -> None:
    kind, _sep, name = change.key.partition(":")
    theirs = change.theirs
    if kind == "scalar":
        setattr(service, name, theirs)
    elif kind in ("form", "document"):
        model = FormField if kind == "form" else DocumentRequirement
        if theirs is None:
            model.objects.filter(service=service, key=name).delete()
        else:
            values: dict[str, Any] = theirs  # type: ignore[assignment]  # a question's or document's fields
            model.objects.update_or_create(service=service, key=name, defaults=values)
    else:  # the workflow's shape: this region's owner stays on each step with the same number
        steps: list[dict] = theirs or []  # type: ignore[assignment]
        for step in steps:
            agency = mapped_steps.get(step["order"]) if step["routing"] == WorkflowStep.Routing.FIXED else None
            WorkflowStep.objects.update_or_create(
                service=service, order=step["order"], defaults={**step, "agency": agency}
            )
        # applications in process keep the steps of the version they were filed under (gerai/catalog/workflow.py)
        service.steps.exclude(order__in=[step["order"] for step in steps]).delete()


def service_upstream_apply(*, actor: Actor, service: Service, accepted: set[str], expected_version: int) -> Service:
    """Decide the source's changes since the adopted version: the accepted ones are taken over, the rest are
    declined, and the service's base moves to the source's newest version (`expected_version`, so a source that
    published again meanwhile is not decided unseen). A published service gets a new local version."""
    source = service.copied_from
    latest = source.current_version if source is not None else None
    if source is None or latest is None or latest.number != expected_version:
        raise CatalogError("no_upstream", _("The source has changed again meanwhile: look at the comparison anew."))
    base = service.upstream_version.snapshot if service.upstream_version else None
    changes, _local = lineage.three_way(base, latest.snapshot, lineage.snapshot(service))
    taken = [c for c in changes if c.key in accepted]
    removed = [c.key.partition(":")[2] for c in taken if c.key.startswith("form:") and c.removes]
    if removed:
        answered: dict[str, int] = {}
        for guard in FIELD_REMOVAL_GUARDS:
            answered |= {k: n for k, n in guard(service, removed).items() if n}
        if answered:
            raise CatalogError(
                "answered_field",
                _(
                    "Applications in process answered %(questions)s: the question cannot be removed while they "
                    "are open. Decline that change now, or wait until they are done."
                )
                % {"questions": ", ".join(f"“{k}” ({n})" for k, n in answered.items())},
            )
    mapped_steps = {s.order: s.agency for s in service.steps.select_related("agency")}
    with transaction.atomic():
        # Two tabs deciding the same source version: the second finds it decided, under the row lock.
        decided = (
            Service.objects.select_for_update().filter(pk=service.pk).values_list("upstream_version", flat=True).first()
        )
        if decided == latest.pk:
            raise CatalogError("no_upstream", _("These changes were decided meanwhile: look at the service anew."))
        for change in taken:
            _apply_item(service, change, mapped_steps)
        category_added = (
            _category_adopt(service.region, service.category, source) if "scalar:category" in accepted else None
        )
        service.upstream_version = latest
        service.full_clean()
        service.save()
        audit_record(
            actor=actor,
            action="service.upstream_apply",
            obj=service,
            region=service.region,
            changes={
                "source_version": latest.number,
                "accepted": [c.key for c in taken],
                "declined": [c.key for c in changes if c.key not in accepted],
                "category_added": category_added,
            },
        )
        if service.is_published:
            _version_create(
                actor=actor, service=service, note=_("Changes of the source's version %(n)s") % {"n": latest.number}
            )
    return service


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
        if service.is_published:
            _version_create(actor=actor, service=service, note="")

"""Writes of the innovation library: entries, their evidence, adoption from another region (with lineage) and the
saved versions of the roadmap. Each in one transaction with its audit entry."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.innovation.iid import iid_model
from gerai.innovation.models import GOALS, INDICATORS, Evidence, Innovation, RoadmapPlan
from gerai.lib.files import FileRejected, checked_pdf, rejection_message, sniff

EVIDENCE_KINDS = ["pdf"]  # evidence is a document: a regulation, an SK, a report, minutes

#: fields an entry's form may set
FIELDS = (
    "name",
    "form",
    "affair",
    "is_digital",
    "stage",
    "started_on",
    "problem",
    "approach",
    "benefit",
    "indicators",
    "goal_scores",
    "capex_rupiah",
    "opex_rupiah",
    "cost_source",
    "staff_needed",
    "infrastructure",
    "must",
    "is_published",
)


class InnovationError(DomainError):
    status = 422


def pdf_is_passive(data: bytes) -> bool:
    """True when the PDF reads and carries no active content, by the platform's one rule for uploaded PDFs
    (gerai.lib.files.checked_pdf: JavaScript, open and page actions, launches, embedded files, XFA, form
    submission); evidence is a document to read, never a program."""
    try:
        checked_pdf(data)
    except FileRejected:
        return False
    return True


def active_pdf_message(name: str) -> str:
    return _(
        "%(name)s: the PDF cannot be read, or it contains scripts, attached files or actions. "
        "Print it to a new PDF and upload that."
    ) % {"name": name}


def _clean(data: dict) -> dict:
    out = {key: data[key] for key in FIELDS if key in data}
    if "indicators" in out:
        out["indicators"] = [key for key in out["indicators"] if key in INDICATORS]
    if "goal_scores" in out:
        out["goal_scores"] = {
            goal: max(0, min(10, int(score))) for goal, score in out["goal_scores"].items() if goal in GOALS
        }
    if (out.get("capex_rupiah") or out.get("opex_rupiah")) and not (out.get("cost_source") or "").strip():
        raise InnovationError("cost_source_missing", _("Say where the cost estimate comes from."), field="cost_source")
    return out


def _relations(innovation: Innovation, prerequisites, excludes, services) -> None:
    region_id = innovation.region_id
    if prerequisites is not None:
        prerequisites = [p for p in prerequisites if p.region_id == region_id and p.pk != innovation.pk]
        innovation.prerequisites.set(prerequisites)
    if excludes is not None:
        innovation.excludes.set([e for e in excludes if e.region_id == region_id and e.pk != innovation.pk])
    if services is not None:
        innovation.services.set([s for s in services if s.region_id == region_id])


def innovation_create(
    *, actor: Actor, region, kind: str, data: dict, prerequisites=None, excludes=None, services=None
) -> Innovation:
    with transaction.atomic():
        innovation = Innovation.objects.create(region=region, kind=kind, **_clean(data))
        _relations(innovation, prerequisites, excludes, services)
        audit_record(
            actor=actor, action="innovation.create", obj=innovation, region=region, changes={"name": innovation.name}
        )
    return innovation


def innovation_update(
    *, actor: Actor, innovation: Innovation, data: dict, prerequisites=None, excludes=None, services=None
) -> Innovation:
    with transaction.atomic():
        changes = _clean(data)
        before = {key: getattr(innovation, key) for key in changes}
        for key, value in changes.items():
            setattr(innovation, key, value)
        innovation.updated_at = timezone.now()
        innovation.save()
        _relations(innovation, prerequisites, excludes, services)
        changed = {key: str(changes[key]) for key in changes if before[key] != changes[key]}
        audit_record(actor=actor, action="innovation.update", obj=innovation, region=innovation.region, changes=changed)
    return innovation


def innovation_delete(*, actor: Actor, innovation: Innovation) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="innovation.delete",
            obj=innovation,
            region=innovation.region,
            changes={"name": innovation.name},
        )
        innovation.delete()


def innovation_adopt(*, actor: Actor, source: Innovation, region) -> Innovation:
    """Put another region's innovation among this region's candidates, with lineage. Its costs, staff and goal
    scores come along as a first estimate (the source says where from); its prerequisites become this region's
    candidates' prerequisites when those were adopted too. Its services are not copied here: the catalog's own
    adoption page does that."""
    if source.region_id == region.pk:
        raise InnovationError("own_innovation", _("This innovation is already your region's."))
    if source.kind != Innovation.Kind.OWN or not source.is_published:
        raise InnovationError("not_adoptable", _("Only a published innovation of another region can be adopted."))
    existing = Innovation.objects.filter(region=region, adopted_from=source).first()
    if existing is not None:
        raise InnovationError(
            "already_adopted", _("Your region already has this innovation as “%(name)s”.") % {"name": existing.name}
        )
    try:
        return _adopt(actor, source, region)
    except IntegrityError:  # adopted meanwhile (another tab): the unique constraint held
        raise InnovationError("already_adopted", _("Your region has just adopted this innovation.")) from None


def _adopt(actor: Actor, source: Innovation, region) -> Innovation:
    with transaction.atomic():
        data = {key: getattr(source, key) for key in FIELDS if key not in ("must", "is_published")}
        data["stage"] = Innovation.Stage.INITIATIVE
        data["started_on"] = None
        data["cost_source"] = _("Estimate copied from %(region)s: %(source)s") % {
            "region": source.region.name,
            "source": source.cost_source or _("no source given"),
        }
        data["cost_source"] = data["cost_source"][:200]
        candidate = Innovation.objects.create(
            region=region,
            kind=Innovation.Kind.CANDIDATE,
            adopted_from=source,
            adopted_at=timezone.now(),
            is_published=False,
            **data,
        )
        candidate.prerequisites.set(
            Innovation.objects.filter(region=region, adopted_from__in=source.prerequisites.all())
        )
        for later in Innovation.objects.filter(region=region, adopted_from__prerequisites=source):
            later.prerequisites.add(candidate)
        audit_record(
            actor=actor,
            action="innovation.adopt",
            obj=candidate,
            region=region,
            changes={"from": source.code, "from_region": source.region.slug},
        )
    return candidate


def evidence_add(
    *, actor: Actor, region, innovation: Innovation | None, indicator: str, level: int, title: str, upload
) -> Evidence:
    """A document behind an IID indicator: refused unless it is really a PDF (by its bytes, not its name)."""
    model = iid_model(timezone.localdate(timezone=region.zone).year)
    keys = {i.key: i for i in model.indicators}
    wanted = "sid" if innovation is not None else "spd"
    if indicator not in keys or keys[indicator].aspect != wanted:
        raise InnovationError("unknown_indicator", _("Choose one of the index's indicators."), field="indicator")
    if not 1 <= level <= 3:
        raise InnovationError("bad_level", _("The level is 1, 2 or 3."), field="level")
    upload.seek(0)
    data = upload.read(settings.GERAI_MAX_UPLOAD_BYTES + 1)
    try:
        sniffed = sniff(
            data[:262],
            name=upload.name or "",
            allowed=EVIDENCE_KINDS,
            size=len(data),
            max_size=settings.GERAI_MAX_UPLOAD_BYTES,
        )
    except FileRejected as exc:
        message = rejection_message(
            exc, name=(upload.name or "?")[:60], allowed=EVIDENCE_KINDS, max_size=settings.GERAI_MAX_UPLOAD_BYTES
        )
        raise InnovationError("file_rejected", message, field="file") from None
    if not pdf_is_passive(data):
        raise InnovationError("active_content", active_pdf_message((upload.name or "?")[:60]), field="file")
    with transaction.atomic():
        evidence = Evidence(
            region=region,
            innovation=innovation,
            model_year=model.year,
            indicator=indicator,
            level=level,
            title=title.strip()[:200] or indicator,
            content_type=sniffed.mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor.user,
        )
        evidence.file.save(f"{evidence.code}.pdf", ContentFile(data), save=False)
        evidence.save()
        audit_record(
            actor=actor,
            action="innovation.evidence_add",
            obj=evidence,
            region=region,
            changes={"indicator": indicator, "level": level, "innovation": innovation.code if innovation else ""},
        )
    return evidence


def evidence_delete(*, actor: Actor, evidence: Evidence) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="innovation.evidence_delete",
            obj=evidence,
            region=evidence.region,
            changes={"indicator": evidence.indicator},
        )
        evidence.file.delete(save=False)
        evidence.delete()


def plan_save(*, actor: Actor, region, inputs: dict, result: dict, title: str = "") -> RoadmapPlan:
    """A new version of the region's roadmap (versions are never edited)."""
    with transaction.atomic():
        # Lock the latest version (no aggregate: PostgreSQL refuses FOR UPDATE with one); two first versions at
        # once meet the unique constraint instead.
        last = (
            RoadmapPlan.objects.filter(region=region)
            .order_by("-version")
            .select_for_update()
            .values_list("version", flat=True)
            .first()
        ) or 0
        plan = RoadmapPlan.objects.create(
            region=region,
            version=last + 1,
            title=title.strip()[:150],
            inputs=inputs,
            result=result,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="innovation.plan_save",
            obj=plan,
            region=region,
            changes={"version": plan.version, "status": result.get("status", "")},
        )
    return plan

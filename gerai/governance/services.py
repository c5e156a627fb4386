"""Writes of governance assessments, IKU and published results (docs/governance.md). Each runs in one
transaction with its audit entry, asks gerai/governance/policy.py whether the actor may, and re-reads the
sheet under a row lock so that a sheet locked meanwhile refuses the write. Every write to a sheet recomputes
its index (gerai/governance/scoring.py) and bumps its version."""

import hashlib
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.governance import scoring
from gerai.governance.frameworks import Framework, framework_get, plain
from gerai.governance.models import Answer, Assessment, Evidence, PerformanceIndicator, PublishedResult
from gerai.governance.policy import Act, may, may_edit_iku, standing_of
from gerai.governance.sources import Figure
from gerai.innovation.services import active_pdf_message, pdf_is_passive
from gerai.lib.codes import reference
from gerai.lib.files import FileRejected, rejection_message, sniff

EVIDENCE_TYPES = ["pdf", "jpg", "png"]  # documents and their scans
FIRST_YEAR = 2018  # Perpres 95/2018
NOT_ALLOWED = gettext_lazy("You may not do that to this assessment now.")
LOCKED = gettext_lazy("This year's assessment is locked. A reviewer can reopen it, giving a reason.")


class GovernanceError(DomainError):
    status = 422
    statuses = {"forbidden": 403, "locked": 409, "not_found": 404}


def _framework(assessment: Assessment) -> Framework:
    framework = framework_get(assessment.framework)
    if framework is None:
        raise GovernanceError("unknown_model", _("The index model of this assessment is no longer shipped."))
    return framework


def _check_year(year: int, field: str = "year") -> None:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise GovernanceError(
            "bad_year",
            _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last},
            field=field,
        )


def assessment_start(*, actor: Actor, region, framework_code: str, year: int) -> Assessment:
    """A new, empty sheet for a model and year (drafters and reviewers). The same model and year twice is
    refused: there is one sheet per year, reopened when it must change."""
    framework = framework_get(framework_code)
    if framework is None:
        raise GovernanceError("unknown_model", _("Choose one of the index models."), field="framework")
    if not framework.complete:
        raise GovernanceError(
            "incomplete_model",
            _("The indicators of this model are not known yet, so it cannot be assessed. See docs/governance.md."),
            field="framework",
        )
    _check_year(year)
    if not standing_of(actor.user, region).drafter:
        raise GovernanceError("forbidden", NOT_ALLOWED)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                region=region, framework=framework.code, kind=framework.kind, year=year, code=reference()[:12]
            )
            _recompute(assessment, framework)
            audit_record(
                actor=actor,
                action="governance.assessment_start",
                obj=assessment,
                region=region,
                changes={"framework": framework.code, "year": year},
            )
    except IntegrityError:
        raise GovernanceError(
            "exists", _("There is already an assessment of this model for that year."), field="year"
        ) from None
    return assessment


def _locked_for(actor: Actor, assessment: Assessment, act: Act) -> Assessment:
    """The sheet re-read under a row lock, if the actor may do `act` to it in its current status."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not may(standing_of(actor.user, current.region), act, current.status):
        if current.status == Assessment.Status.LOCKED:
            raise GovernanceError("locked", LOCKED)
        raise GovernanceError("forbidden", NOT_ALLOWED)
    return current


def _recompute(assessment: Assessment, framework: Framework) -> None:
    values = {code: value for code, value in assessment.answers.values_list("indicator", "value") if value is not None}
    overall = scoring.result(framework, values).overall
    assessment.score = overall.value
    assessment.predicate = overall.band.name if overall.band else ""
    assessment.version += 1
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["score", "predicate", "version", "updated_at"])


def parse_value(framework: Framework, raw) -> Decimal | None:
    """A typed value checked against the model's scale: None for an empty field, else GovernanceError."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise GovernanceError("bad_value", _("Enter a number."), field="value")
    problem = scoring.value_problem(framework, value)
    if problem and framework.is_maturity:
        raise GovernanceError(
            "bad_level",
            _("A level is a whole number from %(min)s to %(max)s.")
            % {"min": plain(framework.scale_min), "max": plain(framework.scale_max)},
            field="value",
        )
    if problem:
        raise GovernanceError(
            "bad_value",
            _("Enter a percentage from %(min)s to %(max)s, with at most two decimals.")
            % {"min": plain(framework.scale_min), "max": plain(framework.scale_max)},
            field="value",
        )
    return value


def _answer_for(assessment: Assessment, framework: Framework, indicator: str) -> Answer:
    if framework.indicator(indicator) is None:
        raise GovernanceError("not_found", _("That indicator is not part of this model."), field="indicator")
    answer, _created = Answer.objects.get_or_create(assessment=assessment, indicator=indicator)
    return answer


def answer_save(*, actor: Actor, assessment: Assessment, indicator: str, value, justification: str) -> Answer:
    """Set an indicator's value (a level 0–5, or the LKE's percentage) and justification."""
    framework = _framework(assessment)
    parsed = parse_value(framework, value)
    if len(justification) > 4000:
        raise GovernanceError(
            "too_long", _("Write the justification in at most 4,000 characters."), field="justification"
        )
    with transaction.atomic():
        current = _locked_for(actor, assessment, Act.EDIT)
        answer = _answer_for(current, framework, indicator)
        before = {"value": str(answer.value) if answer.value is not None else None}
        answer.value, answer.justification = parsed, justification.strip()
        if answer.decision == Answer.Decision.ACCEPTED and answer.live_figure is not None:
            answer.decision = ""  # edited by hand after accepting: no longer the accepted proposal
        answer.updated_by, answer.updated_at = actor.user, timezone.now()
        answer.save()
        _recompute(current, framework)
        audit_record(
            actor=actor,
            action="governance.answer_save",
            obj=current,
            region=current.region,
            changes={"indicator": indicator, "value": [before["value"], str(parsed) if parsed is not None else None]},
        )
    return answer


def proposal_decide(
    *, actor: Actor, assessment: Assessment, indicator: str, figure: Figure, value=None, reason: str = ""
) -> Answer:
    """Accept Gerai's proposal for an indicator (value None) or override it with another value and a
    reason. The figure, its period and its page are kept with the answer."""
    framework = _framework(assessment)
    overriding = value is not None and str(value).strip() != ""
    if overriding:
        parsed = parse_value(framework, value)
        reason = reason.strip()
        if not reason:
            raise GovernanceError("reason_required", _("Say why you override the proposal."), field="reason")
    else:
        parsed = figure.proposed_level if framework.is_maturity else figure.value
        if parsed is None:
            raise GovernanceError("no_proposal", _("There is no figure to propose a value from yet."))
    with transaction.atomic():
        current = _locked_for(actor, assessment, Act.DECIDE)
        answer = _answer_for(current, framework, indicator)
        answer.value = parsed
        answer.decision = Answer.Decision.OVERRIDDEN if overriding else Answer.Decision.ACCEPTED
        answer.decision_reason = reason[:500] if overriding else ""
        answer.live_source, answer.live_figure = figure.source, figure.value
        answer.live_period, answer.live_url = figure.period, figure.url
        if not answer.justification:
            answer.justification = f"{figure.label}: {figure.value} % ({figure.detail}, {figure.period})"
        answer.updated_by, answer.updated_at = actor.user, timezone.now()
        answer.save()
        _recompute(current, framework)
        audit_record(
            actor=actor,
            action="governance.proposal_" + ("override" if overriding else "accept"),
            obj=current,
            region=current.region,
            changes={"indicator": indicator, "figure": str(figure.value), "value": str(parsed), "reason": reason},
        )
    return answer


def evidence_attach(*, actor: Actor, assessment: Assessment, indicator: str, upload) -> Evidence:
    """Keep a document behind an answer, after checking by its bytes that it is a PDF or a scan."""
    framework = _framework(assessment)
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    name = (upload.name or "bukti")[-150:]
    try:
        sniffed = sniff(
            head, name=name, allowed=EVIDENCE_TYPES, size=upload.size, max_size=settings.GERAI_MAX_UPLOAD_BYTES
        )
    except FileRejected as exc:
        message = rejection_message(
            exc, name=name[:60], allowed=EVIDENCE_TYPES, max_size=settings.GERAI_MAX_UPLOAD_BYTES
        )
        raise GovernanceError("file_rejected", message, field="file") from None
    if sniffed.kind == "pdf":
        data = upload.read()
        upload.seek(0)
        if not pdf_is_passive(data):
            raise GovernanceError("active_content", active_pdf_message(name[:60]), field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        current = _locked_for(actor, assessment, Act.EDIT)
        answer = _answer_for(current, framework, indicator)
        evidence = Evidence(
            answer=answer,
            code=reference(),
            name=name,
            content_type=sniffed.mime,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor.user,
        )
        evidence.file.save("bukti", upload, save=False)
        evidence.save()
        _recompute(current, framework)
        audit_record(
            actor=actor,
            action="governance.evidence_attach",
            obj=current,
            region=current.region,
            changes={"indicator": indicator, "file": name, "sha256": evidence.sha256},
        )
    return evidence


_TRANSITIONS = {
    Act.SUBMIT: Assessment.Status.REVIEW,
    Act.RETURN: Assessment.Status.DRAFT,
    Act.LOCK: Assessment.Status.LOCKED,
    Act.REOPEN: Assessment.Status.DRAFT,
}


def assessment_transition(*, actor: Actor, assessment: Assessment, act: Act, reason: str = "") -> Assessment:
    """Move a sheet on: submit to review, return to draft, lock, or reopen (with a reason)."""
    if act not in _TRANSITIONS:
        raise GovernanceError("forbidden", NOT_ALLOWED)
    reason = reason.strip()
    if act is Act.REOPEN and not reason:
        raise GovernanceError("reason_required", _("Say why the locked year is reopened."), field="reason")
    with transaction.atomic():
        current = _locked_for(actor, assessment, act) if act is not Act.REOPEN else _reopenable(actor, assessment)
        before = current.status
        current.status = _TRANSITIONS[act]
        current.locked_at = timezone.now() if act is Act.LOCK else current.locked_at
        if act is Act.REOPEN:
            current.reopen_reason = reason[:500]
            current.locked_at = None
        current.version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=["status", "locked_at", "reopen_reason", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=f"governance.assessment_{act.value}",
            obj=current,
            region=current.region,
            changes={"status": [before, current.status], **({"reason": reason} if reason else {})},
        )
    return current


def _reopenable(actor: Actor, assessment: Assessment) -> Assessment:
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not may(standing_of(actor.user, current.region), Act.REOPEN, current.status):
        raise GovernanceError("forbidden", NOT_ALLOWED)
    return current


# --- performance indicators (IKU) ------------------------------------------------------------------------


def _iku_year_locked(region, year: int) -> bool:
    return Assessment.objects.filter(region=region, kind="sakip", year=year, status=Assessment.Status.LOCKED).exists()


def _decimal_field(raw, field: str) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise GovernanceError("bad_value", _("Enter a number."), field=field)
    return value.quantize(Decimal("0.01"))


def iku_save(
    *,
    actor: Actor,
    region,
    agency,
    year: int,
    name: str,
    unit: str = "",
    direction: str = PerformanceIndicator.Direction.HIGHER,
    target=None,
    realisation=None,
    live_source: str = "",
    iku: PerformanceIndicator | None = None,
) -> PerformanceIndicator:
    """Create or change an agency's IKU for a year. A realisation needs a target; a year whose SAKIP sheet is
    locked cannot change."""
    _check_year(year)
    name = name.strip()
    if not name:
        raise GovernanceError("name_required", _("Name the indicator."), field="name")
    if agency.region_id != region.pk:
        raise GovernanceError("not_found", _("Choose an agency of this region."), field="agency")
    if direction not in PerformanceIndicator.Direction.values:
        raise GovernanceError("bad_direction", _("Choose which way is better."), field="direction")
    parsed_target, parsed_real = _decimal_field(target, "target"), _decimal_field(realisation, "realisation")
    if parsed_real is not None and parsed_target is None:
        raise GovernanceError("target_required", _("Set a target before entering a realisation."), field="target")
    standing = standing_of(actor.user, region)
    if not may_edit_iku(standing, agency.pk) or (iku is not None and not may_edit_iku(standing, iku.agency_id)):
        raise GovernanceError("forbidden", _("You may change only your own agency's indicators."), field="agency")
    with transaction.atomic():
        if _iku_year_locked(region, year) or (iku is not None and _iku_year_locked(region, iku.year)):
            raise GovernanceError("locked", LOCKED)
        row = iku or PerformanceIndicator(region=region, code=reference()[:12])
        before = {"target": str(row.target), "realisation": str(row.realisation)} if iku else {}
        row.agency, row.year, row.name, row.unit, row.direction = agency, year, name[:200], unit.strip()[:30], direction
        row.target, row.realisation = parsed_target, parsed_real
        row.live_source = live_source if live_source in ("", "ikm") else ""
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            actor=actor,
            action="governance.iku_save",
            obj=row,
            region=region,
            changes={"before": before, "target": str(parsed_target), "realisation": str(parsed_real)},
        )
    return row


def iku_proposal_decide(
    *, actor: Actor, iku: PerformanceIndicator, figure: Figure, value=None, reason: str = ""
) -> PerformanceIndicator:
    """Take the agency's measured figure (its IKM) as the realisation, or override it with a reason
    (reviewers only)."""
    if not standing_of(actor.user, iku.region).reviewer:
        raise GovernanceError("forbidden", NOT_ALLOWED)
    overriding = value is not None and str(value).strip() != ""
    realisation = _decimal_field(value, "realisation") if overriding else figure.value
    if realisation is None:
        raise GovernanceError("no_proposal", _("There is no figure to propose a value from yet."))
    if overriding and not reason.strip():
        raise GovernanceError("reason_required", _("Say why you override the proposal."), field="reason")
    if iku.target is None:
        raise GovernanceError("target_required", _("Set a target before entering a realisation."), field="target")
    with transaction.atomic():
        if _iku_year_locked(iku.region, iku.year):
            raise GovernanceError("locked", LOCKED)
        iku.realisation = realisation
        iku.decision = Answer.Decision.OVERRIDDEN if overriding else Answer.Decision.ACCEPTED
        iku.decision_reason = reason.strip()[:500] if overriding else ""
        iku.live_figure, iku.live_period = figure.value, figure.period
        iku.updated_at = timezone.now()
        iku.save()
        audit_record(
            actor=actor,
            action="governance.iku_proposal_" + ("override" if overriding else "accept"),
            obj=iku,
            region=iku.region,
            changes={"figure": str(figure.value), "realisation": str(realisation), "reason": reason.strip()},
        )
    return iku


# --- published results ------------------------------------------------------------------------------------


def published_record(
    *, actor: Actor, region, kind: str, year: int, value=None, predicate: str = "", source: str, source_url: str = ""
) -> PublishedResult:
    """Record (or correct) an official result as the evaluator published it, with where."""
    if kind not in PublishedResult.Kind.values:
        raise GovernanceError("bad_kind", _("Choose which index was published."), field="kind")
    _check_year(year)
    if not standing_of(actor.user, region).reviewer:
        raise GovernanceError("forbidden", NOT_ALLOWED)
    parsed = _decimal_field(value, "value")
    if parsed is None and not predicate.strip():
        raise GovernanceError("value_required", _("Give the published score, its predicate or both."), field="value")
    if not source.strip():
        raise GovernanceError("source_required", _("Say where the result was published."), field="source")
    with transaction.atomic():
        row, created = PublishedResult.objects.update_or_create(
            region=region,
            kind=kind,
            year=year,
            defaults={
                "value": parsed,
                "predicate": predicate.strip()[:40],
                "source": source.strip()[:300],
                "source_url": source_url.strip()[:300],
                "recorded_by": actor.user,
                "created_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="governance.published_record",
            obj=row,
            region=region,
            changes={"kind": kind, "year": year, "value": str(parsed), "predicate": predicate, "new": created},
        )
    return row

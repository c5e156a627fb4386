"""Every change to an application. Each transition compare-and-sets on the row's version, so two
officers acting at once cannot both win; appends a timeline event; records an audit entry; and
queues the citizen's notification, all in one transaction."""

import copy
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from gerai.accounts.identifiers import mask_email, mask_phone
from gerai.accounts.models import StaffRole, User, login_key, phone_index
from gerai.applications import messages
from gerai.applications.forms import answer_form, answers_as_data
from gerai.applications.models import (
    ACTIONABLE_STATUSES,
    FINAL_STATUSES,
    QUEUE_STATUSES,
    Application,
    ApplicationDocument,
    CounterConsent,
    CounterFiling,
    Status,
    TimelineEvent,
)
from gerai.applications.policy import can_act, can_assign, can_file_for_others
from gerai.audit.services import audit_record
from gerai.catalog.models import DocumentRequirement, FormField, Service, ServiceVersion, WorkflowStep
from gerai.catalog.selectors import service_definition
from gerai.catalog.workflow import Filed, Step, filed_under
from gerai.core import events
from gerai.core.actors import Actor
from gerai.core.cas import Conflict, StateNotAllowed, compare_and_set
from gerai.core.errors import DomainError
from gerai.documents.services import document_sign_step
from gerai.documents.signing import SigningError
from gerai.lib import codes
from gerai.lib import nik as nik_lib
from gerai.lib.files import FileRejected, proven, rejection_message, sniff
from gerai.notifications.services import notify_address
from gerai.regions.calendar import RegionCalendar
from gerai.regions.models import Agency, Region
from gerai.regions.selectors import routing_table, village_get


class ApplicationError(DomainError):
    """A refused action, with a stable code (for the API) and a message in the user's language; the API answers
    400 unless the code is one of these."""

    statuses = {
        "conflict": 409,
        "forbidden": 404,
        "invalid_state": 409,
        "incomplete": 422,
        "file_rejected": 422,
        "duplicate": 409,
        "not_found": 404,
        "invalid_answers": 422,
        "not_published": 404,
        "invalid_agency": 422,
        "invalid_assignee": 422,
    }


CONFLICT = gettext_lazy(
    "Someone else has just changed this application. The page now shows its current state; check it and try again."
)
NOT_ALLOWED = gettext_lazy("You cannot do this with this application now.")

# --- helpers ---------------------------------------------------------------------------------


def _cas(application: Application, *, allowed: tuple, **fields) -> Application:
    """Compare-and-set (gerai.core.cas): apply `fields` only if nobody changed the row since it was read.
    The SLA sweep flags an overdue application without a new version (an officer acting at that moment
    is no conflict); the counters must know which state they are leaving."""
    try:
        return compare_and_set(
            application, kind="application", allowed=allowed, flags=("overdue_notified_at",), **fields
        )
    except StateNotAllowed:
        raise ApplicationError("invalid_state", NOT_ALLOWED) from None
    except Conflict:
        raise ApplicationError("conflict", CONFLICT) from None


def _event(application, actor: Actor, kind, *, message="", internal=False, step=None, agency=None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        application=application,
        actor=actor.user,
        kind=kind,
        message=message,
        internal=internal,
        step_name=step.name if step else application.step_name,
        agency_id=agency.pk if agency is not None else application.current_agency_id,
    )


def _audit(actor: Actor, action: str, application: Application, **changes) -> None:
    audit_record(
        actor=actor,
        action=f"application.{action}",
        obj=application,
        region=application.region,
        changes=changes,
    )


def _notify(application: Application, kind: str) -> None:
    messages.notify_application_event(application=application, kind=kind)


def _resolve_agency_id(application: Application, step: Step, filed: Filed | None = None) -> int:
    """Which office holds this step: a fixed agency, or the office of the applicant's desa or kecamatan
    (falling back to the kecamatan office, then to the owner agency of the version it was filed under)."""
    if step.routing == WorkflowStep.Routing.FIXED and step.agency_id:
        return step.agency_id
    if application.desa_id:
        table = routing_table(application.region_id)
        kecamatan = table["parent"].get(application.desa_id)
        candidates = [table["desa"].get(application.desa_id)] if step.routing == WorkflowStep.Routing.DESA else []
        for office in [*candidates, table["kecamatan"].get(kecamatan)]:
            if office:
                return office
    return (filed or filed_under(application)).owner_agency_id


def _enter_step_fields(application: Application, step: Step | None, filed: Filed | None = None) -> dict:
    if step is None:
        return {"step_order": None, "step_name": "", "current_agency_id": None, "assignee": None}
    return {
        "step_order": step.order,
        "step_name": step.name,
        "current_agency_id": _resolve_agency_id(application, step, filed),
        "assignee": None,
    }


def _calendar(application) -> RegionCalendar:
    return RegionCalendar(application.region)


# --- the citizen's side ------------------------------------------------------------------------


def application_start(*, actor: Actor, service: Service, applicant: User, assisted: bool = False) -> Application:
    if not service.is_published:
        raise ApplicationError("not_published", _("This service is not open for applications."))
    with transaction.atomic(), events.batched():
        profile = getattr(applicant, "citizen", None)
        application = Application.objects.create(
            region=service.region,
            service=service,
            applicant=applicant,
            created_by=actor.user or applicant,
            assisted=assisted,
            desa=profile.desa if profile and profile.desa and profile.desa.region_id == service.region_id else None,
        )
        _event(application, actor, TimelineEvent.Kind.CREATED, internal=True)
        _audit(actor, "start", application, service=service.slug, assisted=assisted)
    return application


def application_save_answers(*, actor: Actor, application: Application, fields: list[FormField], data) -> dict:
    """Validate one page of answers and keep them. Returns the form errors ({} when saved).
    Answers already given on other pages are never touched."""
    if application.status not in (Status.DRAFT, Status.NEEDS_CORRECTION):
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    form = answer_form(fields, application.region, data=data)
    if not form.is_valid():
        return form.errors
    new_answers = form.answers()
    keys = {f.key for f in fields}
    merged = {k: v for k, v in application.answers.items() if k not in keys} | new_answers
    desa_field = next((f for f in fields if f.kind == FormField.Kind.DESA), None)
    changes: dict[str, Any] = {"answers": merged}
    if desa_field and new_answers.get(desa_field.key):
        changes["desa"] = village_get(application.region, new_answers[desa_field.key])
    with transaction.atomic(), events.batched():
        _cas(application, allowed=(Status.DRAFT, Status.NEEDS_CORRECTION), **changes)
        _audit(actor, "save_answers", application, fields=sorted(new_answers))
    return {}


def _check_upload(requirement: DocumentRequirement, upload) -> tuple:
    """The upload's real MIME type, SHA-256 and the file to store (a picture re-encoded, a PDF parsed and
    free of active content), or ApplicationError('file_rejected') in plain words."""
    max_bytes = min(requirement.max_size_kb * 1024, settings.GERAI_MAX_UPLOAD_BYTES)
    return _checked_file(upload, allowed=requirement.allowed_types, max_bytes=max_bytes, label=requirement.label)


def _checked_file(upload, *, allowed: list[str], max_bytes: int, label: str) -> tuple[str, str, ContentFile]:
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    try:
        sniffed = sniff(head, name=upload.name or "", allowed=allowed, size=upload.size, max_size=max_bytes)
        data = proven(upload.read(max_bytes + 1), sniffed.kind)
    except FileRejected as exc:
        message = rejection_message(exc, name=label, allowed=allowed, max_size=max_bytes)
        raise ApplicationError("file_rejected", message) from None
    return sniffed.mime, hashlib.sha256(data).hexdigest(), ContentFile(data, name=upload.name or "upload")


def _store_document(actor: Actor, application, requirement, upload, mime: str, sha256: str) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        original_name=(upload.name or "dokumen")[-200:],
        content_type=mime,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor.user,
    )
    upload.seek(0)
    document.file.save("upload", upload, save=False)
    document.save()
    return document


def application_attach_document(*, actor: Actor, application: Application, requirement: DocumentRequirement, upload):
    """Store an upload after checking its bytes. Raises ApplicationError('file_rejected')."""
    if application.status not in (Status.DRAFT, Status.NEEDS_CORRECTION):
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    if requirement.service_id != application.service_id:
        raise ApplicationError("not_found", _("That document is not part of this service."))
    mime, sha256, upload = _check_upload(requirement, upload)
    with transaction.atomic(), events.batched():
        _cas(application, allowed=(Status.DRAFT, Status.NEEDS_CORRECTION))
        application.documents.filter(requirement=requirement, is_current=True).update(is_current=False)
        document = _store_document(actor, application, requirement, upload, mime, sha256)
        _audit(actor, "attach_document", application, requirement=requirement.key, sha256=sha256)
    return document


def _cleaned_answers(service: Service, pages, answers: dict) -> dict:
    """Every page's answers checked as the form pages check them, or ApplicationError('invalid_answers')
    with the messages of every field."""
    cleaned: dict = {}
    errors: dict = {}
    for fields in pages:
        form = answer_form(fields, service.region, data=answers_as_data(answers, fields))
        if form.is_valid():
            cleaned |= form.answers()
        else:
            errors |= {key: [str(text) for text in texts] for key, texts in form.errors.items()}
    if errors:
        raise ApplicationError("invalid_answers", _("Some answers are not valid."), details=errors)
    return cleaned


def _checked_uploads(requirements, uploads: dict) -> list[tuple]:
    """(requirement, proven file, MIME type, SHA-256) for each upload, or ApplicationError when a file is
    refused ('file_rejected') or a required one is missing ('incomplete')."""
    checked, missing = [], []
    for requirement in requirements:
        upload = uploads.get(requirement.key)
        if upload is not None:
            mime, sha256, stored = _check_upload(requirement, upload)
            checked.append((requirement, stored, mime, sha256))
        elif requirement.required:
            missing.append(_("Upload: %(document)s") % {"document": requirement.label})
    if missing:
        raise ApplicationError("incomplete", "; ".join(missing))
    return checked


def _filed_desa_id(service: Service, pages, cleaned: dict, applicant: User) -> str | None:
    """The desa the answers name (already checked against the region's villages), else the applicant's
    own when it lies in the service's region."""
    desa_key = next((f.key for fields in pages for f in fields if f.kind == FormField.Kind.DESA), None)
    desa_id = cleaned.get(desa_key) if desa_key else None
    profile = getattr(applicant, "citizen", None)
    if not desa_id and profile and profile.desa_id and profile.desa_id.startswith(service.region.code + "."):
        desa_id = profile.desa_id
    return desa_id


def application_file(
    *, actor: Actor, service: Service, applicant: User, answers: dict, uploads: dict, idempotency_key: str | None = None
) -> Application:
    """Validate and submit a whole application at once (the API and integrations): every answer and
    file is checked before anything is written, then one transaction stores it already submitted."""
    if not service.is_published:
        raise ApplicationError("not_published", _("This service is not open for applications."))
    definition = service_definition(service.pk)
    cleaned = _cleaned_answers(service, definition.pages, answers)
    checked = _checked_uploads(definition.documents, uploads)
    desa_id = _filed_desa_id(service, definition.pages, cleaned, applicant)
    now = timezone.now()
    application = Application(
        region=service.region,
        service=service,
        applicant=applicant,
        created_by=actor.user or applicant,
        status=Status.SUBMITTED,
        desa_id=desa_id,
        answers=cleaned,
        submitted_at=now,
        service_version_id=service.current_version_id,
        created_at=now,
        updated_at=now,
        idempotency_key=idempotency_key,
    )
    filed = filed_under(application)
    first_step = filed.first_step()
    if first_step is None:
        raise ApplicationError("no_workflow", _("This service has no workflow yet; contact the region."))
    application.due_at = RegionCalendar(service.region).add_working_days(now, filed.sla_working_days)
    for name, value in _enter_step_fields(application, first_step).items():
        setattr(application, name, value)
    for _attempt in range(3):
        application.tracking_code = codes.tracking_code(service.region.tracking_prefix)
        try:
            with transaction.atomic(), events.batched():
                application.save(force_insert=True)
                events.changed("application", application, None)
                for requirement, upload, mime, sha256 in checked:
                    _store_document(actor, application, requirement, upload, mime, sha256)
                _event(application, actor, TimelineEvent.Kind.SUBMITTED)
                _audit(actor, "file", application, service=service.slug, tracking_code=application.tracking_code)
                _notify(application, "submitted")
            return application
        except IntegrityError:  # a tracking-code clash (one in 10^12), or this request racing itself
            application.pk = None
            if (
                idempotency_key
                and Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).exists()
            ):
                raise ApplicationError("duplicate", _("This request was already received.")) from None
    raise ApplicationError("conflict", CONFLICT)


def application_filed_with(application: Application, answers: dict, uploads: dict) -> bool:
    """Whether a filed application is what this request would file: the same answers once checked, and the same
    file (by SHA-256) for each document, no more, no less. For an Idempotency-Key used before the API kept a
    hash of each request: a retry is answered with the first application, another request under it is refused."""
    definition = service_definition(application.service_id)
    try:
        cleaned = _cleaned_answers(application.service, definition.pages, answers)
    except ApplicationError:
        return False
    documents = {
        d.requirement.key: d.sha256 for d in application.documents.filter(is_current=True).select_related("requirement")
    }
    sent = {}
    for name, upload in uploads.items():
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        sent[name] = digest.hexdigest()
    return cleaned == application.answers and sent == documents


def application_problems(application: Application) -> list[tuple[str, str]]:
    """What is still missing before submission: (anchor, message) pairs."""
    problems = []
    filed = filed_under(application)  # a correction is asked and given under the version it was filed under
    for number, page in enumerate(filed.pages, start=1):
        for field in page:
            if field.required and application.answers.get(field.key) in (None, "", []):
                problems.append((f"page-{number}", _("Answer: %(question)s") % {"question": field.label}))
    uploaded = set(application.documents.filter(is_current=True).values_list("requirement__key", flat=True))
    for requirement in filed.documents:
        if requirement.required and requirement.key not in uploaded:
            problems.append(("documents", _("Upload: %(document)s") % {"document": requirement.label}))
    return problems


def _is_counter_filing(application: Application) -> bool:
    """Filed at a counter for a citizen who may have no account (it has a CounterFiling, or nobody's it yet)."""
    if not application.assisted:
        return False
    return application.applicant_id is None or CounterFiling.objects.filter(application=application).exists()


def application_submit(*, actor: Actor, application: Application, idempotency_key: str | None = None) -> Application:
    """Submit a draft. A second submit of the same draft (double click, retried request) returns
    the already-submitted application instead of failing or making another."""
    if _is_counter_filing(application) and application.status == Status.DRAFT:
        # filed at a counter: sent only from the counter, with the citizen's consent (counter_application_file);
        # an assisted draft of the older flow (for a citizen's account, no counter filing) is sent as before
        raise ApplicationError("consent_needed", _("Record the citizen's consent at the counter to send it."))
    return _submit(actor, application, idempotency_key=idempotency_key)


def _submit(actor: Actor, application: Application, *, idempotency_key: str | None = None, then=None) -> Application:
    """Submit a draft; `then(application)` runs in the same transaction, after the submission is written
    (the counter records the citizen's consent there and sends its own receipt instead of the notice)."""
    if application.status != Status.DRAFT:
        application.refresh_from_db()
        if application.tracking_code:
            return application
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    problems = application_problems(application)
    if problems:
        raise ApplicationError("incomplete", "; ".join(message for _anchor, message in problems))
    # filed under the version citizens file under now: its workflow and time to complete from here on
    current = Service.objects.filter(pk=application.service_id).values("current_version")
    version = ServiceVersion.objects.filter(pk__in=current).first()
    filed = filed_under(application, version)
    first_step = filed.first_step()
    if first_step is None:
        raise ApplicationError("no_workflow", _("This service has no workflow yet; contact the region."))
    now = timezone.now()
    due = _calendar(application).add_working_days(now, filed.sla_working_days)
    with transaction.atomic(), events.batched():
        for _attempt in range(5):
            code = codes.tracking_code(application.region.tracking_prefix)
            if not Application.objects.filter(tracking_code=code).exists():
                break
        try:
            with transaction.atomic():
                _cas(
                    application,
                    allowed=(Status.DRAFT,),
                    status=Status.SUBMITTED,
                    tracking_code=code,
                    submitted_at=now,
                    due_at=due,
                    idempotency_key=idempotency_key,
                    service_version=version,
                    **_enter_step_fields(application, first_step, filed),
                )
        except ApplicationError as exc:
            if exc.code != "conflict":
                raise
            application.refresh_from_db()
            if application.tracking_code:  # the other request was our own double click
                return application
            raise
        except IntegrityError:
            raise ApplicationError("duplicate", _("This request was already received.")) from None
        _event(application, actor, TimelineEvent.Kind.SUBMITTED)
        _audit(actor, "submit", application, tracking_code=code, due_at=due.isoformat())
        if then is None:
            _notify(application, "submitted")
        else:
            then(application)
    return application


def application_resubmit(*, actor: Actor, application: Application, message: str = "") -> Application:
    """The citizen has corrected what was asked: the same step resumes, the SLA clock restarts
    with the working days that were left."""
    problems = application_problems(application)
    if problems:
        raise ApplicationError("incomplete", "; ".join(message for _anchor, message in problems))
    now = timezone.now()
    due = _calendar(application).add_working_days(now, max(application.sla_days_left or 0, 0))
    with transaction.atomic(), events.batched():
        _cas(
            application,
            allowed=(Status.NEEDS_CORRECTION,),
            status=Status.IN_PROCESS,
            due_at=due,
            sla_days_left=None,
            overdue_notified_at=None,
        )
        _event(application, actor, TimelineEvent.Kind.RESUBMITTED, message=message)
        _audit(actor, "resubmit", application, due_at=due.isoformat())
        _notify(application, "resubmitted")
    return application


def application_cancel(*, actor: Actor, application: Application) -> Application:
    allowed = (Status.DRAFT, Status.SUBMITTED, Status.IN_PROCESS, Status.NEEDS_CORRECTION)
    with transaction.atomic(), events.batched():
        _cas(application, allowed=allowed, status=Status.CANCELLED, closed_at=timezone.now(), due_at=None)
        _event(application, actor, TimelineEvent.Kind.CANCELLED)
        _audit(actor, "cancel", application)
        if application.tracking_code:
            _notify(application, "cancelled")
    return application


# --- the officers' side ------------------------------------------------------------------------


def _require_actor(actor: Actor, application: Application) -> User:
    """The acting officer, or ApplicationError('forbidden') when they may not act on this application."""
    if actor.user is None or not can_act(actor.user, application):
        raise ApplicationError("forbidden", NOT_ALLOWED)
    return actor.user


def application_claim(*, actor: Actor, application: Application) -> Application:
    user = _require_actor(actor, application)
    if application.assignee_id == user.pk:
        return application
    with transaction.atomic(), events.batched():
        _cas(application, allowed=ACTIONABLE_STATUSES, assignee=actor.user)
        _event(application, actor, TimelineEvent.Kind.CLAIMED, internal=True)
        _audit(actor, "claim", application)
    return application


def application_assign(*, actor: Actor, application: Application, assignee: User) -> Application:
    if actor.user is None or not can_assign(actor.user, application):
        raise ApplicationError("forbidden", NOT_ALLOWED)
    if not StaffRole.objects.filter(
        user=assignee, region=application.region, agency=application.current_agency
    ).exists():
        raise ApplicationError("invalid_assignee", _("Assign to an officer of the agency that holds this step."))
    with transaction.atomic(), events.batched():
        _cas(application, allowed=ACTIONABLE_STATUSES, assignee=assignee)
        _event(application, actor, TimelineEvent.Kind.ASSIGNED, internal=True, message=assignee.full_name)
        _audit(actor, "assign", application, assignee=assignee.pk)
    return application


def applications_assign_bulk(*, actor: Actor, applications, assignee: User) -> tuple[int, int]:
    """Assign several applications at once (a supervisor sharing out the queue). Each is its own
    compare-and-set with its own audit entry, so one that changed meanwhile is skipped, not overwritten.
    Returns (assigned, skipped)."""
    assigned = skipped = 0
    for application in applications:
        try:
            application_assign(actor=actor, application=application, assignee=assignee)
        except ApplicationError:
            skipped += 1
        else:
            assigned += 1
    return assigned, skipped


def application_complete_step(
    *, actor: Actor, application: Application, message: str = "", passphrase: str = ""
) -> Application:
    """Verify, approve or sign the current step; the next step follows, or the application completes.
    A signing step numbers, renders and signs the service's document in the same transaction: if the
    signature fails, nothing changes (no number is used) and the officer can try again."""
    _require_actor(actor, application)
    step, done_agency = application.current_step, application.current_agency
    if step is None or done_agency is None:  # can_act admits only an application that holds a step and an office
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    next_step = filed_under(application).next_step(step.order)
    now = timezone.now()
    if next_step is None:
        fields = {"status": Status.COMPLETED, "closed_at": now, **_enter_step_fields(application, None)}
    elif step.action == WorkflowStep.Action.APPROVE:
        fields = {"status": Status.APPROVED, **_enter_step_fields(application, next_step)}
    else:
        status = Status.APPROVED if application.status == Status.APPROVED else Status.IN_PROCESS
        fields = {"status": status, **_enter_step_fields(application, next_step)}
    with transaction.atomic(), events.batched():
        _cas(application, allowed=ACTIONABLE_STATUSES, **fields)
        if step.action == WorkflowStep.Action.SIGN:
            _sign_document(actor, application, step, done_agency, passphrase)
        if step.action == WorkflowStep.Action.APPROVE:
            _event(
                application,
                actor,
                TimelineEvent.Kind.APPROVED,
                step=step,
                agency=done_agency,
                message=message,
            )
        else:
            _event(
                application,
                actor,
                TimelineEvent.Kind.SIGNED if step.action == WorkflowStep.Action.SIGN else TimelineEvent.Kind.STEP_DONE,
                step=step,
                agency=done_agency,
                message=message,
            )
        if application.status == Status.COMPLETED:
            _event(application, actor, TimelineEvent.Kind.COMPLETED, step=step, agency=done_agency)
        # the surveys app invites the citizen on completion (an event of this audit entry), before the message
        _audit(actor, "complete_step", application, step=step.name, status=application.status)
        _notify(
            application,
            application.status if application.status in (Status.COMPLETED, Status.APPROVED) else "step_done",
        )
    return application


def _sign_document(actor: Actor, application: Application, step: Step, agency: Agency, passphrase: str):
    try:
        document_sign_step(actor=actor, application=application, step=step, agency=agency, passphrase=passphrase)
    except SigningError as exc:
        raise ApplicationError(exc.code, exc.message) from exc


def application_request_correction(*, actor: Actor, application: Application, reason: str) -> Application:
    _require_actor(actor, application)
    if not reason.strip():
        raise ApplicationError("reason_required", _("Give the reason, so the citizen knows what to do."))
    now = timezone.now()
    left = _calendar(application).working_days_left(now, application.due_at) if application.due_at else 0
    with transaction.atomic(), events.batched():
        _cas(
            application,
            allowed=(Status.SUBMITTED, Status.IN_PROCESS),
            status=Status.NEEDS_CORRECTION,
            correction_reason=reason,
            sla_days_left=left,
            due_at=None,
        )
        _event(application, actor, TimelineEvent.Kind.CORRECTION, message=reason)
        _audit(actor, "request_correction", application, sla_days_left=left)
        _notify(application, "needs_correction")
    return application


def application_reject(*, actor: Actor, application: Application, reason: str) -> Application:
    _require_actor(actor, application)
    if not reason.strip():
        raise ApplicationError("reason_required", _("Give the reason, so the citizen knows what to do."))
    with transaction.atomic(), events.batched():
        _cas(
            application,
            allowed=ACTIONABLE_STATUSES,
            status=Status.REJECTED,
            decision_reason=reason,
            closed_at=timezone.now(),
            due_at=None,
        )
        _event(application, actor, TimelineEvent.Kind.REJECTED, message=reason)
        _audit(actor, "reject", application)
        _notify(application, "rejected")
    return application


def application_forward(*, actor: Actor, application: Application, agency: Agency, message: str = "") -> Application:
    """Hand the current step to another agency of the region (wrongly routed, or another office's
    competence). The step and its deadline stay; the other agency's queue takes it."""
    _require_actor(actor, application)
    if agency.region_id != application.region_id or not agency.is_active:
        raise ApplicationError("invalid_agency", _("Choose an agency of this region."))
    if agency.pk == application.current_agency_id:
        raise ApplicationError("invalid_agency", _("The application is already with this agency."))
    with transaction.atomic(), events.batched():
        _cas(application, allowed=ACTIONABLE_STATUSES, current_agency=agency, assignee=None)
        _event(application, actor, TimelineEvent.Kind.FORWARDED, agency=agency, message=message)
        _audit(actor, "forward", application, agency=agency.pk)
    return application


def application_add_note(*, actor: Actor, application: Application, text: str) -> TimelineEvent:
    if actor.user is None or not can_act(actor.user, application):
        raise ApplicationError("forbidden", NOT_ALLOWED)
    with transaction.atomic(), events.batched():
        event = _event(application, actor, TimelineEvent.Kind.NOTE, message=text, internal=True)
        _audit(actor, "note", application)
    return event


def application_remind_overdue(*, actor: Actor, application_id: int) -> bool:
    """Tell the supervisors of the agency holding an overdue application, once per deadline."""
    now = timezone.now()
    with transaction.atomic(), events.batched():
        updated = Application.objects.filter(
            pk=application_id,
            status__in=ACTIONABLE_STATUSES,
            due_at__lt=now,
            overdue_notified_at__isnull=True,
        ).update(overdue_notified_at=now)
        if not updated:
            return False
        application = Application.objects.select_related("region", "current_agency", "service").get(pk=application_id)
        as_it_was = copy.copy(application)
        as_it_was.overdue_notified_at = None  # the counters must know it was not yet flagged
        events.changed("application", application, events.snapshot("application", as_it_was))
        _event(application, actor, TimelineEvent.Kind.REMINDER, internal=True)
        _audit(actor, "remind_overdue", application)
        messages.notify_supervisors_overdue(application=application)
    return True


def is_final(application: Application) -> bool:
    return application.status in FINAL_STATUSES


# --- filing at a counter -------------------------------------------------------------------------
# An officer of a desa, kelurahan, kecamatan or dinas office files for a citizen of the region (NIK
# issued here), or for one standing at the counter with their KTP. No account is looked up: the filing
# belongs to nobody until the citizen claims it with the code printed on the receipt. It is sent only
# with the citizen's consent: a one-time code they receive, or a signed paper form scanned as evidence.

CONSENT_CODE_MINUTES = 10
CONSENT_CODE_ATTEMPTS = 5  # wrong codes per code sent
CONSENT_CODE_SENDS = 3  # codes per filing
CONSENT_SCAN_TYPES = ["pdf", "jpg", "png"]
CLAIM_CODE_LENGTH = 10  # Crockford base-32: 50 bits, behind a throttle
CONSENT_ADDRESS_REUSE_DAYS = 30  # a phone or email confirms consent for one NIK in this many days


class ConsentMethod:
    OTP = "otp"
    PAPER = "paper"


def _keyed_hash(purpose: str, ref: str, value: str) -> str:
    message = f"{purpose}:{ref}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _consent_destination(filing: CounterFiling, channel: str) -> str:
    """The phone or email (as the officer typed it) that a consent code goes to on this channel."""
    return filing.email if channel == "email" else filing.phone


def _destination_hash(destination: str) -> str:
    return _keyed_hash("consent-to", "-", destination.strip().lower())


def _destination_masked(destination: str) -> str:
    return mask_email(destination) if "@" in destination else mask_phone(destination)


def _consent_destination_check(actor: Actor, application: Application, destination: str) -> None:
    """The officer types the address the consent code goes to, so it must plausibly be the citizen's: not
    the acting officer's or any staff account's, and not one that confirmed consent for another NIK in this
    region in the last CONSENT_ADDRESS_REUSE_DAYS days (else the paper form, signed in front of them)."""
    if not destination:
        return
    if "@" in destination:
        owned = Q(email__iexact=destination) | Q(login__iexact=destination)
    else:
        owned = Q(phone_index=phone_index(destination)) | Q(login=login_key("phone", destination))
    owners = User.objects.filter(owned)
    staff = Q(pk=actor.user.pk if actor.user else None) | Q(staff_roles__isnull=False) | Q(is_staff=True)
    if owners.filter(staff).exists():
        raise ApplicationError(
            "staff_address",
            _(
                "That phone number or email belongs to an officer's account. The code must go to the citizen's "
                "own phone or email; otherwise use the signed paper consent form."
            ),
        )
    since = timezone.now() - dt.timedelta(days=CONSENT_ADDRESS_REUSE_DAYS)
    reused = CounterConsent.objects.filter(
        application__region=application.region, destination_hash=_destination_hash(destination), at__gte=since
    ).exclude(application__counter_filing__nik_index=application.counter_filing.nik_index)
    if reused.exists():
        raise ApplicationError(
            "address_reused",
            _(
                "That phone number or email confirmed the consent for another citizen's application in the last "
                "30 days. Send the code to this citizen's own phone or email, or use the signed paper consent form."
            ),
        )


def counter_is_resident(region, nik: str) -> bool:
    """Was this NIK issued in the region (its first four digits are the regency's Kemendagri code)?"""
    return nik_lib.regency_code(nik) == region.code


def counter_filing_start(
    *,
    actor: Actor,
    service: Service,
    nik: str,
    name: str,
    desa,
    phone: str = "",
    email: str = "",
    in_person: bool = False,
) -> Application:
    """Open a draft at the counter for a citizen, who may have no account. `nik` is already validated;
    `desa` is a village of the service's region."""
    region = service.region
    if actor.user is None or not can_file_for_others(actor.user, region):
        raise ApplicationError("not_allowed", NOT_ALLOWED)
    if not service.is_published:
        raise ApplicationError("not_published", _("This service is not open for applications."))
    if desa is None or desa.region_id != region.pk:
        raise ApplicationError("invalid_desa", _("Choose the citizen's desa or kelurahan in this region."))
    resident = counter_is_resident(region, nik)
    if not resident and not in_person:
        raise ApplicationError(
            "not_resident",
            _(
                "This NIK was not issued in %(region)s. You can file only for residents of the region, or for a "
                "citizen who is here at the counter with their KTP (then tick that box)."
            )
            % {"region": region.name},
        )
    with transaction.atomic(), events.batched():
        application = Application.objects.create(
            region=region, service=service, applicant=None, created_by=actor.user, assisted=True, desa=desa
        )
        CounterFiling.objects.create(
            application=application,
            name=name.strip(),
            nik=nik,
            phone=phone,
            email=email,
            in_person=in_person,
        )
        _event(application, actor, TimelineEvent.Kind.CREATED, internal=True)
        _audit(
            actor,
            "counter_start",
            application,
            service=service.slug,
            nik=nik_lib.mask(nik),
            resident=resident,
            in_person=in_person,
        )
    return application


def counter_code_send(*, actor: Actor, application: Application, to: str) -> bool:
    """Send the citizen a one-time consent code, to the phone (`to="phone"`) or the email taken at the
    counter. A new code replaces the last one. False when no channel reaches that address. The filing keeps
    only a keyed hash of the code; the outbox message carries it (in the body, never the subject) until it is
    sent, then the stored body has it blanked out (notifications.ONE_TIME_CODE_EVENTS)."""
    filing = application.counter_filing
    if application.status != Status.DRAFT:
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    if filing.otp_sent_count >= CONSENT_CODE_SENDS:
        raise ApplicationError(
            "too_many_codes", _("Three codes have been sent already. Use a signed paper consent form instead.")
        )
    phone, email = (filing.phone, "") if to == "phone" else ("", filing.email)
    if not (phone or email):
        raise ApplicationError("no_address", _("No phone number or email was taken for the citizen."))
    _consent_destination_check(actor, application, phone or email)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        updated = CounterFiling.objects.filter(pk=filing.pk, otp_sent_count=filing.otp_sent_count).update(
            otp_hash=_keyed_hash("consent", application.ref, code),
            otp_expires_at=timezone.now() + dt.timedelta(minutes=CONSENT_CODE_MINUTES),
            otp_attempts=0,
            otp_sent_count=F("otp_sent_count") + 1,
        )
        if not updated:
            raise ApplicationError("conflict", CONFLICT)
        message = notify_address(
            phone=phone,
            email=email,
            region=application.region,
            event="counter_code",
            template="counter_code",
            context={"code": code, "service": application.service.name, "minutes": CONSENT_CODE_MINUTES},
            subject=(gettext_noop("Your consent code for %(service)s"), {"service": application.service.name}),
        )
        if message is None:
            transaction.set_rollback(True)
            return False
        CounterFiling.objects.filter(pk=filing.pk).update(otp_channel=message.channel)
        _audit(
            actor,
            "counter_code_sent",
            application,
            channel=message.channel,
            to=_destination_masked(phone or email),
            to_hash=_destination_hash(phone or email),
        )
    filing.refresh_from_db()
    return True


def _consent_code_check(application: Application, code: str) -> None:
    """Count one attempt (kept even when the code is wrong), then check the code."""
    filing = application.counter_filing
    if not filing.otp_hash:
        raise ApplicationError("code_needed", _("Send the citizen a code first."))
    counted = CounterFiling.objects.filter(pk=filing.pk, otp_attempts__lt=CONSENT_CODE_ATTEMPTS).update(
        otp_attempts=F("otp_attempts") + 1
    )
    if not counted:
        raise ApplicationError("code_locked", _("Too many wrong codes. Send the citizen a new code."))
    if filing.otp_expires_at is None or filing.otp_expires_at < timezone.now():
        raise ApplicationError("code_expired", _("The code has expired. Send the citizen a new code."))
    given = "".join(ch for ch in code if ch.isdigit())
    if not hmac.compare_digest(filing.otp_hash, _keyed_hash("consent", application.ref, given)):
        raise ApplicationError("code_wrong", _("That code is not right. Check it with the citizen and try again."))


def counter_application_file(
    *, actor: Actor, application: Application, method: str, code: str = "", scan=None
) -> tuple[Application, str]:
    """Send a counter draft with the citizen's consent, recorded (and audited) in the same transaction as
    the submission; the citizen's phone or email gets the tracking code. Returns the application and
    the claim code for the receipt, which is shown once and stored only as a hash."""
    filing = application.counter_filing
    if actor.user is None or application.created_by_id != actor.user.pk or application.status != Status.DRAFT:
        raise ApplicationError("invalid_state", NOT_ALLOWED)
    if method == ConsentMethod.OTP:
        if not counter_is_resident(application.region, filing.nik):
            raise ApplicationError(
                "paper_needed", _("For a citizen from another region, scan their signed paper consent form.")
            )
        destination = _consent_destination(filing, filing.otp_channel)
        _consent_destination_check(actor, application, destination)  # again: another filing may have used it since
        _consent_code_check(application, code)
        mime = sha256 = ""
    elif method == ConsentMethod.PAPER:
        destination = ""
        if scan is None:
            raise ApplicationError("scan_needed", _("Scan the signed consent form and upload it."))
        mime, sha256, scan = _checked_file(
            scan,
            allowed=CONSENT_SCAN_TYPES,
            max_bytes=settings.GERAI_MAX_UPLOAD_BYTES,
            label=_("Signed consent form"),
        )
    else:
        raise ApplicationError("invalid_method", NOT_ALLOWED)
    claim_code = codes.random_symbols(CLAIM_CODE_LENGTH)

    def record(submitted: Application) -> None:
        consent = CounterConsent(
            application=submitted,
            method=method,
            channel=filing.otp_channel if method == ConsentMethod.OTP else "",
            destination_masked=_destination_masked(destination) if destination else "",
            destination_hash=_destination_hash(destination) if destination else "",
            witnessed_by=actor.user,
            evidence_type=mime,
            evidence_size=scan.size if scan is not None else None,
            evidence_sha256=sha256,
        )
        if scan is not None:
            scan.seek(0)
            consent.evidence.save("consent", scan, save=False)
        consent.save()
        CounterFiling.objects.filter(pk=filing.pk).update(
            otp_hash="", claim_hash=_keyed_hash("claim", submitted.ref, claim_code)
        )
        _audit(
            actor,
            "counter_consent",
            submitted,
            method=method,
            channel=consent.channel,
            to=consent.destination_masked,
            to_hash=consent.destination_hash,
            sha256=sha256,
        )
        notify_address(
            phone=filing.phone,
            email=filing.email,
            region=submitted.region,
            event="counter_receipt",
            template="counter_receipt",
            context={
                "application": submitted,
                "track_path": reverse("applications:track", args=[submitted.region.slug]),
            },
            subject=(gettext_noop("Your application %(code)s has been received"), {"code": submitted.tracking_code}),
        )

    return _submit(actor, application, then=record), claim_code


def normalize_claim_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum()).translate(str.maketrans("OILU", "011V"))


def counter_filing_claim(
    *, actor: Actor, user: User, region, tracking_code: str, claim_code: str
) -> Application | None:
    """Attach an application filed at a counter to the citizen's account, given its tracking code and the
    claim code printed on the receipt. Only the citizen it was filed for may claim it: the account's NIK
    must be the one taken at the counter (the officer who filed it knows both codes). None, the same for a
    wrong tracking code, a wrong claim code, another NIK, one already claimed, and one filed without a
    claim code. An account without a NIK is asked to give it first."""
    profile = getattr(user, "citizen", None)
    if profile is None or not profile.nik:
        raise ApplicationError("nik_needed", _("Before you claim an application, give your NIK and personal details."))
    code = codes.normalize_tracking_code(tracking_code)
    filing = (
        CounterFiling.objects.select_related("application__region")
        .filter(application__region=region, application__tracking_code=code, application__applicant__isnull=True)
        .exclude(claim_hash="")
        .first()
    )
    given = _keyed_hash("claim", filing.application.ref if filing else "-", normalize_claim_code(claim_code))
    if filing is None or not hmac.compare_digest(filing.claim_hash, given):
        return None
    if not hmac.compare_digest(filing.nik.encode(), profile.nik.encode()):
        return None
    application = filing.application
    with transaction.atomic(), events.batched():
        now = timezone.now()
        claimed = Application.objects.filter(pk=application.pk, applicant__isnull=True).update(
            applicant=user, version=F("version") + 1, updated_at=now
        )
        if not claimed:
            return None
        CounterFiling.objects.filter(pk=filing.pk).update(claimed_at=now, claim_hash="")
        application.refresh_from_db()
        _audit(actor, "counter_claim", application, tracking_code=application.tracking_code)
    return application


def applications_release_of(*, action: str, obj, region, changes: dict) -> None:
    """A staff member deactivated in a region (accounts' `staff.deactivate`): their open applications there go back
    to their agency's queue, unassigned, in the same transaction."""
    released = Application.objects.filter(region=region, assignee_id=changes.get("user"), status__in=QUEUE_STATUSES)
    released.update(assignee=None, updated_at=timezone.now())


def answered_open_fields(service, keys: list[str]) -> dict[str, int]:
    """How many open applications of the service answered each of these questions (catalog asks before an
    upstream change removes one)."""
    open_answers = Application.objects.filter(service=service, status__in=QUEUE_STATUSES).values_list(
        "answers", flat=True
    )
    counts = dict.fromkeys(keys, 0)
    for answers in open_answers:
        for key in keys:
            if (answers or {}).get(key) not in (None, "", []):
                counts[key] += 1
    return counts


# --- retention the region configures (UU PDP; docs/pdp.md) ------------------------------------------------------

RETENTION_BATCH = 500


def applications_retention_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What each region's retention settings say is no longer needed: drafts never sent and untouched for
    `Region.draft_keep_days` are deleted with their uploads; the evidence and address of a counter consent
    are removed `Region.consent_keep_days` after its application closed (the record that consent was given,
    how and by whom stays, and so does the keyed hash that catches one address confirming for many NIKs).
    A region that set neither keeps everything. At most RETENTION_BATCH of each per region per run."""
    now = now or timezone.now()
    done = {"drafts": 0, "consents": 0}
    for region in Region.objects.filter(Q(draft_keep_days__isnull=False) | Q(consent_keep_days__isnull=False)):
        if region.draft_keep_days is not None:
            done["drafts"] += _drafts_sweep(region, now - dt.timedelta(days=region.draft_keep_days))
        if region.consent_keep_days is not None:
            done["consents"] += _consents_sweep(region, now - dt.timedelta(days=region.consent_keep_days))
    return done


def _remove_files(storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def _drafts_sweep(region: Region, cutoff: dt.datetime) -> int:
    stale = Application.objects.filter(
        region=region,
        status=Status.DRAFT,
        submitted_at__isnull=True,
        updated_at__lt=cutoff,
        issued_documents__isnull=True,  # never so for a draft; a PROTECT here would stop every later run
    )
    ids = list(stale.values_list("pk", flat=True)[:RETENTION_BATCH])
    if not ids:
        return 0
    storage = ApplicationDocument._meta.get_field("file").storage
    with transaction.atomic():
        # the same test again, on locked rows: a draft touched since stays, and so do its files
        ids = list(stale.filter(pk__in=ids).select_for_update(of=("self",)).values_list("pk", flat=True))
        files = list(ApplicationDocument.objects.filter(application_id__in=ids).values_list("file", flat=True))
        _total, per_model = Application.objects.filter(pk__in=ids).delete()
        deleted = per_model.get(Application._meta.label, 0)
        if not deleted:
            return 0  # another worker's sweep (each worker enqueues it every minute) took them meanwhile
        audit_record(
            actor=Actor.system(),
            action="applications.retention_drafts",
            region=region,
            changes={"deleted": deleted, "keep_days": region.draft_keep_days},
        )
        transaction.on_commit(lambda: _remove_files(storage, files))
    return deleted


def _consents_sweep(region: Region, cutoff: dt.datetime) -> int:
    due = CounterConsent.objects.filter(application__region=region, application__closed_at__lt=cutoff).filter(
        ~Q(evidence="") | ~Q(destination_masked="")
    )
    rows = list(due.values_list("pk", "application_id", "evidence")[:RETENTION_BATCH])
    if not rows:
        return 0
    storage = CounterConsent._meta.get_field("evidence").storage
    with transaction.atomic():
        # the test again, on the rows themselves (no join: PostgreSQL rechecks it on a row another worker's sweep,
        # enqueued by each worker every minute, has just cleared), so that they are cleared and audited once
        cleared = (
            CounterConsent.objects.filter(pk__in=[pk for pk, _a, _e in rows])
            .filter(~Q(evidence="") | ~Q(destination_masked=""))
            .update(evidence="", destination_masked="")
        )
        if not cleared:
            return 0
        CounterFiling.objects.filter(application_id__in=[a for _p, a, _e in rows]).update(phone="", email="")
        audit_record(
            actor=Actor.system(),
            action="applications.retention_consents",
            region=region,
            changes={"cleared": cleared, "keep_days": region.consent_keep_days},
        )
        transaction.on_commit(lambda: _remove_files(storage, [name for _p, _a, name in rows]))
    return cleared

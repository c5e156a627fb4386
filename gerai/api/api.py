"""The JSON API, /api/v1/. A thin layer over the same selectors and services as the HTML pages.
Every error answer is {"error": {"code": "...", "message": "...", "details": {field: [messages]}}} (ErrorOut),
with a stable code and a translated message, and each operation declares the error statuses it can give."""

import contextlib
import hashlib
import json
import re
from datetime import datetime
from decimal import Decimal
from functools import wraps

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, File, NinjaAPI, P, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.params import FormEx, HeaderEx, QueryEx
from ninja.responses import Status
from ninja.security import HttpBearer

from gerai.accounts.selectors import api_token_user, is_region_admin, is_staff_in_region
from gerai.api.services import idempotency_claim
from gerai.applications import selectors as app_selectors
from gerai.applications import services as app_services
from gerai.applications import tracking
from gerai.applications.actions import application_act
from gerai.applications.models import Application
from gerai.catalog import selectors as catalog_selectors
from gerai.catalog.models import STANDARD_COMPONENTS
from gerai.complaints import selectors as complaint_selectors
from gerai.complaints import services as complaint_services
from gerai.complaints.policy import public_view, report_view
from gerai.core.actors import Actor, client_ip
from gerai.core.errors import DomainError
from gerai.core.throttle import throttle_allow, throttle_allow_local
from gerai.dashboards import selectors as dashboard_selectors
from gerai.lib.ikm import ELEMENTS
from gerai.regions.selectors import (
    agency_get_by_slug,
    agency_names,
    region_get_by_slug,
    regions_active,
    village_get,
)
from gerai.webhooks import selectors as webhook_selectors
from gerai.webhooks import services as webhook_services
from gerai.webhooks.models import Event as WebhookEvent


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Gerai API",
    version="1",
    description="Public services of Indonesian regions: catalog, applications, tracking, officer queues.",
    urls_namespace="api",
    docs_url="/docs",
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message, *, details: dict | None = None):
        self.status, self.code, self.message, self.details = status, code, str(message), details or {}


def _error(request, status, code, message, details=None):
    body = {"code": code, "message": str(message)}
    if details:
        body["details"] = {
            str(k): [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in details.items()
        }
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(DomainError)
def _refused(request, exc: DomainError):
    """Every service's refusal (ApplicationError, ComplaintError, WebhookError…) at the status it names."""
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Send a valid API token: Authorization: Bearer <token>."))


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    """A parameter or body field of the wrong type or out of its documented range: where it is (`year`,
    `answers`, `body.action`) and what is wrong with it."""
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        where = ".".join(loc[1:] if len(loc) > 1 else loc) or "request"  # without the source (query, body…)
        details.setdefault(where, []).append(str(error.get("msg", "")))
    return _error(request, 422, "invalid_request", _("The request is not valid."), details)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja's "Cannot parse request body"
        return _error(request, 400, "bad_request", _("The request body could not be read. Send valid JSON."))
    return _error(request, exc.status_code, "http_error", str(exc))


_NUL_IN_BODY = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000")  # a NUL byte, or JSON's \u0000 not itself escaped


def _refuse_nul(run):
    """No parameter may carry a NUL character: PostgreSQL can neither store nor compare text holding one, so it
    would surface as a 500 there and as a lookup on SQLite. A path with one names nothing (404); a query or form
    value, or a body of any content type but multipart, with one (a NUL byte or JSON's \\u0000) is invalid (422).
    Runs before authentication and parameter parsing, on every operation."""

    @wraps(run)
    def checked(request, **kwargs):
        if "\x00" in request.path:
            return _error(request, 404, "not_found", _("Not found."))
        bad = [
            key
            for data in (request.GET, request.POST)
            for key, values in data.lists()
            if "\x00" in key or any(_NUL_IN_BODY.search(value.encode()) for value in values)  # answers is JSON
        ]
        if not request.content_type.startswith("multipart/") and _NUL_IN_BODY.search(request.body):
            bad.append("body")  # whatever the content type: ninja reads a text/plain body as JSON too
        if bad:
            message = _("The request is not valid.")
            return _error(request, 422, "invalid_request", message, dict.fromkeys(bad, [message]))
        return run(request, **kwargs)

    return checked


api.add_decorator(_refuse_nul, mode="view")


# --- schemas ------------------------------------------------------------------------------------


class RegionOut(Schema):
    slug: str
    code: str
    name: str
    timezone: str
    tracking_prefix: str


class ServiceSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    category: str = Field(description="the code of one of the region's service categories")
    category_name: str = Field(description="its name in the region's catalog")
    fee_rupiah: int
    sla_working_days: int
    owner_agency: str


class FieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    page: int
    help_text: str
    choices: list[list[str]]
    min_value: int | None
    max_value: int | None


class DocumentRequirementOut(Schema):
    key: str
    label: str
    required: bool
    allowed_types: list[str]
    max_size_kb: int


class StepOut(Schema):
    order: int
    name: str
    action: str
    routing: str
    agency: str | None


class ServiceOut(ServiceSummaryOut):
    output_document: str
    standard: dict[str, str]
    fields: list[FieldOut]
    documents: list[DocumentRequirementOut]
    steps: list[StepOut]
    copied_from: str | None


class EventOut(Schema):
    at: datetime
    kind: str
    label: str
    step: str
    message: str


class TrackingOut(Schema):
    tracking_code: str
    service: str
    status: str
    status_label: str
    current_step: str | None
    due_at: datetime | None
    submitted_at: datetime | None
    history: list[EventOut]


class ApplicationOut(Schema):
    ref: str
    tracking_code: str | None
    service: str
    status: str
    status_label: str
    current_step: str | None
    current_agency: str | None
    due_at: datetime | None
    submitted_at: datetime | None
    overdue: bool


class ErrorBody(Schema):
    code: str = Field(description="Stable, e.g. not_found, invalid_request, invalid_answers, throttled.")
    message: str = Field(description="For people, in the request's language (Indonesian unless English is asked).")
    details: dict[str, list[str]] | None = Field(
        None, description="Per field (or request part, e.g. `year`, `body.action`), what is wrong with it."
    )


class ErrorOut(Schema):
    """The body of every error answer."""

    error: ErrorBody


def answers(ok: dict, *errors: int) -> dict:
    """An operation's documented answers: its success schema(s) and the error statuses it can give."""
    return ok | dict.fromkeys(errors, ErrorOut)


class ActionIn(Schema):
    action: str  # one of gerai.applications.actions.OFFICER_ACTIONS, as on the office page
    reason: str = ""  # the step's message, the reason, the message to the next agency, or the note
    agency_id: int | None = Field(None, ge=1, le=2**31 - 1)  # forward
    assignee_id: int | None = Field(None, ge=1, le=2**31 - 1)  # assign
    passphrase: str = Field("", max_length=200)  # complete, when the signing key asks for one


def _application_out(a: Application) -> dict:
    return {
        "ref": a.ref,
        "tracking_code": a.tracking_code,
        "service": a.service.slug,
        "status": a.status,
        "status_label": a.get_status_display(),
        "current_step": a.step_name or None,
        "current_agency": (agency_names(a.region_id).get(a.current_agency_id) or str(a.current_agency))
        if a.current_agency_id
        else None,  # an agency newer than the memo is read from its row
        "due_at": a.due_at,
        "submitted_at": a.submitted_at,
        "overdue": a.is_overdue,
    }


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request), via="api")


# --- public -----------------------------------------------------------------------------------


@api.get("/regions", response=list[RegionOut], tags=["catalog"])
def list_regions(request):
    return list(regions_active())


@api.get("/regions/{region}/services", response=answers({200: list[ServiceSummaryOut]}, 404), tags=["catalog"])
def list_services(request, region: str):
    region_obj = region_get_by_slug(region)
    names = catalog_selectors.category_names(region_obj.pk)
    return [
        {
            **{k: getattr(s, k) for k in ("slug", "name", "summary", "category", "fee_rupiah", "sla_working_days")},
            "category_name": catalog_selectors.category_name(s, names),
            "owner_agency": str(s.owner_agency),
        }
        for s in catalog_selectors.services_published(region_obj)
    ]


@api.get("/regions/{region}/services/{service}", response=answers({200: ServiceOut}, 404), tags=["catalog"])
def get_service(request, region: str, service: str):
    s = catalog_selectors.service_get_published(region_get_by_slug(region), service)
    return {
        **{
            k: getattr(s, k)
            for k in (
                "slug",
                "name",
                "summary",
                "category",
                "fee_rupiah",
                "sla_working_days",
                "output_document",
            )
        },
        "category_name": catalog_selectors.category_name(s),
        "owner_agency": str(s.owner_agency),
        "standard": {name.removeprefix("std_"): getattr(s, name) for name, _label in STANDARD_COMPONENTS},
        "fields": [
            {
                **{
                    k: getattr(f, k)
                    for k in (
                        "key",
                        "label",
                        "kind",
                        "required",
                        "page",
                        "help_text",
                        "min_value",
                        "max_value",
                    )
                },
                "choices": [list(map(str, c)) for c in f.choices],
            }
            for f in s.fields.all()
        ],
        "documents": list(s.documents.all()),
        "steps": [
            {
                "order": st.order,
                "name": st.name,
                "action": st.action,
                "routing": st.routing,
                "agency": str(st.agency) if st.agency_id else None,
            }
            for st in s.steps.select_related("agency")
        ],
        "copied_from": f"{s.copied_from.region.slug}/{s.copied_from.slug}" if s.copied_from is not None else None,
    }


@api.get(
    "/regions/{region}/track/{code}",
    response=answers({200: TrackingOut}, 404, 429),
    tags=["tracking"],
)
def track(request, region: str, code: str):
    """Asked again for the same code, the answer comes from the shared cache until that application changes
    (gerai.applications.tracking); the throttle counts every request first."""
    region_obj = region_get_by_slug(region)
    if not throttle_allow_local("tracking", client_ip(request) or "?"):
        raise ApiError(429, "throttled", _("Too many look-ups from your connection. Wait a minute and try again."))
    slot = None
    if tracking.canonical(code):
        slot = tracking.kept(region_obj.pk, code, "api", (translation.get_language(),))
        found, body = slot.get()
        if found:
            return HttpResponse(body, content_type=api.get_content_type())
    with slot.reading() if slot is not None else contextlib.nullcontext():
        t = app_selectors.tracking_lookup(region_obj, code)
    if t is None:
        raise ApiError(
            404, "not_found", _("No application has this tracking code here. Check the code on your receipt.")
        )
    response = api.create_response(request, TrackingOut.model_validate(_tracking_out(t)).model_dump(), status=200)
    if slot is not None:
        tracking.keep(slot, response.content)
    return response


def _tracking_out(t: app_selectors.Tracking) -> dict:
    return {
        "tracking_code": t.tracking_code,
        "service": t.service_name,
        "status": t.status,
        "status_label": t.get_status_display(),
        "current_step": t.step_name,
        "due_at": t.due_at if t.is_open else None,
        "submitted_at": t.submitted_at,
        "history": [
            {"at": e.at, "kind": e.kind, "label": e.get_kind_display(), "step": e.step_name, "message": ""}
            for e in t.history
        ],
    }


# --- citizens ---------------------------------------------------------------------------------


@api.get(
    "/me/applications", response=answers({200: list[ApplicationOut]}, 401), auth=TokenAuth(), tags=["applications"]
)
def my_applications(request):
    return [_application_out(a) for a in app_selectors.applications_of_user(request.user)[:200]]


@api.post(
    "/regions/{region}/services/{service}/applications",
    response=answers({201: ApplicationOut, 200: ApplicationOut}, 401, 404, 409, 422),
    auth=TokenAuth(),
    tags=["applications"],
    summary="Submit an application",
    description=(
        "Multipart form: `answers` is a JSON object keyed by the service's field keys; each required document is a "
        "file part named after its key. Send an `Idempotency-Key` header: a retried request with the same key and "
        "the same answers and files returns the application made the first time (200) instead of making another; "
        "the same key with a different request is refused (422, `idempotency_key_reused`)."
    ),
)
def submit_application(
    request,
    region: str,
    service: str,
    answers: FormEx[str, P(min_length=2, description="A JSON object keyed by the service's field keys.")],
    # None when no file is sent; written without "| None" so that the schema keeps a plain array (no anyOf null).
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", min_length=1, max_length=100)] = None,
):
    region_obj = region_get_by_slug(region)
    service_obj = catalog_selectors.service_get_published(region_obj, service)
    key = (idempotency_key or "").strip() or None
    if not hasattr(request.user, "citizen"):
        raise ApiError(422, "profile_required", _("Complete your NIK and personal details before applying."))
    try:
        data = json.loads(answers)
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        raise ApiError(422, "invalid_answers", _("`answers` must be a JSON object.")) from None
    uploads = dict(request.FILES.items())  # one file part per document requirement, named by its key
    first = None
    with transaction.atomic():  # the key's record rolls back with a refused request
        if key:
            digest = _request_sha256(data, uploads)
            first = idempotency_claim(user=request.user, key=key, request_sha256=digest)
            if first is not None and first != digest:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request. Use a new key for a new application."),
                )
        try:
            application = app_services.application_file(
                actor=_actor(request),
                service=service_obj,
                applicant=request.user,
                answers=data,
                uploads=uploads,
                idempotency_key=key,
            )
        except app_services.ApplicationError as exc:
            if exc.code == "duplicate" and key:  # a retry, or the same request racing itself: the first answer
                existing = app_selectors.application_by_idempotency_key(request.user, key)
                # filed before the API kept a hash of each request (no record): compared with what it holds
                if (
                    existing is not None
                    and first is None
                    and not app_services.application_filed_with(existing, data, uploads)
                ):
                    raise ApiError(
                        422,
                        "idempotency_key_reused",
                        _("This Idempotency-Key was used for another request. Use a new key for a new application."),
                    ) from None
                if existing is not None:
                    return Status(200, _application_out(existing))
            raise
    return Status(201, _application_out(application))


def _request_sha256(answers: dict, uploads: dict) -> str:
    """What a retry must repeat: the answers (as JSON, keys sorted) and each file part's name and content."""
    digest = hashlib.sha256(json.dumps(answers, sort_keys=True, separators=(",", ":")).encode())
    for name, upload in sorted(uploads.items()):
        digest.update(b"\0" + name.encode() + b"\0")
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


# --- officers ---------------------------------------------------------------------------------


@api.get(
    "/regions/{region}/queue",
    response=answers({200: list[ApplicationOut]}, 401, 404, 422),
    auth=TokenAuth(),
    tags=["officers"],
)
def officer_queue(
    request,
    region: str,
    status: str = "",
    service: str = "",
    overdue: bool = False,
    limit: QueryEx[int, P(ge=1, le=200)] = 50,
    offset: QueryEx[int, P(ge=0, le=1_000_000)] = 0,
):
    region_obj = region_get_by_slug(region)
    if not is_staff_in_region(request.user, region_obj):
        raise Http404
    qs = app_selectors.queue_for_staff(region_obj, request.user, status=status, service=service, overdue=overdue)
    qs = qs.select_related("service", "current_agency")
    return [_application_out(a) for a in qs[offset : offset + limit]]


@api.post(
    "/regions/{region}/applications/{ref}/actions",
    response=answers({200: ApplicationOut}, 400, 401, 404, 409, 422),
    auth=TokenAuth(),
    tags=["officers"],
)
def officer_action(request, region: str, ref: str, body: ActionIn):
    region_obj = region_get_by_slug(region)
    if not is_staff_in_region(request.user, region_obj):
        raise Http404
    application = app_selectors.application_for_staff(region_obj, request.user, ref)
    application_act(
        actor=_actor(request),
        region=region_obj,
        application=application,
        action=body.action,
        text=body.reason,
        passphrase=body.passphrase,
        agency_id=body.agency_id,
        assignee_id=body.assignee_id,
    )
    application.refresh_from_db()
    return Status(200, _application_out(application))


# --- complaints -------------------------------------------------------------------------------


class ReportIn(Schema):
    category: str
    description: str
    title: str = ""
    kind: str = "complaint"
    desa: str = ""
    address: str = ""
    lat: float | None = Field(None, ge=-90, le=90)  # no NaN, no infinity: stored as a 6-decimal Decimal
    long: float | None = Field(None, ge=-180, le=180)
    anonymous: bool = False
    confidential: bool = False


class ReportUpdateOut(Schema):
    at: datetime
    kind: str
    label: str
    text: str


class ReportSummaryOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    category: str
    agency: str | None
    title: str
    desa: str | None
    created_at: datetime


class ReportOut(ReportSummaryOut):
    description: str
    due_at: datetime | None
    updates: list[ReportUpdateOut]


def _report_summary(view) -> dict:
    """A report's heading as `view` (complaints/policy.py) lets its viewer see it."""
    report = view.report
    return {
        "tracking_code": report.tracking_code,
        "status": report.status,
        "status_label": report.get_status_display(),
        "category": report.category.code,
        "agency": report.agency.name if report.agency_id else None,
        "title": view.title if view.content else "",
        "desa": view.desa.name.title() if view.desa else None,
        "created_at": report.created_at,
    }


def _report_out(view) -> dict:
    """A report as `view` lets its viewer see it: its text and public timeline once they may."""
    report = view.report
    updates = complaint_selectors.public_updates(report) if view.content else []
    return _report_summary(view) | {
        "description": view.description,
        "due_at": report.due_at if report.is_open else None,
        "updates": [{"at": u.at, "kind": u.kind, "label": u.get_kind_display(), "text": u.text} for u in updates],
    }


@api.get(
    "/regions/{region}/reports",
    response=answers({200: list[ReportSummaryOut]}, 404, 422),
    tags=["complaints"],
    summary="The published reports, newest first (the same set as the public list and Open311)",
)
def list_reports(
    request,
    region: str,
    limit: QueryEx[int, P(ge=1, le=200)] = 50,
    offset: QueryEx[int, P(ge=0, le=1_000_000)] = 0,
):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module("pengaduan"):
        raise Http404
    reports = complaint_selectors.reports_public(region_obj)[offset : offset + limit]
    return [_report_summary(public_view(r)) for r in reports]


@api.post(
    "/regions/{region}/reports",
    response=answers({201: ReportOut, 200: ReportOut}, 400, 401, 404, 422, 429),
    auth=TokenAuth(),
    tags=["complaints"],
    summary="File a complaint, report or aspiration",
    description=(
        "JSON body. `category` is a category code (see Open311 services). Send an `Idempotency-Key` header: a "
        "retried request with the same key and the same body returns the report made the first time (200) instead "
        "of making another; the same key with a different request is refused (422, `idempotency_key_reused`)."
    ),
)
def file_report(
    request,
    region: str,
    body: ReportIn,
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", min_length=1, max_length=100)] = None,
):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module("pengaduan"):
        raise Http404
    category = complaint_selectors.category_get(region_obj, body.category)
    if category is None or category.code != body.category:
        raise ApiError(
            422,
            "unknown_category",
            _("Choose one of this region's categories."),
            details={"category": [_("Choose one of this region's categories.")]},
        )
    key = (idempotency_key or "").strip() or None
    client_key = ""  # the report's own copy of the key (as before IdempotencyRecord: a key of up to 80 characters)
    if key:
        short = key if len(key) <= 80 else "#" + hashlib.sha256(key.encode()).hexdigest()
        client_key = f"api:{request.user.pk}:{short}"
    desa = village_get(region_obj, body.desa) if body.desa else None
    if body.desa and desa is None:
        raise ApiError(
            422,
            "unknown_desa",
            _("Choose a desa/kelurahan of this region."),
            details={"desa": [_("Choose a desa/kelurahan of this region.")]},
        )
    if body.kind not in ("complaint", "aspiration", "information"):
        raise ApiError(
            422,
            "invalid_kind",
            _("The request is not valid."),
            details={"kind": ["complaint | aspiration | information"]},
        )
    with transaction.atomic():  # the key's record rolls back with a refused request
        if key:
            digest = hashlib.sha256(
                json.dumps(["report", region_obj.slug, body.model_dump()], sort_keys=True, default=str).encode()
            ).hexdigest()
            first = idempotency_claim(user=request.user, key=key, request_sha256=digest)
            existing = complaint_selectors.report_by_client_key(region_obj, client_key)
            # no record but a report: filed before the API kept a hash of each request, compared with what it holds
            if (first is not None and first != digest) or (
                first is None and existing is not None and not _report_filed_with(existing, body)
            ):
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request. Use a new key for a new report."),
                )
            if existing is not None:
                return Status(200, _report_out(report_view(request.user, existing)))
        if not throttle_allow("report", f"api|{request.user.pk}"):
            raise ApiError(
                429,
                "throttled",
                _("Too many reports from your connection. Wait a few minutes; what you typed is still here."),
            )
        report = complaint_services.report_file(
            actor=_actor(request),
            region=region_obj,
            category=category,
            description=body.description,
            title=body.title,
            kind=body.kind,
            desa=desa,
            address=body.address,
            lat=Decimal(str(body.lat)).quantize(Decimal("0.000001")) if body.lat is not None else None,
            long=Decimal(str(body.long)).quantize(Decimal("0.000001")) if body.long is not None else None,
            reporter=request.user,
            anonymous=body.anonymous,
            confidential=body.confidential,
            channel="api",
            client_key=client_key,
        )
    return Status(201, _report_out(report_view(request.user, report)))


def _report_filed_with(report, body: ReportIn) -> bool:
    """Whether a report filed before the API kept request hashes holds what this request sends (an officer may
    have moved it to another category since, so the category is not compared)."""
    return (
        report.description == body.description.strip()
        and report.kind == body.kind
        and report.address == body.address.strip()[:300]
        and (not body.title.strip() or report.title == body.title.strip()[:150])
        and (report.desa_id or "") == body.desa
        and (report.anonymous, report.confidential) == (body.anonymous, body.confidential)
    )


@api.get(
    "/regions/{region}/reports/{code}",
    response=answers({200: ReportOut}, 404, 429),
    tags=["complaints"],
    summary="A report as the public sees it (its reporter, signed in, sees all of it; before publication, "
    "anyone else only its status)",
)
def get_report(request, region: str, code: str):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module("pengaduan"):
        raise Http404
    if not throttle_allow_local("tracking", client_ip(request) or "?"):
        raise ApiError(429, "throttled", _("Too many look-ups from your connection. Wait a minute and try again."))
    report = complaint_selectors.report_by_code(region_obj, code)
    if report is None:
        raise Http404
    header = request.headers.get("Authorization", "")
    user = api_token_user(header[7:]) if header.startswith("Bearer ") else None
    return _report_out(report_view(user, report))


# --- satisfaction index ---------------------------------------------------------------------------


class IkmElementOut(Schema):
    code: str
    name: str
    answered: int
    nrr: float | None


class IkmOut(Schema):
    period: str
    start: str
    end: str
    service: str | None
    agency: str | None
    respondents: int
    ikm: float | None
    mutu: str | None
    kinerja: str | None
    elements: list[IkmElementOut]
    service_users: int
    sample_required: int
    sample_sufficient: bool


@api.get(
    "/regions/{region}/ikm",
    response=answers({200: IkmOut}, 404, 422),
    tags=["transparency"],
    summary="The satisfaction index (IKM, PermenPANRB 14/2017) per period, for the region, one agency or one service",
)
def get_ikm(
    request,
    region: str,
    year: QueryEx[int, P(ge=2000, le=2100)],
    quarter: QueryEx[int | None, P(ge=1, le=4)] = None,
    semester: QueryEx[int | None, P(ge=1, le=2)] = None,
    service: str = "",
    agency: str = "",
):
    region_obj = region_get_by_slug(region)
    service_obj = None
    if service:
        service_obj = catalog_selectors.service_get_for_admin(
            region_obj, service[:100]
        )  # 404 for another region's service
    agency_obj = None
    if agency and service_obj is None:
        agency_obj = agency_get_by_slug(region_obj, agency)
        if agency_obj is None:
            raise Http404
    per = dashboard_selectors.period(year, quarter=quarter, semester=None if quarter else semester)
    report = dashboard_selectors.ikm_report(region_obj, per, service=service_obj, agency=agency_obj)
    result = report.result
    return {
        "period": per.label,
        "start": per.start.isoformat(),
        "end": per.end.isoformat(),
        "service": service_obj.slug if service_obj else None,
        "agency": agency_obj.slug if agency_obj else None,
        "respondents": result.respondents,
        "ikm": float(result.ikm) if result.ikm is not None else None,
        "mutu": result.mutu,
        "kinerja": result.kinerja,
        "elements": [
            {
                "code": code,
                "name": name,
                "answered": result.answered[i],
                "nrr": round(float(nrr), 4) if (nrr := result.nrr[i]) is not None else None,
            }
            for i, (code, name) in enumerate(ELEMENTS)
        ],
        "service_users": report.users,
        "sample_required": report.required,
        "sample_sufficient": report.sample_ok,
    }


# --- webhooks (docs/webhooks.md) ---------------------------------------------------------------------


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="http or https; a public address.")
    events: list[WebhookEvent] = Field(min_length=1, description="The events to send (docs/webhooks.md).")
    description: str = Field("", max_length=100)


class WebhookOut(Schema):
    code: str
    url: str
    description: str
    events: list[str]
    is_active: bool
    disabled_reason: str
    failures_in_a_row: int
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Signs every delivery (X-Gerai-Signature). Shown only in this answer.")


def _webhook_out(s) -> dict:
    return {**{k: getattr(s, k) for k in WebhookOut.model_fields if k != "events"}, "events": s.event_list}


def _region_for_admin(request, region: str):
    region_obj = region_get_by_slug(region)
    if not is_region_admin(request.user, region_obj):
        raise Http404
    return region_obj


@api.get(
    "/regions/{region}/webhooks",
    response=answers({200: list[WebhookOut]}, 401, 404),
    auth=TokenAuth(),
    tags=["webhooks"],
    summary="The region's webhook subscriptions (region admins)",
)
def list_webhooks(request, region: str):
    return [_webhook_out(s) for s in webhook_selectors.subscriptions_of(_region_for_admin(request, region))]


@api.post(
    "/regions/{region}/webhooks",
    response=answers({201: WebhookCreatedOut}, 400, 401, 404, 422),
    auth=TokenAuth(),
    tags=["webhooks"],
    summary="Subscribe a URL to some of the region's events (region admins); the answer holds the secret, once",
)
def create_webhook(request, region: str, body: WebhookIn):
    region_obj = _region_for_admin(request, region)
    subscription, secret = webhook_services.subscription_create(
        actor=_actor(request), region=region_obj, url=body.url, events=body.events, description=body.description
    )
    return Status(201, {**_webhook_out(subscription), "secret": secret})


@api.delete(
    "/regions/{region}/webhooks/{code}",
    response=answers({204: None}, 401, 404),
    auth=TokenAuth(),
    tags=["webhooks"],
    summary="Delete a webhook subscription (region admins)",
)
def delete_webhook(request, region: str, code: str):
    subscription = webhook_selectors.subscription_get(_region_for_admin(request, region), code)
    webhook_services.subscription_delete(actor=_actor(request), subscription=subscription)
    return Status(204, None)


from gerai.api.governance import router as governance_router  # noqa: E402 - mounted last, it uses answers()

api.add_router("/", governance_router)
from gerai.api.catalog_versions import router as catalog_versions_router  # noqa: E402

api.add_router("", catalog_versions_router)
from gerai.api.news import router as news_router  # noqa: E402 - the routers use this module's helpers

api.add_router("", news_router)
from gerai.api.prices import router as prices_router  # noqa: E402 - mounted last: it reuses answers() above

api.add_router("", prices_router)
from gerai.api.planner import router as planner_router  # noqa: E402  (it imports ApiError and ErrorOut from here)

api.add_router("/planner", planner_router)

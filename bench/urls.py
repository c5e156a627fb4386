"""The baselines measured in the same run as Gerai's pages: a plain view, a bare lookup of one
application by its code through the ORM, and a bare insert of one application with two child rows.

Two probes measure what a page costs before its own work starts, so that the report can say how much of
each target's budget is left for that work: the API submission without its service call (token, multipart
form, region and service look-ups, the answer), and a signed-in staff page with nothing on it (session,
user, staff roles, the layout)."""

import datetime as dt
import hashlib
import json
from functools import cache

from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import Context, Template
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import File, Form, NinjaAPI
from ninja.files import UploadedFile

from gerai.accounts.decorators import staff_view
from gerai.api.api import ApplicationOut, TokenAuth, _application_out
from gerai.applications.models import Application, TimelineEvent
from gerai.applications.selectors import _in_queue
from gerai.catalog.selectors import service_get_published
from gerai.lib.codes import tracking_code
from gerai.regions.selectors import region_get_by_slug
from gerai.urls import urlpatterns as gerai_urlpatterns


def hello(request):
    return HttpResponse("hello")


def lookup(request, code):
    try:
        application = Application.objects.get(tracking_code=code)
    except Application.DoesNotExist:
        raise Http404 from None
    return JsonResponse({"status": application.status, "due_at": application.due_at})


@cache
def _template():
    first = Application.objects.filter(ref__startswith="bench").order_by("pk").first()
    return {
        "region_id": first.region_id,
        "service_id": first.service_id,
        "applicant_id": first.applicant_id,
        "created_by_id": first.applicant_id,
        "desa_id": first.desa_id,
    }


@csrf_exempt
def insert(request):
    now = timezone.now()
    with transaction.atomic():
        application = Application.objects.create(
            **_template(), status="submitted", tracking_code=tracking_code("BNC"), submitted_at=now, due_at=now
        )
        TimelineEvent.objects.create(application=application, kind="created", internal=True)
        TimelineEvent.objects.create(application=application, kind="submitted")
    return JsonResponse({"id": application.pk}, status=201)


probe = NinjaAPI(urls_namespace="bench_probe", docs_url=None, openapi_url=None)


@cache
def _some_application() -> Application:
    """Held in memory, like the application the real endpoint has just made."""
    return (
        Application.objects.select_related("service")
        .filter(service__slug="surat-domisili", tracking_code__isnull=False)
        .latest("pk")
    )


@probe.post("/regions/{region}/services/{service}/applications", response={200: ApplicationOut}, auth=TokenAuth())
def submission_without_writes(
    request, region: str, service: str, answers: Form[str] = "{}", files: File[list[UploadedFile]] = None
):
    """What the API submission does around its service call (gerai/api/api.py), and an application's answer."""
    service_get_published(region_get_by_slug(region), service)
    request.headers.get("Idempotency-Key", "")
    hasattr(request.user, "citizen")
    json.loads(answers)
    dict(request.FILES.items())
    return _application_out(_some_application())


@staff_view
def empty_staff_page(request):
    return render(request, "base.html", {})


# --- equal-work baselines (issue #20): the same work as a target, in plain Django without Gerai's layers ---


@cache
def _submission_template() -> dict:
    """What the API submission resolves per request (service, step, office, requirement), looked up once."""
    from gerai.catalog.models import DocumentRequirement, Service
    from gerai.regions.models import Area

    service = Service.objects.select_related("region").get(region__slug="banyuwangi", slug="surat-domisili")
    step = service.steps.order_by("order").first()
    requirement = DocumentRequirement.objects.filter(service=service).order_by("pk").first()
    desa = Area.objects.get(pk="35.10.15.2004")
    return {"service": service, "step": step, "requirement": requirement, "desa": desa}


@csrf_exempt
def bare_submission(request):
    """The API submission's work by hand: the token's user, the multipart body, the answers, the file's type
    checked and hashed and the file stored, then six rows in one transaction (application, document, timeline
    event, audit entry, outbox message, pending rollup change)."""
    from django.core.files.storage import default_storage

    from gerai.accounts.models import ApiToken
    from gerai.applications.models import ApplicationDocument
    from gerai.audit.models import AuditEntry
    from gerai.dashboards.models import PendingChange
    from gerai.notifications.models import OutboxMessage

    raw = request.headers.get("Authorization", "").removeprefix("Bearer ")
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return JsonResponse({"error": "token"}, status=401)
    user, t = token.user, _submission_template()
    answers = json.loads(request.POST["answers"])
    upload = request.FILES["ktp"]
    head = upload.read(2048)
    if not head.startswith(b"%PDF-"):
        return JsonResponse({"error": "file"}, status=400)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    name = default_storage.save(f"bench/{digest.hexdigest()[:16]}.pdf", upload)
    now = timezone.now()
    with transaction.atomic():
        application = Application.objects.create(
            region_id=t["service"].region_id,
            service=t["service"],
            applicant=user,
            created_by=user,
            status="submitted",
            desa=t["desa"],
            answers=answers,
            tracking_code=tracking_code("BNS"),
            submitted_at=now,
            due_at=now,
            step_order=t["step"].order,
            step_name=t["step"].name,
            current_agency_id=t["step"].agency_id or t["service"].owner_agency_id,
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        ApplicationDocument.objects.create(
            application=application,
            requirement=t["requirement"],
            file=name,
            original_name=upload.name,
            content_type="application/pdf",
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        TimelineEvent.objects.create(application=application, kind="submitted")
        AuditEntry.objects.create(
            region_id=application.region_id,
            actor=user,
            via="api",
            action="application.file",
            object_type="application",
            object_id=str(application.pk),
            changes={"service": "surat-domisili"},
        )
        OutboxMessage.objects.create(
            region_id=application.region_id,
            user=user,
            event="submitted",
            to=user.email or "x@example.org",
            subject="Permohonan diterima",
            body=f"Kode lacak {application.tracking_code}",
        )
        PendingChange.objects.create(region_id=application.region_id, deltas=[["bench", [], {"submitted": 1}]])
    return JsonResponse({"id": application.pk, "tracking_code": application.tracking_code}, status=201)


@cache
def _staff_agencies(user_id: int) -> tuple[int, list[int]]:
    from gerai.accounts.models import StaffRole

    roles = StaffRole.objects.filter(user_id=user_id, region__slug="banyuwangi")
    return roles[0].region_id, [role.agency_id for role in roles if role.agency_id]


_STAFF_PAGE = Template(
    "<!doctype html><title>Antrean</title><h1>Antrean ({{ count }})</h1><table>"
    "{% for r in rows %}<tr><td>{{ r.ref }}</td><td>{{ r.tracking_code }}</td><td>{{ r.status }}</td>"
    "<td>{{ r.due_at }}</td></tr>{% endfor %}</table>"
)


def bare_staff_page(request):
    """The queue page's work by hand: a signed-in session, its two indexed queries (the count and a page of
    25 open applications at the officer's offices, due first) and a minimal template."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    region_id, agencies = _staff_agencies(request.user.pk)
    # the same partial index as the real queue: its status condition written as literals (see the selector)
    queue = Application.objects.filter(_in_queue(), region_id=region_id, current_agency_id__in=agencies).order_by(
        "due_at", "pk"
    )
    count = queue.count()
    rows = list(queue.values("ref", "tracking_code", "status", "due_at")[:25])
    return HttpResponse(_STAFF_PAGE.render(Context({"count": count, "rows": rows})))


@cache
def _staff_agencies_region() -> int:
    from gerai.regions.models import Region

    return Region.objects.get(slug="banyuwangi").pk


def bare_list(request):
    """The Open311 list's work by hand: the same page of 50 public reports of the last 90 days, with their
    category and agency and media, serialised by hand."""
    from gerai.complaints.models import OPEN_STATUSES, PUBLISHED_STATUSES, Report

    now = timezone.now()
    page = int(request.GET.get("page", "1"))
    reports = (
        Report.objects.filter(
            region_id=_staff_agencies_region(),
            confidential=False,
            verified_at__isnull=False,
            status__in=PUBLISHED_STATUSES,
            created_at__gte=now - dt.timedelta(days=90),
            created_at__lte=now,
        )
        .select_related("category__agency", "agency", "desa")
        .prefetch_related("media")
        .order_by("-created_at", "-id")[(page - 1) * 50 : page * 50]
    )
    rows = [
        {
            "service_request_id": r.tracking_code,
            "status": "open" if r.status in OPEN_STATUSES else "closed",
            "status_notes": r.status_notes,
            "service_name": r.category.name,
            "service_code": r.category.code,
            "description": r.description,
            "agency_responsible": (r.agency or r.category.agency).name,
            "requested_datetime": r.created_at.isoformat(),
            "updated_datetime": r.updated_at.isoformat(),
            "address_id": r.desa_id or "",
            "media_url": None if not r.media.all() else "x",
        }
        for r in reports
    ]
    return HttpResponse(json.dumps(rows), content_type="application/json")


urlpatterns = [
    path("bench/hello", hello),
    path("bench/bare-submission", bare_submission),
    path("bench/bare-staff-page", bare_staff_page),
    path("bench/bare-list", bare_list),
    path("bench/lookup/<str:code>", lookup),
    path("bench/insert", insert),
    path("bench/probe/", probe.urls),
    path("bench/probe/<slug:region_slug>/staff-page", empty_staff_page),
    *gerai_urlpatterns,
]

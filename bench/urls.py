"""The baselines measured in the same run as Gerai's pages: a plain view, a bare lookup of one
application by its code through the ORM, and a bare insert of one application with two child rows.

Two probes measure what a page costs before its own work starts, so that the report can say how much of
each target's budget is left for that work: the API submission without its service call (token, multipart
form, region and service look-ups, the answer), and a signed-in staff page with nothing on it (session,
user, staff roles, the layout)."""

import json
from functools import cache

from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import File, Form, NinjaAPI
from ninja.files import UploadedFile

from gerai.accounts.decorators import staff_view
from gerai.api.api import ApplicationOut, TokenAuth, _application_out
from gerai.applications.models import Application, TimelineEvent
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


urlpatterns = [
    path("bench/hello", hello),
    path("bench/lookup/<str:code>", lookup),
    path("bench/insert", insert),
    path("bench/probe/", probe.urls),
    path("bench/probe/<slug:region_slug>/staff-page", empty_staff_page),
    *gerai_urlpatterns,
]

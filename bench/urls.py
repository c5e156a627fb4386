"""The baselines measured in the same run as Gerai's pages: a plain view, a bare lookup of one
application by its code through the ORM, and a bare insert of one application with two child rows."""

from functools import cache

from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from gerai.applications.models import Application, TimelineEvent
from gerai.lib.codes import tracking_code
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


urlpatterns = [
    path("bench/hello", hello),
    path("bench/lookup/<str:code>", lookup),
    path("bench/insert", insert),
    *gerai_urlpatterns,
]

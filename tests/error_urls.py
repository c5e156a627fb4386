"""The project's URLs and two views that answer 403 and an empty 429, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path

from gerai.urls import handler400, handler403, handler404, handler500
from gerai.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied


def throttled(request):
    return HttpResponse(status=429, headers={"Retry-After": "60"})


urlpatterns = [path("uji/dilarang/", forbidden), path("uji/terlalu-sering/", throttled), *project_urlpatterns]

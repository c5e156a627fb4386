from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from gerai.core import heartbeat


@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on every site; the pages name the SVG icon, this answers the old habit."""
    return redirect(static("favicon.ico"))


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # the database is unreachable: not ready, never a 500
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "database": True, "migrations": False}, status=503)
    # The pages still serve without the task worker, so a load balancer keeps this node (200); the health
    # check (deploy/gerai-healthcheck) and ?worker=1 (503) act on it.
    worker = heartbeat.worker_state()
    status = "ok" if worker["alive"] else "degraded"
    code = 503 if request.GET.get("worker") and not worker["alive"] else 200
    return JsonResponse({"status": status, "database": True, "migrations": True, "worker": worker}, status=code)


# The statuses that have a page of their own in the layout (gerai/templates/<status>.html).
ERROR_PAGES = frozenset({400, 403, 404, 405, 429})


def error_page(request, status: int) -> HttpResponse:
    return render(request, f"{status}.html", status=status)


def error_400(request, exception=None):
    return error_page(request, 400)


def error_403(request, exception=None):
    return error_page(request, 403)


def error_404(request, exception=None):
    return error_page(request, 404)


def error_500(request):
    """No context processors and no database: this page must render when the database is down."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def error_403_csrf(request, reason=""):
    return render(request, "403_csrf.html", status=403)

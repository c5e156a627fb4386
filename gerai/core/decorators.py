from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, QueryDict

from gerai.accounts.models import StaffRole
from gerai.accounts.selectors import staff_roles_for_request
from gerai.regions.selectors import region_get_by_slug


def region_view(view):
    """Resolve <region_slug> to request.region (404 when unknown or inactive)."""

    @wraps(view)
    def wrapper(request, region_slug, *args, **kwargs):
        request.region = region_get_by_slug(region_slug)
        return view(request, *args, **kwargs)

    return wrapper


RESUME_KEY = "gerai_resume"


def citizen_view(view):
    """Signed-in citizens only. A form posted after the session expired is kept in the (new, anonymous)
    session, which signing in carries over, so the page can show what was typed instead of losing it."""

    @wraps(view)
    @region_view
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method == "POST":
                data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
                request.session[RESUME_KEY] = {"path": request.path, "data": data}
            return redirect_to_login(request.path)
        return view(request, *args, **kwargs)

    return wrapper


def take_resumed_post(request):
    """What was typed into this page before the session expired (once), as form data, or None."""
    stash = request.session.get(RESUME_KEY)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[RESUME_KEY]
    data = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        data.setlist(key, values)
    return data


def staff_view(view=None, *, admin: bool = False):
    """Staff of this region only; everybody else gets the same 404 as for a missing page."""

    def decorate(inner):
        @wraps(inner)
        @region_view
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            roles = staff_roles_for_request(request, request.region)
            allowed = request.user.is_superuser or (
                any(r.role == StaffRole.Role.ADMIN for r in roles) if admin else bool(roles)
            )
            if not allowed:
                raise Http404
            return inner(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate

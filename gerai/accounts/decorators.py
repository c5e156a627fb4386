from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, QueryDict

from gerai.accounts.policy import Access, staff_may
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


def staff_view(view=None, *, admin: bool = False, access: Access | None = None):
    """Staff of this region only (region admins only with admin=True, or whom `access` names); everybody else
    gets the same 404 as for a missing page. The view keeps what it needs as `staff_access`, so the office
    navigation shows its link to the same people (gerai/accounts/policy.py decides both)."""
    need = access or (Access.ADMIN if admin else Access.STAFF)

    def decorate(inner):
        @wraps(inner)
        @region_view
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not staff_may(request.user, staff_roles_for_request(request, request.region), need):
                raise Http404
            return inner(request, *args, **kwargs)

        wrapper.staff_access = need  # type: ignore[attr-defined]
        return wrapper

    return decorate(view) if view else decorate

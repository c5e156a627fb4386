from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

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


def citizen_view(view):
    @wraps(view)
    @region_view
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


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

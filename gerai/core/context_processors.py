from django.conf import settings

from gerai.accounts.selectors import staff_roles_for_request
from gerai.core.models import demo_loaded


def platform(request):
    region = getattr(request, "region", None)

    def show_office() -> bool:  # a callable: evaluated only where a template asks
        if not request.user.is_authenticated or region is None:
            return False
        return request.user.is_superuser or bool(staff_roles_for_request(request, region))

    return {"LANGUAGES": settings.LANGUAGES, "DEMO_MODE": demo_loaded(), "region": region, "show_office": show_office}

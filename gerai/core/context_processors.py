from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from gerai.accounts.selectors import staff_roles_for_request
from gerai.core.models import demo_loaded

REGION_LINKS = {
    "home": "catalog:region_home",
    "theme": "catalog:theme_css",
    "catalog": "catalog:catalog",
    "track": "applications:track",
    "complaints": "complaints:list",
    "mine": "applications:mine",
    "office": "applications:queue",
    "transparency": "dashboards:transparency",
    "opendata": "dashboards:opendata",
    # the office's own pages
    "counter": "applications:counter",
    "bulk_assign": "applications:bulk_assign",
    "audit": "applications:audit",
    "holidays": "applications:holidays",
    "services_admin": "catalog:admin_services",
    "signing_admin": "documents:signing_admin",
    "reports_office": "complaints:staff_queue",
    "ikm": "surveys:report",
    "leaders": "dashboards:leaders",
}


@cache
def links(region_slug: str | None) -> dict[str, str]:
    """The addresses every page's header and footer link to, reversed once per region and process (the URL
    configuration and the static files' manifest do not change while it runs): a dozen reverse() and
    static() calls were a third of a small page."""
    out = {
        "css": static("css/gerai.css"),
        "htmx": static("vendor/htmx-2.0.11.min.js"),
        "js": static("js/gerai.js"),
        "platform": reverse("home"),
        "profile": reverse("accounts:profile"),
        "login": reverse("accounts:login"),
        "logout": reverse("accounts:logout"),
        "language": reverse("set_language"),
    }
    if region_slug:
        out |= {key: reverse(name, args=[region_slug]) for key, name in REGION_LINKS.items()}
    return out


def platform(request):
    region = getattr(request, "region", None)

    def show_office() -> bool:  # a callable: evaluated only where a template asks
        if not request.user.is_authenticated or region is None:
            return False
        return request.user.is_superuser or bool(staff_roles_for_request(request, region))

    return {
        "LANGUAGES": settings.LANGUAGES,
        "DEMO_MODE": demo_loaded(),
        "region": region,
        "show_office": show_office,
        "links": links(region.slug if region is not None else None),
    }

from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy

from gerai.accounts.policy import Access, staff_may
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
    "innovation_office": "innovation:office_list",
    # the office's own pages
    "counter": "applications:counter",
    "bulk_assign": "applications:bulk_assign",
    "audit": "audit:log",
    "holidays": "regions:holidays",
    "settings": "onboarding:settings",
    "services_admin": "catalog:admin_services",
    "signing_admin": "documents:signing_admin",
    "reports_office": "complaints:staff_queue",
    "ikm": "dashboards:ikm_report",
    "leaders": "dashboards:leaders",
    "webhooks": "webhooks:list",
    "governance": "governance:office",
    "news_office": "news:office_list",
    "prices_office": "prices:office",
    "tourism_office": "tourism:office",
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
        "favicon": static("favicon.svg"),
        "platform": reverse("home"),
        "platform_admin": reverse("platform:home"),
        "profile": reverse("accounts:profile"),
        "login": reverse("accounts:login"),
        "logout": reverse("accounts:logout"),
        "language": reverse("set_language"),
    }
    if region_slug:
        out |= {key: reverse(name, args=[region_slug]) for key, name in REGION_LINKS.items()}
    return out


# The office navigation on the work queue: link key, label, and the module it needs. Who sees a link is what
# its view's staff_view declares (staff, admin or counter), decided by the one rule in gerai/accounts/policy.py.
OFFICE_NAV = (
    ("counter", gettext_lazy("Counter: apply for a citizen"), ""),
    ("services_admin", gettext_lazy("Service catalog"), ""),
    ("audit", gettext_lazy("Audit log"), ""),
    ("holidays", gettext_lazy("Holidays"), ""),
    ("signing_admin", gettext_lazy("Letter numbers and signers"), ""),
    ("reports_office", gettext_lazy("Reports"), "pengaduan"),
    ("ikm", gettext_lazy("Satisfaction index (IKM)"), ""),
    ("leaders", gettext_lazy("Performance dashboard"), ""),
    ("webhooks", gettext_lazy("Webhooks"), ""),
    ("governance", gettext_lazy("Governance indices"), "indeks"),
    ("settings", gettext_lazy("Region settings"), ""),
    ("news_office", gettext_lazy("News"), "berita"),
    ("prices_office", gettext_lazy("Food prices"), "harga"),
    ("innovation_office", gettext_lazy("Innovations and roadmap"), "inovasi"),
    ("tourism_office", gettext_lazy("Tourism and events"), "wisata"),
)


@cache
def office_access(key: str) -> Access:
    """What the page behind an office link asks of its visitor, read once per process from its view."""
    view = resolve(reverse(REGION_LINKS[key], args=["region"])).func
    return getattr(view, "staff_access", Access.STAFF)


def platform(request):
    region = getattr(request, "region", None)

    def show_office() -> bool:  # a callable: evaluated only where a template asks
        if not request.user.is_authenticated or region is None:
            return False
        return staff_may(request.user, staff_roles_for_request(request, region), office_access("office"))

    def office_nav() -> list[tuple[str, str]]:  # the office pages this user may open, as (address, label)
        if not request.user.is_authenticated or region is None:
            return []
        roles = staff_roles_for_request(request, region)
        addresses = links(region.slug)
        return [
            (addresses[key], str(label))
            for key, label, module in OFFICE_NAV
            if (not module or region.has_module(module)) and staff_may(request.user, roles, office_access(key))
        ]

    return {
        "LANGUAGES": settings.LANGUAGES,
        "DEMO_MODE": demo_loaded(),
        "region": region,
        "show_office": show_office,
        "office_nav": office_nav,
        "links": links(region.slug if region is not None else None),
    }

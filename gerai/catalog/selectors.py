from django.http import Http404

from gerai.catalog.models import Service
from gerai.core.memo import ttl_memo


def services_published(region):
    return Service.objects.filter(region=region, is_published=True).select_related("owner_agency")


def service_get_published(region, slug: str) -> Service:
    try:
        return services_published(region).get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def services_for_admin(region):
    return Service.objects.filter(region=region).select_related("owner_agency", "copied_from__region")


def service_get_for_admin(region, slug: str) -> Service:
    try:
        return services_for_admin(region).get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def services_copyable(region):
    """Published services of other regions, role models first: what this region may adopt."""
    return (
        Service.objects.filter(is_published=True, region__is_active=True)
        .exclude(region=region)
        .select_related("region")
        .order_by("-region__is_role_model", "region__name", "name")
    )


def service_get_copyable(region, pk) -> Service:
    try:
        return services_copyable(region).get(pk=pk)
    except (Service.DoesNotExist, ValueError):
        raise Http404 from None


def service_form_pages(service) -> list[list]:
    pages: dict[int, list] = {}
    for field in service.fields.all():
        pages.setdefault(field.page, []).append(field)
    return [pages[number] for number in sorted(pages)]


@ttl_memo
def service_choices(region_id: int) -> list[tuple[str, str]]:
    """(slug, name) of a region's published services, for filters."""
    return list(
        Service.objects.filter(region_id=region_id, is_published=True).order_by("name").values_list("slug", "name")
    )

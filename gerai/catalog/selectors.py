from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.functional import Promise

from gerai.catalog.models import (
    DEFAULT_CATEGORIES,
    DocumentRequirement,
    FormField,
    Service,
    ServiceCategory,
    WorkflowStep,
)
from gerai.core.memo import ttl_memo
from gerai.regions.selectors import agencies_of_region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def categories_of_region(region_id: int) -> list[tuple[str, "StrOrPromise"]]:
    """The region's service categories in their order, (code, name): its own, or the platform's defaults
    (DEFAULT_CATEGORIES, names in the page's language) while it has none. An own category that still has its
    default's Indonesian name is given the default's translated name, so an English page says it in English;
    a name the region gave is its content (category_lang). Read anew each time (one indexed query): a page that
    shows them is kept by the page cache, which a change of categories makes stale."""
    own = list(ServiceCategory.objects.filter(region_id=region_id).values_list("code", "name"))
    if not own:
        return list(DEFAULT_CATEGORIES)
    defaults = _default_names()
    return [(code, defaults[code][1] if defaults.get(code, ("",))[0] == name else name) for code, name in own]


def _default_names() -> dict[str, tuple[str, "StrOrPromise"]]:
    with translation.override("id"):
        return {code: (str(name), name) for code, name in DEFAULT_CATEGORIES}


def category_lang(name: "StrOrPromise") -> str:
    """ "id" for a name the region gave (Indonesian content, marked lang="id" on an English page), "" for one of
    the platform's, which is translated."""
    return "" if isinstance(name, Promise) else "id"


def category_names(region_id: int) -> dict[str, str]:
    """{code: name} of the region's categories, for a page or a list that names many services' categories."""
    return {code: str(name) for code, name in categories_of_region(region_id)}


def categories_are_own(region_id: int) -> bool:
    return ServiceCategory.objects.filter(region_id=region_id).exists()


def category_counts(region) -> dict[str, int]:
    """How many services of the region are in each category (by code)."""
    rows = Service.objects.filter(region=region).values("category").annotate(n=models.Count("id"))
    return {row["category"]: row["n"] for row in rows}


def category_name(service: Service, names: dict[str, str] | None = None) -> str:
    """The name of the service's category in its region (its code, should the category be gone); `names`
    (category_names) when the caller names many."""
    names = names if names is not None else category_names(service.region_id)
    return names.get(service.category, service.category)


def services_published(region):
    return Service.objects.filter(region=region, is_published=True).select_related("owner_agency")


def service_get_published(region, slug: str) -> Service:
    service = _published_service(region.pk, slug)
    if service is None:
        raise Http404
    service.region = region  # the caller's region object: no second query for it
    return service


@ttl_memo
def _published_service(region_id: int, slug: str) -> Service | None:
    """Every page and submission of a service reads it; unpublishing shows within GERAI_REGION_CACHE_SECONDS."""
    return (
        Service.objects.filter(region_id=region_id, slug=slug, is_published=True).select_related("owner_agency").first()
    )


def service_owner_agencies(region):
    """The region's active agencies that own at least one service: the units an IKM or a dashboard is
    reported for."""
    return agencies_of_region(region).filter(owned_services__isnull=False).distinct().order_by("name")


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
    """The service's questions grouped by page, in order."""
    return service_definition(service.pk).pages


@dataclass(frozen=True)
class ServiceDefinition:
    pages: list[list[FormField]]
    documents: list[DocumentRequirement]
    steps: list[WorkflowStep]


@ttl_memo
def service_definition(service_id: int) -> ServiceDefinition:
    """A service's form, documents and workflow, read once per process for GERAI_REGION_CACHE_SECONDS:
    every submission needs them, and region admins change them rarely."""
    pages: dict[int, list] = {}
    for field in FormField.objects.filter(service_id=service_id).order_by("page", "order", "pk"):
        pages.setdefault(field.page, []).append(field)
    return ServiceDefinition(
        pages=[pages[number] for number in sorted(pages)],
        documents=list(DocumentRequirement.objects.filter(service_id=service_id).order_by("order", "pk")),
        steps=list(WorkflowStep.objects.filter(service_id=service_id).select_related("agency").order_by("order")),
    )


@ttl_memo
def service_choices(region_id: int) -> list[tuple[str, str]]:
    """(slug, name) of a region's published services, for filters."""
    return list(
        Service.objects.filter(region_id=region_id, is_published=True).order_by("name").values_list("slug", "name")
    )


# --- versions and lineage ----------------------------------------------------------------------------------------


def service_versions(service):
    return service.versions.select_related("based_on__service__region").order_by("-number")


def service_adopters(service):
    """The published services of other regions that adopted this one (lineage: copied from it)."""
    return Service.objects.filter(copied_from=service, is_published=True, region__is_active=True).select_related(
        "region"
    )


def service_upstream_newer(service):
    """The source's newest version when it is newer than the one this adopted service is based on, else None."""
    source = service.copied_from
    if source is None or source.current_version_id is None:
        return None
    latest = source.current_version
    if service.upstream_version_id is not None and latest.number <= service.upstream_version.number:
        return None
    return latest


def services_with_upstream_news(region):
    """This region's adopted services whose source has published a newer version: the admin's notices."""
    adopted = Service.objects.filter(region=region, copied_from__isnull=False).select_related(
        "copied_from__current_version", "copied_from__region", "upstream_version"
    )
    return [service for service in adopted if service_upstream_newer(service) is not None]


def services_related_here(region, source):
    """What this region already has of a source service: an earlier adoption of it (or of a copy of it, or of its
    own source), or a service at the same address."""
    family = {source.pk}
    if source.copied_from_id:
        family.add(source.copied_from_id)
    return Service.objects.filter(region=region).filter(
        models.Q(copied_from_id__in=family) | models.Q(slug=source.slug) | models.Q(copied_from__copied_from=source)
    )


def lineage_root_id(service) -> int:
    seen = set()
    while service.copied_from_id and service.pk not in seen:
        seen.add(service.pk)
        service = service.copied_from
    return service.pk

from django.http import Http404

from gerai.core.memo import ttl_memo
from gerai.regions.models import Agency, Area, Region


def regions_active():
    return Region.objects.filter(is_active=True).order_by("name")


def region_get_by_slug(slug: str) -> Region:
    region = _active_region(slug)
    if region is None:
        raise Http404
    return region


@ttl_memo
def _active_region(slug: str) -> Region | None:
    """Every request reads its region; a change shows in every process within GERAI_REGION_CACHE_SECONDS."""
    return Region.objects.filter(slug=slug, is_active=True).first()


def region_get_by_host(host: str) -> Region | None:
    return Region.objects.filter(host=host.split(":")[0].lower(), is_active=True).first()


def villages_of_region(region: Region):
    return Area.objects.filter(region=region, level__in=(Area.Level.DESA, Area.Level.KELURAHAN)).select_related(
        "parent"
    )


def village_get(region: Region, code: str) -> Area | None:
    return villages_of_region(region).filter(code=code).first()


@ttl_memo
def village_choices(region_id: int) -> list[tuple[str, str]]:
    """(code, "Desa – Kec. X") of a region's villages, for filters and selects."""
    villages = Area.objects.filter(region_id=region_id, level__in=(Area.Level.DESA, Area.Level.KELURAHAN))
    return [(a.code, f"{a.name} – Kec. {a.parent.name}") for a in villages.select_related("parent").order_by("name")]


def kecamatans_of_region(region: Region):
    return Area.objects.filter(region=region, level=Area.Level.KECAMATAN)


def agencies_of_region(region: Region):
    return Agency.objects.filter(region=region, is_active=True)


def agency_get(region: Region, pk) -> Agency | None:
    return agencies_of_region(region).filter(pk=pk).first()


def agency_for_area(region: Region, area: Area, kind: str) -> Agency | None:
    """The office of a desa (kind 'desa') or of its kecamatan (kind 'kecamatan')."""
    target = area if kind == Agency.Kind.DESA else (area.parent if area.is_village else area)
    return agencies_of_region(region).filter(kind=kind, area=target).first()

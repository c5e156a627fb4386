from django.http import Http404

from gerai.regions.models import Agency, Area, Region


def regions_active():
    return Region.objects.filter(is_active=True).order_by("name")


def region_get_by_slug(slug: str) -> Region:
    try:
        return Region.objects.get(slug=slug, is_active=True)
    except Region.DoesNotExist:
        raise Http404 from None


def region_get_by_host(host: str) -> Region | None:
    return Region.objects.filter(host=host.split(":")[0].lower(), is_active=True).first()


def villages_of_region(region: Region):
    return Area.objects.filter(region=region, level__in=(Area.Level.DESA, Area.Level.KELURAHAN)).select_related(
        "parent"
    )


def village_get(region: Region, code: str) -> Area | None:
    return villages_of_region(region).filter(code=code).first()


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

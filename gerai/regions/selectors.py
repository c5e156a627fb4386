from django.http import Http404

from gerai.core.memo import ttl_memo
from gerai.regions.models import Agency, Area, HolidayOverride, Region


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


def region_find(slug: str) -> Region | None:
    """The active region with this slug, or None (memoised like region_get_by_slug)."""
    return _active_region(slug)


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
    return [
        (a.code, f"{a.name} – Kec. {a.parent.name if a.parent else ''}")
        for a in villages.select_related("parent").order_by("name")
    ]


@ttl_memo
def village_choices_grouped(region_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """A region's villages as select groups, one per kecamatan ("Kec. X", [(code, name)]), both by name. (The
    "Kec." is part of the name in both languages: memoised once for all.)"""
    villages = Area.objects.filter(region_id=region_id, level__in=(Area.Level.DESA, Area.Level.KELURAHAN))
    grouped: dict[str, list[tuple[str, str]]] = {}
    for area in villages.select_related("parent").order_by("parent__name", "name"):
        grouped.setdefault(f"Kec. {area.parent.name if area.parent else ''}", []).append((area.code, area.name))
    return list(grouped.items())


def kecamatans_of_region(region: Region):
    return Area.objects.filter(region=region, level=Area.Level.KECAMATAN)


def agencies_of_region(region: Region):
    return Agency.objects.filter(region=region, is_active=True)


def agency_get(region: Region, pk) -> Agency | None:
    return agencies_of_region(region).filter(pk=pk).first()


@ttl_memo
def agency_names(region_id: int) -> dict[int, str]:
    """What each of a region's agencies is called in lists and API answers (its short name, if any)."""
    return {agency.pk: str(agency) for agency in Agency.objects.filter(region_id=region_id)}


def agency_get_by_slug(region: Region, slug: str) -> Agency | None:
    return agencies_of_region(region).filter(slug=slug[:60]).first()


@ttl_memo
def village_codes(region_id: int) -> frozenset[str]:
    return frozenset(code for code, _name in village_choices(region_id))


@ttl_memo
def routing_table(region_id: int) -> dict[str, dict[str, int | str]]:
    """Which office serves which area, for routing workflow steps without a query per submission:
    {"desa": {desa code: office id}, "kecamatan": {kecamatan code: office id}, "parent": {desa: kecamatan}}."""
    offices = Agency.objects.filter(region_id=region_id, is_active=True, area__isnull=False)
    table: dict[str, dict] = {"desa": {}, "kecamatan": {}}
    for kind, area_code, pk in offices.values_list("kind", "area_id", "pk"):
        if kind in table:
            table[kind][area_code] = pk
    table["parent"] = dict(
        Area.objects.filter(region_id=region_id, parent__isnull=False).values_list("code", "parent_id")
    )
    return table


def village_choices_by_region():
    """Every village of the active regions, grouped by region and kecamatan: where a citizen (of any region)
    lives."""
    villages = Area.objects.filter(level__in=(Area.Level.DESA, Area.Level.KELURAHAN), region__is_active=True)
    grouped: dict[str, list] = {}
    for area in villages.select_related("parent", "region").order_by("region__name", "parent__name", "name"):
        kecamatan = area.parent.name if area.parent else ""  # as village_choices_grouped: a desa may lack one
        grouped.setdefault(f"{area.region.name} – Kec. {kecamatan}", []).append((area.code, area.name))
    return list(grouped.items())


def village_of_active_region(code: str) -> Area | None:
    return Area.objects.filter(
        code=code, level__in=(Area.Level.DESA, Area.Level.KELURAHAN), region__is_active=True
    ).first()


def holiday_override_get(region: Region, pk):
    try:
        return HolidayOverride.objects.filter(region=region).get(pk=int(pk or 0))
    except (HolidayOverride.DoesNotExist, ValueError):
        return None

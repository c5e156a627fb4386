from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.regions import wilayah
from gerai.regions.calendar import holiday_overrides
from gerai.regions.models import Agency, Area, HolidayOverride, Region


def region_import_areas(*, actor: Actor, region: Region, with_offices: bool = True) -> int:
    """Load the region's kecamatan and desa/kelurahan from the shipped Kemendagri code list, and
    (optionally) an office agency for each. Idempotent: re-running updates names, adds new codes."""
    prefix = region.code + "."
    wanted = [(code, name) for code, name in wilayah.rows() if code.startswith(prefix)]
    if not wanted:
        raise ValueError(f"no areas under {region.code} in the code list")
    with transaction.atomic():
        by_code: dict[str, Area] = {}
        for code, name in sorted(wanted, key=lambda item: item[0].count(".")):
            parent = by_code.get(code.rsplit(".", 1)[0]) if code.count(".") == 3 else None
            area, _ = Area.objects.update_or_create(
                code=code,
                defaults={"region": region, "name": name, "level": wilayah.level_of(code), "parent": parent},
            )
            by_code[code] = area
        if with_offices:
            for area in by_code.values():
                kind = Agency.Kind.KECAMATAN if area.level == Area.Level.KECAMATAN else Agency.Kind.DESA
                label = {
                    Area.Level.KECAMATAN: "Kecamatan",
                    Area.Level.KELURAHAN: "Kelurahan",
                    Area.Level.DESA: "Desa",
                }[Area.Level(area.level)]
                Agency.objects.update_or_create(
                    region=region,
                    slug=f"{kind}-{area.code.replace('.', '')}",
                    defaults={
                        "name": f"Kantor {label} {area.name}",
                        "short_name": f"{label} {area.name}",
                        "kind": kind,
                        "area": area,
                    },
                )
        audit_record(
            actor=actor,
            action="region.import_areas",
            obj=region,
            region=region,
            changes={"areas": len(by_code)},
        )
    return len(by_code)


def region_create(*, actor: Actor, code: str, slug: str = "", tracking_prefix: str, **fields) -> Region:
    name = fields.pop("name", None) or wilayah.regency_name(code)
    if name is None:
        raise ValueError(f"{code} is not a regency code in the Kemendagri list")
    fields.setdefault("timezone", wilayah.zone_of(code))  # the province's: WIB, WITA or WIT
    with transaction.atomic():
        region = Region.objects.create(
            code=code,
            slug=slug or slugify(name.replace("Kabupaten ", "").replace("Kota ", "kota ")),
            name=name,
            tracking_prefix=tracking_prefix.upper(),
            **fields,
        )
        audit_record(actor=actor, action="region.create", obj=region, region=region, changes={"code": code})
    return region


def holiday_override_set(*, actor: Actor, region: Region, date, is_holiday: bool, name: str) -> HolidayOverride:
    with transaction.atomic():
        override, created = HolidayOverride.objects.update_or_create(
            region=region, date=date, defaults={"is_holiday": is_holiday, "name": name}
        )
        transaction.on_commit(holiday_overrides.cache_clear)
        audit_record(
            actor=actor,
            action="holiday_override.set",
            obj=override,
            region=region,
            changes={"date": date.isoformat(), "is_holiday": is_holiday, "name": name, "created": created},
        )
    return override


def holiday_override_delete(*, actor: Actor, region: Region, override: HolidayOverride) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="holiday_override.delete",
            obj=override,
            region=region,
            changes={"date": override.date.isoformat()},
        )
        override.delete()
        transaction.on_commit(holiday_overrides.cache_clear)


def region_map_set(*, actor: Actor, region: Region, tiles_url: str, attribution: str) -> Region:
    """Switch the public report map on (an https tile URL with {z}, {x} and {y}) or off (empty)."""
    tiles_url = tiles_url.strip()
    if tiles_url and not (tiles_url.startswith("https://") and all(t in tiles_url for t in ("{z}", "{x}", "{y}"))):
        raise ValidationError(_("Give an https tile address with {z}, {x} and {y}, or leave it empty."))
    if tiles_url and not attribution.strip():
        raise ValidationError(_("Name the map's source; tile services require it."))
    with transaction.atomic():
        region.map_tiles_url, region.map_attribution = tiles_url, attribution.strip()[:200]
        region.save(update_fields=["map_tiles_url", "map_attribution"])
        audit_record(actor=actor, action="region.map_set", obj=region, region=region, changes={"tiles_url": tiles_url})
    return region

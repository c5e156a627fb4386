"""A published service's versions and its lineage: GET /api/v1/regions/<region>/services/<service>/versions."""

from datetime import datetime

from ninja import Field as SchemaField
from ninja import Router, Schema

from gerai.api.api import ErrorOut  # defined before api.py mounts this router
from gerai.catalog import selectors as catalog_selectors
from gerai.regions.selectors import region_get_by_slug

router = Router(tags=["catalog"])


class VersionOut(Schema):
    number: int
    published_at: datetime
    note: str
    based_on: str | None = SchemaField(None, description="The source version it was based on: region/service@number.")
    sla_working_days: int
    fee_rupiah: int


class LineageOut(Schema):
    current_version: int | None
    adopted_from: str | None = SchemaField(None, description="region/service it was adopted from, if any.")
    adopted_version: int | None = SchemaField(None, description="The source's version it is up to date with.")
    source_newer_version: int | None = SchemaField(None, description="A newer version of the source, not decided yet.")
    adopted_by: list[str] = SchemaField(description="region/service of the regions that adopted it.")
    versions: list[VersionOut]


def _ref(version) -> str | None:
    if version is None:
        return None
    return f"{version.service.region.slug}/{version.service.slug}@{version.number}"


@router.get("/regions/{region}/services/{service}/versions", response={200: LineageOut, 404: ErrorOut})
def service_versions(request, region: str, service: str):
    """The versions of a published service, newest first, and where it comes from and went."""
    s = catalog_selectors.service_get_published(region_get_by_slug(region), service)
    newer = catalog_selectors.service_upstream_newer(s)
    return {
        "current_version": s.current_version.number if s.current_version else None,
        "adopted_from": f"{s.copied_from.region.slug}/{s.copied_from.slug}" if s.copied_from else None,
        "adopted_version": s.upstream_version.number if s.upstream_version else None,
        "source_newer_version": newer.number if newer else None,
        "adopted_by": [f"{a.region.slug}/{a.slug}" for a in catalog_selectors.service_adopters(s)],
        "versions": [
            {
                "number": v.number,
                "published_at": v.published_at,
                "note": v.note,
                "based_on": _ref(v.based_on),
                "sla_working_days": v.snapshot["scalars"]["sla_working_days"],
                "fee_rupiah": v.snapshot["scalars"]["fee_rupiah"],
            }
            for v in catalog_selectors.service_versions(s)
        ],
    }

"""The open data exports, beside the selectors that build their tables (gerai.dashboards.selectors.DATASETS):
a region's catalogue of aggregated, anonymised datasets, each a CSV file, and its description in DCAT as JSON-LD
(https://www.w3.org/TR/vocab-dcat-3/)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.audit.selectors import region_last_changed
from gerai.core import opendata, pagecache
from gerai.core.pagetopics import CATALOG, FIGURES, GOVERNANCE, INNOVATION, PRICES, TOURISM
from gerai.dashboards.selectors import DATASETS
from gerai.lib.tables import Table

#: what the catalogue's datasets are built from: the services, the rollups, and the datasets the innovation,
#: governance, tourism and prices apps register (gerai.core.opendata)
TOPICS = (CATALOG, FIGURES, INNOVATION, GOVERNANCE, TOURISM, PRICES)
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
DESCRIPTIONS = {
    "layanan": _(
        "Every published service with its agency, time to complete, fee and the components of its service "
        "standard (PermenPANRB 15/2014)."
    ),
    "statistik-layanan-bulanan": _(
        "Per service and month: applications submitted, completed, rejected and cancelled, the share completed "
        "within the standard time, and the median and 90th-percentile time in working days."
    ),
    "statistik-layanan-kecamatan": _("The same figures per kecamatan, service and year."),
    "ikm-triwulan": _(
        "The satisfaction index (IKM, PermenPANRB 14/2017) per service and quarter, with the average of each of "
        "the nine elements."
    ),
    "pengaduan-bulanan": _(
        "Complaints per category and month: filed, first answered and settled, and the median time to the first "
        "answer in working days."
    ),
}
CATALOGUE_DESCRIPTION = _("Aggregated, anonymous figures on public services, citizens' satisfaction and complaints.")
KEYWORDS = {
    "layanan": ["standar pelayanan", "layanan publik"],
    "statistik-layanan-bulanan": ["statistik layanan", "SLA"],
    "statistik-layanan-kecamatan": ["statistik layanan", "kecamatan"],
    "ikm-triwulan": ["IKM", "survei kepuasan masyarakat"],
    "pengaduan-bulanan": ["pengaduan", "SP4N-LAPOR"],
}


def builders() -> dict[str, Callable]:
    """Every dataset's builder by slug: the dashboards' own, then those other apps registered."""
    return DATASETS | {slug: dataset.build for slug, dataset in opendata.registered().items()}


def description(slug: str):
    return DESCRIPTIONS[slug] if slug in DESCRIPTIONS else opendata.registered()[slug].description


def keywords(slug: str) -> list[str]:
    return KEYWORDS[slug] if slug in KEYWORDS else list(opendata.registered()[slug].keywords)


def datasets_of(region) -> list[tuple[str, Table]]:
    """The region's datasets that have rows to publish, by slug."""
    tables = ((slug, build(region)) for slug, build in builders().items())
    return [(slug, table) for slug, table in tables if table is not None]


@dataclass(frozen=True)
class Entry:
    """What the catalogue page and DCAT say of a dataset: its title, columns (name, meaning) and size."""

    slug: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: int


def catalogue_of(region, *, lang: str) -> tuple[list[Entry], str]:
    """The region's datasets that have rows to publish, and the date its data last changed (ISO). Building
    every table to read its title is the dear part: the answer is kept in the shared cache until one of its
    TOPICS changes in the region (gerai.core.pagecache), so the date is that of the last audited write
    when it was built (within GERAI_PUBLIC_CACHE_SECONDS of a write that changes no dataset)."""

    def build() -> tuple[list[Entry], str]:
        entries = [
            Entry(slug, str(table.title), tuple((c.name, str(c.label)) for c in table.columns), len(table.rows))
            for slug, table in datasets_of(region)
        ]
        changed = region_last_changed(region)
        day = timezone.localdate(changed, timezone=region.zone) if changed else timezone.localdate(timezone=region.zone)
        return entries, day.isoformat()

    return pagecache.cached(region.pk, "opendata", (lang,), build, topics=TOPICS)


def dcat_catalogue(region, *, lang: str, home: str, dataset_url: Callable[[str], str]) -> dict:
    """The region's open data catalogue in DCAT (JSON-LD): `home` is the catalogue page's address and
    `dataset_url` gives a dataset's CSV address from its slug, both absolute."""
    entries, modified = catalogue_of(region, lang=lang)
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": region.name,
        "dct:identifier": region.code,
    }
    spatial = {"@type": "dct:Location", "dct:identifier": region.code, "skos:prefLabel": region.name}
    contact = {"@type": "vcard:Organization", "vcard:fn": region.name}
    if region.contact_email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{region.contact_email}"}
    datasets = []
    for entry in entries:
        slug = entry.slug
        url = dataset_url(slug)
        datasets.append(
            {
                "@id": f"{home}#{slug}",
                "@type": "dcat:Dataset",
                "dct:identifier": f"{region.slug}/{slug}",
                "dct:title": [{"@value": entry.title, "@language": lang}],
                "dct:description": [{"@value": str(description(slug)), "@language": lang}],
                "dcat:keyword": keywords(slug),
                "dct:publisher": publisher,
                "dct:spatial": spatial,
                "dct:modified": {"@value": modified, "@type": "xsd:date"},
                "dct:accrualPeriodicity": {"@id": "http://purl.org/cld/freq/daily"},
                "dct:license": {"@id": LICENCE},
                "dcat:contactPoint": contact,
                "dcat:landingPage": {"@id": home},
                "dcat:distribution": [
                    {
                        "@id": url,
                        "@type": "dcat:Distribution",
                        "dct:title": f"{slug}.csv",
                        "dcat:downloadURL": {"@id": url},
                        "dcat:accessURL": {"@id": home},
                        "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/text/csv"},
                        "dct:format": "CSV",
                        "dct:license": {"@id": LICENCE},
                        "dct:description": ", ".join(name for name, _label in entry.columns),
                    }
                ],
            }
        )
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": home,
        "@type": "dcat:Catalog",
        "dct:title": [{"@value": str(_("Open data of %(region)s") % {"region": region.name}), "@language": lang}],
        "dct:description": [{"@value": str(CATALOGUE_DESCRIPTION), "@language": lang}],
        "dct:publisher": publisher,
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/id"},
        "dct:license": {"@id": LICENCE},
        "dct:modified": {"@value": modified, "@type": "xsd:date"},
        "foaf:homepage": {"@id": home},
        "dcat:dataset": datasets,
    }
    return document

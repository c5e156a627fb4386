"""Open datasets that apps publish into their region's open data catalogue (the page, the CSV files and DCAT,
served by gerai.dashboards.opendata). An app registers its datasets in its AppConfig.ready, so the catalogue
lists them without importing the app: the catalogue is a reader, and a reader never sits below what it reads.

    opendata.register("harga-pangan-mingguan", weekly_prices, _("Weekly staple prices per market."), ["harga"])

`build(region)` returns a gerai.lib.tables.Table of aggregated, anonymous rows, or None when there is nothing
to publish (then the dataset is left out)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gerai.lib.tables import Table


@dataclass(frozen=True)
class Dataset:
    slug: str
    build: Callable[[Any], Table | None]
    description: Any  # a lazy translation
    keywords: tuple[str, ...]


_REGISTRY: dict[str, Dataset] = {}


def register(slug: str, build: Callable[[Any], Table | None], description: Any, keywords: list[str]) -> None:
    if slug in _REGISTRY and _REGISTRY[slug].build is not build:
        raise ValueError(f"open dataset {slug!r} is registered twice")
    _REGISTRY[slug] = Dataset(slug, build, description, tuple(keywords))


def registered() -> dict[str, Dataset]:
    return dict(_REGISTRY)

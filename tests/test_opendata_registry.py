"""Apps publish datasets into the region's open data catalogue through gerai.core.opendata, without the
catalogue (dashboards) importing them."""

import json

import pytest

from gerai.core import opendata
from gerai.lib.tables import Column, Table
from tests.factories import make_region

pytestmark = pytest.mark.django_db


def _harbour(region):
    if region.slug.endswith("-none"):
        return None
    return Table("pelabuhan", "Harbours", [Column("name", "Name", "nama", kind="text")], [{"name": "Kuala Pembuang"}])


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(opendata, "_REGISTRY", {})
    opendata.register("pelabuhan", _harbour, "Every harbour of the region.", ["pelabuhan", "transportasi"])


def test_a_registered_dataset_is_listed_described_and_downloadable(registered, client):
    region = make_region().region
    catalogue = json.loads(client.get(f"/{region.slug}/data/dcat.jsonld").content)
    (dataset,) = [d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == f"{region.slug}/pelabuhan"]
    assert dataset["dct:description"][0]["@value"] == "Every harbour of the region."
    assert dataset["dcat:keyword"] == ["pelabuhan", "transportasi"]
    assert "Every harbour of the region." in client.get(f"/{region.slug}/data/").text
    csv = client.get(f"/{region.slug}/data/pelabuhan.csv")
    assert csv.status_code == 200 and "Kuala Pembuang" in csv.content.decode()


def test_registering_another_builder_under_a_taken_slug_is_refused(registered):
    with pytest.raises(ValueError):
        opendata.register("pelabuhan", lambda region: None, "Other.", [])

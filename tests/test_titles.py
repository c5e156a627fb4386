"""Every public page's <title> is "Page – Region – Gerai": the page's own name, then the region's and the
platform's, each once (a screen reader reads the title first, a browser tab shows its start)."""

import html
import re

import pytest
from django.test import Client

from gerai.news.models import Article
from gerai.tourism.models import Destination, Event

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/{r}/",
    "/{r}/layanan/",
    "/{r}/lacak/",
    "/{r}/pengaduan/",
    "/{r}/transparansi/",
    "/{r}/data/",
    "/{r}/berita/",
    "/{r}/berita/?kategori=utama",
    "/{r}/wisata/",
    "/{r}/agenda/",
    "/{r}/agenda/daftar/",
    "/{r}/agenda/arsip/",
    "/{r}/harga/",
    "/{r}/kinerja/",
]


def _title(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    titles = re.findall(r"<title>(.*?)</title>", response.content.decode(), flags=re.S)
    assert len(titles) == 1, url
    return html.unescape(titles[0])


def _pages(region) -> list[str]:
    """The list above, and the region's first article, destination and event."""
    pages = [url.format(r=region.slug) for url in PUBLIC]
    article = Article.objects.filter(region=region, status="published").first()
    pages.append(f"/{region.slug}/berita/{article.slug}/")
    place = Destination.objects.filter(region=region, is_published=True).first()
    pages.append(f"/{region.slug}/wisata/{place.slug}/")
    event = Event.objects.filter(region=region, is_published=True).first()
    if event is not None:  # Seruyan has none yet
        pages.append(f"/{region.slug}/agenda/{event.slug}/")
    return pages


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_public_page_names_its_region_once_in_its_title(banyuwangi, seruyan, language):
    client = Client()
    client.cookies["gerai_lang"] = language
    wrong = []
    for region in (banyuwangi, seruyan):
        for url in _pages(region):
            title = _title(client, url)
            page, _, rest = title.rpartition(f" – {region.name} – ")
            if title.count(region.name) != 1 or title.count("Gerai") != 1 or rest != "Gerai" or not page.strip():
                wrong.append(f"{url}: {title}")
    assert not wrong, wrong


def test_a_page_of_no_region_is_page_then_gerai(db):
    assert _title(Client(), "/") == "Layanan publik daerah – Gerai"


def test_the_innovation_library_names_its_region_once(banyuwangi):
    assert _title(Client(), "/banyuwangi/inovasi/").count(banyuwangi.name) == 1

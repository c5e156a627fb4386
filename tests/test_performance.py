"""Issue #20: the public pages whose answer changes rarely are kept in the shared cache and made stale by a
change of what they show in their region (tests/test_pagetopics.py: which writes bump which pages); the open
data catalogue says when its data last changed, not today."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from gerai.core import pagecache
from gerai.core.actors import Actor
from gerai.dashboards.rollups import rollups_fold

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def cached_pages(settings):
    settings.GERAI_PUBLIC_CACHE_SECONDS = 300
    settings.GERAI_MIN_PUBLIC_CELL = 1
    cache.clear()
    yield
    cache.clear()


def _march(page: str) -> str:
    start = page.index(">Mar 2026<")
    return page[start : page.index("</tr>", start)]


def test_the_transparency_page_is_served_from_the_cache_until_the_region_changes(
    cached_pages, submitted, people, client_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=WIB), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            application = submitted()
            rollups_fold()
        first = client.get("/banyuwangi/transparansi/?tahun=2026").content.decode()
        with django_assert_max_num_queries(3):  # the region, and nothing of the figures
            again = client.get("/banyuwangi/transparansi/?tahun=2026").content.decode()
        assert _march(again) == _march(first) and 'data-value="1">1<' in _march(first)
        other = client.get("/banyuwangi/transparansi/?tahun=2025").content.decode()
        assert other != first  # another query is another entry
        with django_capture_on_commit_callbacks(execute=True):
            submitted()  # an application changes no public figure until the worker folds it
        with django_capture_on_commit_callbacks(execute=True):
            rollups_fold()  # which bumps the region's figures
        after = client.get("/banyuwangi/transparansi/?tahun=2026").content.decode()
    assert 'data-value="2">2<' in _march(after)
    assert application.region.slug == "banyuwangi"


def test_a_change_in_another_region_keeps_the_cache(cached_pages, banyuwangi, seruyan):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert pagecache.cached(banyuwangi.pk, "x", ("id",), build, topics=()) == 1
    pagecache._bump(seruyan.pk)
    assert pagecache.cached(banyuwangi.pk, "x", ("id",), build, topics=()) == 1
    pagecache._bump(banyuwangi.pk)
    assert pagecache.cached(banyuwangi.pk, "x", ("id",), build, topics=()) == 2
    cache.delete(
        pagecache._version_key(banyuwangi.pk, pagecache.REGION)
    )  # evicted: a new version, never an old one again
    assert pagecache.cached(banyuwangi.pk, "x", ("id",), build, topics=()) == 3
    assert pagecache.cached(banyuwangi.pk, "x", ("en",), build, topics=()) == 4


def test_dcat_modified_is_the_day_the_data_last_changed(cached_pages, submitted, client_for):
    # after the demo data's own entries, whenever the test database was made
    with time_machine.travel(dt.datetime(2030, 3, 2, 9, tzinfo=WIB), tick=False):
        submitted()
    with time_machine.travel(dt.datetime(2030, 5, 20, 9, tzinfo=WIB), tick=False):
        catalogue = json.loads(client_for(None).get("/banyuwangi/data/dcat.jsonld").content)
        page = client_for(None).get("/banyuwangi/data/").content.decode()
    assert catalogue["dct:modified"]["@value"] == "2030-03-02"
    assert {d["dct:modified"]["@value"] for d in catalogue["dcat:dataset"]} == {"2030-03-02"}
    monthly = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"].endswith("/statistik-layanan-bulanan"))
    assert "diajukan" in monthly["dcat:distribution"][0]["dct:description"]
    assert "statistik-layanan-bulanan.csv" in page and "<code>diajukan</code>" in page


def test_a_kept_page_carries_each_visitors_own_nonce_and_token(
    cached_pages, client_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    import re

    from gerai.news.models import Article
    from gerai.news.services import article_unpublish

    first, second = client_for(None), client_for(None)
    one = first.get("/banyuwangi/berita/")
    with django_assert_max_num_queries(1):  # the region row at most; the page comes from the cache
        two = second.get("/banyuwangi/berita/")
    nonce = re.compile(r'nonce="([^"]+)"')
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert nonce.findall(one.content.decode())[0] != nonce.findall(two.content.decode())[0]
    assert nonce.findall(two.content.decode())[0] in two["Content-Security-Policy"]
    assert token.findall(two.content.decode()) and "\x00" not in two.content.decode()
    assert two.cookies["csrftoken"].value  # the token in the page matches the visitor's own cookie
    assert nonce.sub("", token.sub("", one.content.decode())) == nonce.sub("", token.sub("", two.content.decode()))
    signed_in = client_for("bwi_admin").get("/banyuwangi/berita/").content.decode()
    assert "Sign out" in signed_in or "Keluar" in signed_in  # never somebody else's kept page
    article = (
        Article.objects.filter(region__slug="banyuwangi", status="published", publish_at__lte=timezone.now())
        .order_by("-publish_at")
        .first()
    )
    assert article is not None and article.title in two.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(actor=Actor.system(), article=article)
    assert article.title not in client_for(None).get("/banyuwangi/berita/").content.decode()


def test_after_a_change_one_visitor_builds_while_the_others_get_the_last_page(cached_pages, banyuwangi):
    built = []

    def build():
        built.append(1)
        return len(built)

    assert pagecache.cached(banyuwangi.pk, "y", (), build, topics=()) == 1
    pagecache._bump(banyuwangi.pk)
    found, value, slot = pagecache._lookup(
        banyuwangi.pk, "y", (), (pagecache.REGION,)
    )  # the first visitor after the change builds
    assert not found
    assert pagecache.cached(banyuwangi.pk, "y", (), build, topics=()) == 1  # meanwhile the others get the last page
    pagecache._keep(slot, "new")
    assert pagecache.cached(banyuwangi.pk, "y", (), build, topics=()) == "new"
    assert len(built) == 1

"""Every page of governance, prices and innovation, office and public, in both demo regions: no table caption or
label repeats the page's h1 or an h2 (the heading names the table through aria-labelledby instead), no two h2
are the same, and the <title> names the region once (the base template adds it). Indonesian-only content on an
English page carries lang="id" (WCAG 3.1.2)."""

import html
import re

import pytest
from django.test import Client

from gerai.accounts.models import User
from gerai.governance import services as governance_services
from gerai.governance.models import Assessment
from gerai.innovation.models import Innovation, RoadmapPlan
from gerai.prices.models import Commodity, Market, PriceSheet

pytestmark = pytest.mark.django_db


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _pages(slug: str) -> list[str]:
    urls = [f"/{slug}/kinerja/", f"/{slug}/kantor/kinerja/", f"/{slug}/kantor/kinerja/iku/"]
    urls += [f"/{slug}/kantor/kinerja/{a.code}/" for a in Assessment.objects.filter(region__slug=slug)]
    urls += [f"/{slug}/{p}/" for p in ("inovasi", "kantor/inovasi", "kantor/inovasi/baru", "kantor/inovasi/adopsi")]
    urls += [f"/{slug}/kantor/inovasi/skor/", f"/{slug}/kantor/inovasi/rencana/"]
    innovations = Innovation.objects.filter(region__slug=slug)
    public = innovations.filter(is_published=True, kind="own").first()
    urls += [f"/{slug}/inovasi/{public.code}/"] if public else []
    urls += [f"/{slug}/kantor/inovasi/{i.code}/" for i in innovations[:1]]
    plans = list(RoadmapPlan.objects.filter(region__slug=slug).order_by("version")[:2])
    urls += [f"/{slug}/kantor/inovasi/rencana/{p.code}/" for p in plans]
    if len(plans) == 2:
        urls.append(f"/{slug}/kantor/inovasi/rencana/banding/?a={plans[0].code}&b={plans[1].code}")
    urls += [f"/{slug}/{p}/" for p in ("harga", "kantor/harga", "kantor/harga/impor", "kantor/harga/acuan")]
    urls.append(f"/{slug}/kantor/harga/pasar/")
    urls += [f"/{slug}/harga/{c.code}/" for c in Commodity.objects.filter(region__slug=slug)[:1]]
    urls += [f"/{slug}/kantor/harga/isi/{m.code}/" for m in Market.objects.filter(region__slug=slug)[:1]]
    sheet = PriceSheet.objects.filter(market__region__slug=slug).order_by("-day").first()
    urls += [f"/{slug}/kantor/harga/lembar/{sheet.market.code}/{sheet.day.isoformat()}/"] if sheet else []
    return urls


@pytest.mark.parametrize("slug", ["banyuwangi", "seruyan"])
def test_no_heading_is_repeated_by_a_caption_and_titles_name_the_region_once(slug):
    from gerai.core.actors import Actor

    admin = User.objects.get(login=f"admin@{slug}.demo")
    if not Assessment.objects.filter(region__slug=slug).exists():  # a sheet page too
        governance_services.assessment_start(
            actor=Actor(user=admin), region=admin.staff_roles.first().region, framework_code="lke-2021", year=2025
        )
    client = Client()
    client.force_login(admin)
    problems = []
    for url in ["/kinerja/", "/inovasi/", *_pages(slug)]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        title = _text(re.search(r"<title>(.*?)</title>", body, re.S).group(1))
        headings = [_text(h) for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", body, re.S)]
        h2 = [_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", body, re.S)]
        names = [_text(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", body, re.S)]
        names += re.findall(r'aria-label="([^"]*)"', body)
        problems += [f"{url}: caption or label {n!r} repeats a heading" for n in names if n in headings]
        problems += [f"{url}: the same h2 twice" for h in set(h2) if h2.count(h) > 1]
        region = title.rsplit(" – ", 1)[-1] if " – " in title else ""
        problems += [f"{url}: title {title!r} names the region twice"] if region and title.count(region) > 1 else []
    assert problems == []


def test_indonesian_content_is_marked_on_english_pages(banyuwangi):
    client = Client()
    client.cookies["gerai_lang"] = "en"
    smart = Innovation.objects.get(region=banyuwangi, name="Smart Kampung")
    detail = client.get(f"/banyuwangi/inovasi/{smart.code}/").content.decode()
    assert '<h1 lang="id">Smart Kampung</h1>' in detail
    assert re.search(r'<p lang="id">[^<]', detail)  # the problem, approach and benefit as entered
    library = client.get("/banyuwangi/inovasi/").content.decode()
    assert re.search(r'<a lang="id" href="/banyuwangi/inovasi/[^"]+/">Smart Kampung</a>', library)
    prices = client.get("/banyuwangi/harga/").content.decode()
    assert re.search(r'<a lang="id" href="/banyuwangi/harga/beras-medium/">Beras medium</a>', prices)
    indonesian = Client().get(f"/banyuwangi/inovasi/{smart.code}/").content.decode()
    assert 'lang="id">Smart Kampung' not in indonesian  # the page itself is Indonesian: nothing to mark

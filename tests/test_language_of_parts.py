"""WCAG 3.1.2 (language of parts): an English page that shows Indonesian content (an untranslated article,
destination or event, a category's or tag's name, alt text written only in Indonesian) marks that element
lang="id", and only that element: the English words around it (labels, the category tag, "Tags:") stay English."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client

from gerai.core.actors import Actor
from gerai.prices import services
from tests.factories import make_prices

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Languages(HTMLParser):
    """The language each piece of text (and each alt text) in <main> is in, as the page declares it."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        lang = found.get("lang") or self._lang()
        if tag == "img" and found.get("alt"):
            self.texts.append((found["alt"], lang))
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if data.strip() and "main" in tags and "script" not in tags:  # the page's content (not its <title>)
            self.texts.append((" ".join(data.split()), self._lang()))


def _language_of(html: str, needle: str) -> set[str]:
    parser = Languages()
    parser.feed(html)
    found = {lang for text, lang in parser.texts if needle in text}
    assert found, f"{needle!r} is not on the page"
    return found


def _english(url: str) -> str:
    client = Client()
    client.cookies["gerai_lang"] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "indonesian", "english"),
    [
        (  # an article without an English version: its title, text, image, tags are Indonesian; the page is not
            "/banyuwangi/berita/pelajar-kemiren-belajar-membatik-gajah-oling/",
            ["Pelajar Kemiren Belajar Membatik", "Setiap Jumat siang", "Tangan seorang siswa", "pendidikan"],
            ["Tags:", "This article is only available in Indonesian", "What do you think of this article?"],
        ),
        (  # a translated article: English, but its tags and its image's alt text are Indonesian
            "/banyuwangi/berita/ribuan-penari-gandrung-siap-tampil-di-pantai-boom/",
            ["gandrung", "Barisan penari"],
            ["Thousands of Gandrung Dancers", "Hundreds of students", "Tags:"],
        ),
        (  # the list: an untranslated article's card, an untranslated category's name
            "/banyuwangi/berita/",
            ["Urus Adminduk Cukup di Kantor Desa", "Warga kini bisa", "Aksi Bersih Pantai"],
            ["Thousands of Gandrung Dancers", "Subscribe to the news feed"],
        ),
        (  # a destination with English text but tickets and accessibility written in Indonesian only
            "/banyuwangi/wisata/kawah-ijen/",
            ["Tiket dibeli di loket.", "Jalur tanah dan berbatu", "Ilustrasi demo Gerai"],
            ["Ijen Crater", "Visiting", "Tickets", "Photo:"],
        ),
        (  # a destination without English: its text is Indonesian, the page's labels are not
            "/banyuwangi/wisata/taman-nasional-alas-purwo/",
            ["Taman Nasional Alas Purwo", "Hutan pantai, savana", "Informasi lengkap tersedia"],
            ["Visiting", "Accessibility", "Open the map (OpenStreetMap)", "Photo:"],
        ),
        (  # the cards: an untranslated name and summary; the kind and "Ticket:" are English
            "/banyuwangi/wisata/",
            ["Hutan pantai, savana", "Hutan trembesi tua"],
            ["Ijen Crater", "Ticket:", "Nature"],
        ),
        (  # the agenda list: an untranslated event's title, but its category tag is English
            "/banyuwangi/agenda/daftar/",
            ["Festival Pantai Pulau Merah"],
            ["Coming up in", "Ten Thousand Cups of Coffee Festival", "Festival and carnival"],
        ),
        (  # the past events
            "/banyuwangi/agenda/arsip/",
            ["Kebo-keboan Alasmalang"],
            ["Past events", "Ritual and tradition"],
        ),
    ],
)
def test_indonesian_content_on_english_pages_is_marked_and_nothing_else(url, indonesian, english):
    html = _english(url)
    wrong = [f"{text!r} is not lang=id" for text in indonesian if _language_of(html, text) != {"id"}]
    wrong += [f"{text!r} is not English" for text in english if _language_of(html, text) != {"en"}]
    assert not wrong, wrong


def test_prices_page_marks_commodity_names_and_says_levels_in_english(personas):
    """/harga/ in English: commodity names in the table's rows, the list and the alert text are lang="id"; the
    levels are English words throughout (Watch, Alert, Critical, like Sharp fall), Indonesian on Indonesian pages."""
    p = make_prices(personas.a)
    start = services.warning.week_of(services.region_today(p.region)) - dt.timedelta(weeks=1)
    for k, price in enumerate(["10.000", "11.300"]):  # +13 %: Siaga
        result = services.sheet_save(
            actor=Actor(user=p.enumerator),
            market=p.market,
            day=start + dt.timedelta(weeks=k),
            raw={"cabai-rawit-merah": price},
            confirmed={"cabai-rawit-merah"},
            submit=True,
        )
        services.sheet_publish(actor=Actor(user=p.tpid), sheet=result.sheet)
    html = _english(f"/{p.region.slug}/harga/")
    assert _language_of(html, "Cabai rawit merah") == {"id"}
    assert 'scope="row" lang="id">' in html  # the table's row header
    assert _language_of(html, "rose 13.0%") == {"en"}
    assert _language_of(html, "Alert") == {"en"} and "Siaga" not in html.split("<main")[1]
    assert _language_of(html, "Watch, Alert and Critical") == {"en"}
    client = Client()
    indonesian = client.get(f"/{p.region.slug}/harga/").content.decode()
    assert "Siaga" in indonesian and 'lang="id"' not in indonesian.split("<main")[1]


def test_kinerja_marks_predicates(banyuwangi):
    for url in ("/banyuwangi/kinerja/", "/kinerja/"):
        html = _english(url)
        assert _language_of(html, "Memuaskan") == {"id"}, url
        assert _language_of(html, "official") == {"en"} or url.endswith("/banyuwangi/kinerja/")


def test_tracking_page_marks_the_service_name(submitted):
    application = submitted()
    html = _english(f"/banyuwangi/lacak/?kode={application.tracking_code}")
    assert _language_of(html, application.service.name) == {"id"}
    assert _language_of(html, "Tracking code") == {"en"}

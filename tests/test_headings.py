"""The news and tourism pages say each heading once: no table caption or h2 repeating the h1 (a screen
reader's list of headings and tables reads like a table of contents, not an echo), no heading inside a caption."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from gerai.accounts.models import User

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """The text of each heading (h1–h6) and table caption, in order, and whether a heading sits in a caption."""

    LABELS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}

    def __init__(self):
        super().__init__()
        self.labels: list[tuple[str, str]] = []
        self.open: list[list] = []
        self.nested = False

    def handle_starttag(self, tag, attrs):
        if tag in self.LABELS:
            self.nested |= tag != "caption" and any(t == "caption" for t, _ in self.open)
            self.open.append([tag, ""])

    def handle_endtag(self, tag):
        if tag in self.LABELS and self.open:
            name, text = self.open.pop()
            self.labels.append((name, " ".join(text.split()).casefold()))
            for outer in self.open:
                outer[1] += text

    def handle_data(self, data):
        if self.open:
            self.open[-1][1] += data


def _repeats(html: str) -> list:
    outline = Outline()
    outline.feed(html)
    seen: dict[str, str] = {}
    repeats = [("heading in a caption", "")] if outline.nested else []
    for tag, text in outline.labels:
        if text in seen:
            repeats.append((seen[text], tag, text))
        seen[text] = tag
    # a caption that is a word or two of the h1 says it again: "News: articles" and "Articles"
    h1 = next((text for tag, text in outline.labels if tag == "h1"), "")
    words = f" {h1.replace(':', ' ')} "
    repeats += [("caption", text) for tag, text in outline.labels if tag == "caption" and f" {text} " in words]
    return repeats


PUBLIC = [
    "/banyuwangi/berita/",
    "/banyuwangi/berita/?kategori=utama",
    "/banyuwangi/berita/ribuan-penari-gandrung-siap-tampil-di-pantai-boom/",
    "/banyuwangi/wisata/",
    "/banyuwangi/wisata/kawah-ijen/",
    "/banyuwangi/agenda/",
    "/banyuwangi/agenda/daftar/",
    "/banyuwangi/agenda/arsip/",
    "/banyuwangi/agenda/festival-gandrung-sewu/",
    "/seruyan/agenda/",
]
OFFICE = [
    "/banyuwangi/kantor/berita/",
    "/banyuwangi/kantor/berita/komentar/",
    "/banyuwangi/kantor/berita/baru/",
    "/banyuwangi/kantor/wisata/",
    "/banyuwangi/kantor/wisata/tujuan/kawah-ijen/",
    "/banyuwangi/kantor/wisata/agenda/baru/",
]


@pytest.mark.parametrize("language", ["id", "en"])
def test_news_and_tourism_pages_say_each_heading_once(language):
    public, office = Client(), Client()
    office.force_login(User.objects.get(login="redaksi@banyuwangi.demo"))
    found = {}
    for client, urls in ((public, PUBLIC), (office, OFFICE)):
        client.cookies["gerai_lang"] = language
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if repeats := _repeats(response.content.decode()):
                found[url] = repeats
    assert not found, found

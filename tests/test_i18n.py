"""Bahasa Indonesia first, with no untranslated string. `make lint` also re-extracts the messages
and fails when the catalog is out of date (a new string without its translation)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

GERAI = Path(__file__).resolve().parents[1] / "gerai"
# The platform's catalog, and one per app that keeps its own (gerai/<app>/locale), so that apps built
# side by side never edit one file.
CATALOGS = [
    GERAI / "locale" / "id" / "LC_MESSAGES" / "django.po",
    *sorted(GERAI.glob("*/locale/id/LC_MESSAGES/django.po")),
]


def _entries():
    for catalog in CATALOGS:
        yield from _catalog_entries(catalog)


def _catalog_entries(catalog: Path):
    text = catalog.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        body = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        if not body.strip():
            continue
        msgid = "".join(re.findall(r'"(.*)"', body.split("msgid_plural")[0].split("msgstr")[0]))
        msgstr = "".join(re.findall(r'"(.*)"', body.split("msgstr", 1)[1]))
        yield msgid, msgstr, block


def test_every_message_has_an_indonesian_translation():
    entries = list(_entries())
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr.strip()]
    fuzzy = [msgid for msgid, _, block in entries if "#, fuzzy" in block]
    assert untranslated == [] and fuzzy == []


def _placeholders(text: str) -> list[str]:
    return sorted(set(re.findall(r"%\(\w+\)s", text)))


def test_placeholders_survive_translation():
    """Indonesian has one plural form, so a plural entry's msgstr[0] serves every count and is held to
    the English plural (which names the count), not to the singular (which may leave it out)."""
    for msgid, msgstr, block in _entries():
        plural = re.search(r"msgid_plural((?:\s*\".*\")+)", block)
        english = "".join(re.findall(r'"(.*)"', plural.group(1))) if plural else msgid
        assert _placeholders(english) == _placeholders(msgstr), msgid


def test_pages_are_indonesian_by_default_and_english_on_request(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the phone's language does not decide
    assert "Layanan publik" in client.get("/banyuwangi/").text
    client.cookies["gerai_lang"] = "en"
    assert "Public services" in client.get("/banyuwangi/").text
    translation.activate("id")


@pytest.mark.parametrize(
    "url",
    [
        "/banyuwangi/kantor/pengaduan/kategori/",
        "/banyuwangi/kantor/pengaduan/",
        "/banyuwangi/kantor/pengaduan/kunci/",
        "/banyuwangi/kantor/pengaduan/statistik/",
        "/banyuwangi/kantor/surat/",
        "/banyuwangi/kantor/ikm/",
        "/banyuwangi/kantor/survei/baru/",
        "/banyuwangi/kantor/survei/impor/",
        "/banyuwangi/kantor/layanan/surat-domisili/surat/",
        "/banyuwangi/pengaduan/",
        "/banyuwangi/pengaduan/baru/",
        "/banyuwangi/verifikasi/",
        "/banyuwangi/transparansi/",
        "/banyuwangi/kantor/dasbor/",
        "/banyuwangi/data/",
        "/banyuwangi/layanan/akta-kelahiran/",
        "/banyuwangi/kantor/berita/",
        "/banyuwangi/kantor/wisata/",
    ],
)
@pytest.mark.django_db
def test_every_page_has_one_plain_title_and_one_main_heading(client_for, url):
    html = client_for("bwi_admin").get(url).content.decode()
    titles = re.findall(r"<title>(.*?)</title>", html, flags=re.S)
    assert len(titles) == 1 and "<" not in titles[0] and titles[0].strip()
    assert html.count("<h1") == 1


NAIVE_RANGE = {"min_value": dt.datetime(1900, 1, 1), "max_value": dt.datetime(2200, 12, 31)}  # noqa: DTZ001 (hypothesis takes naive bounds)


@given(moment=st.datetimes(**NAIVE_RANGE))
@pytest.mark.parametrize("language", ["id", "en"])
def test_dates_read_as_django_formats_them_in_either_language(language, moment):
    from django.utils.formats import date_format

    from gerai.core.templatetags.gerai import local, local_date

    class Region:  # the filters need a zone and its name; UTC keeps the moment as it is
        zone, zone_abbreviation = dt.UTC, "WIB"

    aware = moment.replace(tzinfo=dt.UTC)
    with translation.override(language):
        assert local_date(aware, Region) == date_format(moment, "j F Y")
        assert local(aware, Region) == date_format(moment, "j F Y, H.i") + " WIB"

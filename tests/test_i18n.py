"""Bahasa Indonesia first, with no untranslated string. `make lint` also re-extracts the messages
and fails when the catalog is out of date (a new string without its translation)."""

import re
from pathlib import Path

from django.test import Client
from django.utils import translation

CATALOG = Path(__file__).resolve().parents[1] / "gerai" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _entries():
    text = CATALOG.read_text(encoding="utf-8")
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


def test_placeholders_survive_translation():
    for msgid, msgstr, _ in _entries():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_pages_are_indonesian_by_default_and_english_on_request(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the phone's language does not decide
    assert "Layanan publik" in client.get("/banyuwangi/").text
    client.cookies["gerai_lang"] = "en"
    assert "Public services" in client.get("/banyuwangi/").text
    translation.activate("id")

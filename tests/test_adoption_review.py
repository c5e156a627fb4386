"""The review of an adoption flags text naming the source region in the letter template too (the documents app
gives its template's words to gerai/catalog/lineage.REVIEW_TEXTS; catalog never imports documents)."""

import pytest
from django.utils import translation

from gerai.catalog import lineage
from gerai.catalog.services import service_copy
from gerai.core.actors import Actor
from gerai.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db

BODY = (
    "<style>.jember { color: black }</style>"
    '<p class="jember">Yang bertanda tangan di bawah ini, Kepala Desa, Kabupaten Jember, menerangkan bahwa '
    "{{ nama }} berdomisili di desa kami. Informasi: Jl. Sudarman No. 1.</p>"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def source(personas):
    service = personas.service
    DocumentTemplate.objects.create(service=service, title="SURAT KETERANGAN", body=BODY)
    return service


def test_the_letter_template_is_reviewed_as_text(personas, source):
    flags = [f for f in lineage.review_flags(source, "Kabupaten Jember") if f["where"].startswith("Letter")]
    found = {(f["where"], f["text"]) for f in flags}
    assert ("Letter template: body", "Jember") in found
    assert any(text.startswith("Jl. Sudarman") for _where, text in found)
    # its markup and CSS are not the letter's text: the class name is not flagged a second time
    assert sum(1 for f in flags if f["text"] == "Jember") == 1
    # the title names no region: nothing flagged there
    assert not any(where == "Letter template: title" for where, _text in found)


def test_the_adoption_preview_and_the_adopted_service_flag_the_template(personas, source):
    client = personas.client("outsider_admin")
    preview = client.get(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/")
    assert preview.status_code == 200 and "Jl. Sudarman" in preview.text
    copy = service_copy(actor=Actor(user=personas.outsider_admin), source=source, region=personas.b.region, slug="sk")
    assert DocumentTemplate.objects.get(service=copy).body == BODY  # copied with the service
    page = client.get(f"/{personas.b.region.slug}/kantor/layanan/{copy.slug}/")
    assert page.status_code == 200 and "Jl. Sudarman" in page.text
    # once the adopter rewrites its letter, nothing of it is flagged any more
    DocumentTemplate.objects.filter(service=copy).update(body="<p>{{ nama }} berdomisili di Tanah Laut.</p>")
    with translation.override("en"):
        assert not [f for f in lineage.review_flags(copy, "Kabupaten Jember") if f["where"].startswith("Letter")]


def test_a_service_without_a_letter_template_adds_nothing(personas):
    assert not [
        f for f in lineage.review_flags(personas.service, "Kabupaten Jember") if f["where"].startswith("Letter")
    ]

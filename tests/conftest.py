"""Named personas on the demo platform, loaded once per test session (and per xdist worker)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import settings as hypothesis_settings

# Property tests check what is true, never how fast: a CI machine running two databases' suites, or a
# developer's laptop under load, must not fail a law that holds because one example took 300 ms.
hypothesis_settings.register_profile("gerai", deadline=None)
hypothesis_settings.load_profile("gerai")

PERSONAS = {
    "citizen_a": "warga@banyuwangi.demo",  # Siti, Desa Kemiren, Kec. Glagah
    "citizen_b": "warga2@banyuwangi.demo",  # Budi, Kelurahan Sobo, Kec. Banyuwangi
    "desa_officer": "desa.kemiren@banyuwangi.demo",
    "kades": "kades.kemiren@banyuwangi.demo",
    "kecamatan_officer": "kecamatan.glagah@banyuwangi.demo",
    "camat": "camat.glagah@banyuwangi.demo",
    "sobo_officer": "kelurahan.sobo@banyuwangi.demo",
    "capil_officer": "capil@banyuwangi.demo",
    "capil_supervisor": "kadis.capil@banyuwangi.demo",
    "dpmptsp_officer": "dpmptsp@banyuwangi.demo",
    "bwi_admin": "admin@banyuwangi.demo",
    "seruyan_citizen": "warga@seruyan.demo",
    "seruyan_officer": "capil@seruyan.demo",
    "seruyan_admin": "admin@seruyan.demo",
    "seruyan_kelurahan": "kelurahan.kualapembuang@seruyan.demo",
    "seruyan_lurah": "lurah.kualapembuang@seruyan.demo",
    "seruyan_camat": "camat.seruyanhilir@seruyan.demo",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from gerai.demo.build import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle windows live in the (per-process) cache and, for tracking look-ups, in the process itself: each
    test starts with none (a worker's earlier tests within the same minute once used up a later one's look-ups)."""
    from django.core.cache import cache

    from gerai.core.throttle import throttle_reset_local

    cache.clear()
    throttle_reset_local()


@pytest.fixture
def people(db):
    from gerai.accounts.models import User

    users = {u.login: u for u in User.objects.filter(login__in=PERSONAS.values())}
    return {name: users[login] for name, login in PERSONAS.items()}


@pytest.fixture
def client_for(people):
    def make(name: str | None) -> Client:
        client = Client()
        if name:
            client.force_login(people[name])
        return client

    return make


@pytest.fixture
def personas(db):
    """Small factory-made personas of two fresh regions (tests/factories.py): what new tests stand on."""
    from tests.factories import make_personas

    return make_personas()


@pytest.fixture
def banyuwangi(db):
    from gerai.regions.models import Region

    return Region.objects.get(slug="banyuwangi")


@pytest.fixture
def seruyan(db):
    from gerai.regions.models import Region

    return Region.objects.get(slug="seruyan")


# --- files: real bytes of each kind ----------------------------------------------------------

PNG = (  # a real 1x1 PNG, as Pillow writes it (so re-encoding an upload gives the same bytes)
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac````\x00\x00\x00\x05\x00\x01z\xa8WP\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (  # a real one-page PDF (as pypdf writes it): uploads are parsed, not sniffed
    b"%PDF-1.3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\n"
    b"endobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n"
    b"/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000048 00000 n \n0000000107 00000 n \n0000000156 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n"
    b"/Info 1 0 R\n>>\nstartxref\n250\n%%EOF\n"
)


def active_pdf(kind: str) -> bytes:
    """A one-page PDF that carries active content: "js" (document JavaScript), "open" (an OpenAction),
    "launch" (a page action launching a program) or "attach" (an embedded file)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if kind == "js":
        script = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(script)])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    elif kind == "open":
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    elif kind == "launch":
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("x.exe")}
        )
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    else:
        writer.add_attachment("bukti.exe", b"MZ")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def png(name="foto.png"):
    return upload(name, PNG)


def pdf(name="dokumen.pdf"):
    return upload(name, PDF)


@pytest.fixture
def files():
    return {"png": png, "pdf": pdf, "exe": lambda name="virus.pdf": upload(name, EXE), "raw": io.BytesIO}


AKTA_ANSWERS = [
    {"nama_anak": "Putri Ayu", "tanggal_lahir": "2026-11-02", "jenis_kelamin": "P", "tempat_lahir": "puskesmas"},
    {"nik_ibu": "3510155203900001", "nama_ibu": "Siti Aminah", "nik_ayah": "", "nama_ayah": ""},
    {"desa": "35.10.15.2004", "telepon": "0812 3456 7890"},
]


SKU_ANSWERS = [
    {
        "nama_usaha": "Warung Osing Bu Siti",
        "jenis_usaha": "kuliner",
        "alamat_usaha": "Jl. Kemiren 3",
        "lama_usaha": "4",
    },
    {"desa": "35.10.15.2004", "telepon": "0812 3456 7890"},
]


@pytest.fixture
def submitted(people, banyuwangi):
    """Citizen A's Akta Kelahiran, submitted through the services (the web flow has its own test)."""

    def make(citizen="citizen_a", answers=AKTA_ANSWERS, slug="akta-kelahiran", region=banyuwangi):
        from gerai.applications import services
        from gerai.catalog.models import Service
        from gerai.catalog.selectors import service_form_pages
        from gerai.core.actors import Actor

        actor = Actor(user=people[citizen])
        service = Service.objects.get(region=region, slug=slug)
        application = services.application_start(actor=actor, service=service, applicant=people[citizen])
        for fields, data in zip(service_form_pages(service), answers, strict=True):
            errors = services.application_save_answers(actor=actor, application=application, fields=fields, data=data)
            assert errors == {}, errors
        for requirement in service.documents.filter(required=True):
            services.application_attach_document(
                actor=actor, application=application, requirement=requirement, upload=png()
            )
        return services.application_submit(actor=actor, application=application)

    return make

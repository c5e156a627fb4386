"""A region's own service categories: the platform's five until the first change, then the region's list, which
orders the public catalog; codes never change, a category in use is not removed, and an adopted service brings
its category along when the adopter has none with that code."""

import pytest
from django.core.exceptions import ValidationError

from gerai.audit.models import AuditEntry
from gerai.catalog.models import ServiceCategory
from gerai.catalog.selectors import categories_of_region
from gerai.catalog.services import CatalogError, category_delete, category_save, service_copy, service_update
from gerai.core.actors import Actor
from tests.factories import make_service

pytestmark = pytest.mark.django_db
PAGE = "/jember-uji/kantor/kategori-layanan/"


def test_a_region_starts_with_the_platforms_categories_and_the_first_change_makes_them_its_own(personas):
    region = personas.a.region
    assert [code for code, _name in categories_of_region(region.pk)] == [
        "kependudukan",
        "perizinan",
        "surat",
        "kesehatan",
        "sosial",
    ]
    admin = personas.client("admin")
    page = admin.get(PAGE)
    assert page.status_code == 200 and "Surat keterangan" in page.text and "bawaan platform" in page.text
    added = admin.post(PAGE, {"what": "save", "code": "pertanian", "name": "Pertanian dan Perikanan", "order": "5"})
    assert added.status_code == 302
    own = list(ServiceCategory.objects.filter(region=region).values_list("code", flat=True))
    assert own == ["pertanian", "kependudukan", "perizinan", "surat", "kesehatan", "sosial"]  # by order
    assert ServiceCategory.objects.get(region=region, code="surat").name == "Surat keterangan"  # in Indonesian
    assert AuditEntry.objects.filter(region=region, action="service_category.create").count() == 1
    # the public catalog follows the region's order and names
    make_service(personas.a, slug="kartu-tani", category="pertanian", name="Kartu Tani")
    catalog = personas.client(None).get("/jember-uji/layanan/").text
    assert catalog.index("Pertanian dan Perikanan") < catalog.index("Surat Keterangan")
    assert personas.b.region.service_categories.count() == 0  # the other region still has the defaults


def test_renaming_shows_on_the_public_pages_and_the_code_cannot_change(personas):
    admin = personas.client("admin")
    assert personas.client(None).get("/jember-uji/layanan/").status_code == 200  # kept in the page cache
    response = admin.post(f"{PAGE}?ubah=surat", {"what": "save", "code": "lain", "name": "Surat Keterangan Desa"})
    assert response.status_code == 302
    category = ServiceCategory.objects.get(region=personas.a.region, code="surat")  # the code stayed
    assert category.name == "Surat Keterangan Desa"
    assert not ServiceCategory.objects.filter(code="lain").exists()
    assert "Surat Keterangan Desa" in personas.client(None).get("/jember-uji/layanan/").text
    detail = personas.client(None).get("/jember-uji/layanan/surat-keterangan/").text
    assert "Surat Keterangan Desa" in detail
    api = personas.client(None).get("/api/v1/regions/jember-uji/services").json()
    assert api[0]["category"] == "surat" and api[0]["category_name"] == "Surat Keterangan Desa"


def test_a_category_in_use_or_the_last_one_is_not_removed(personas):
    region, actor = personas.a.region, Actor(user=personas.admin)
    admin = personas.client("admin")
    refused = admin.post(PAGE, {"what": "delete", "code": "surat"}, follow=True)
    assert refused.status_code == 200 and "1 layanan ada dalam kategori ini" in refused.text
    assert "surat" in dict(categories_of_region(region.pk))  # and nothing else changed: still the defaults
    assert not ServiceCategory.objects.filter(region=region).exists()
    assert admin.post(PAGE, {"what": "delete", "code": "sosial"}).status_code == 302
    assert "sosial" not in dict(categories_of_region(region.pk))
    for code in ("kependudukan", "perizinan", "kesehatan"):
        category_delete(actor=actor, region=region, code=code)
    personas.service.delete()
    with pytest.raises(CatalogError) as last:
        category_delete(actor=actor, region=region, code="surat")
    assert last.value.code == "category_last"


def test_a_service_takes_only_a_category_of_its_region(personas):
    category_save(
        actor=Actor(user=personas.outsider_admin),
        region=personas.b.region,
        code="",
        data={"code": "pariwisata", "name": "Pariwisata"},
    )
    with pytest.raises(ValidationError):
        service_update(actor=Actor(user=personas.admin), service=personas.service, data={"category": "pariwisata"})
    form = personas.client("admin").post(
        "/jember-uji/kantor/layanan/surat-keterangan/", {"name": "Surat Keterangan", "category": "pariwisata"}
    )
    assert form.status_code == 400 and "pariwisata bukan salah satu dari pilihan" in form.text
    personas.service.refresh_from_db()
    assert personas.service.category == "surat"


def test_an_adopted_service_brings_its_category(personas):
    a_admin, b_admin = Actor(user=personas.admin), Actor(user=personas.outsider_admin)
    category_save(actor=a_admin, region=personas.a.region, code="", data={"code": "pertanian", "name": "Pertanian"})
    source = make_service(personas.a, slug="kartu-tani", category="pertanian", name="Kartu Tani")
    category_save(actor=b_admin, region=personas.b.region, code="sosial", data={"name": "Sosial", "order": 1})
    copy = service_copy(actor=b_admin, source=source, region=personas.b.region, slug="kartu-tani")
    assert copy.category == "pertanian"
    assert ServiceCategory.objects.get(region=personas.b.region, code="pertanian").name == "Pertanian"
    entry = AuditEntry.objects.filter(region=personas.b.region, action="service.copy").latest("pk")
    assert entry.changes["category_added"] == "pertanian"
    # a second adoption into the same category adds nothing
    other = make_service(personas.a, slug="alsintan", category="pertanian", name="Bantuan Alsintan")
    service_copy(actor=b_admin, source=other, region=personas.b.region, slug="alsintan")
    assert ServiceCategory.objects.filter(region=personas.b.region, code="pertanian").count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "supervisor", "outsider_admin"])
def test_only_the_regions_admin_sees_the_categories(personas, persona):
    response = personas.client(None if persona == "anonymous" else persona).get(PAGE)
    if persona == "anonymous":  # asked to sign in first
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    else:
        assert response.status_code == 404


def test_two_categories_of_one_name_both_show_their_services(personas):
    actor = Actor(user=personas.admin)
    category_save(actor=actor, region=personas.a.region, code="", data={"code": "bansos", "name": "Surat keterangan"})
    make_service(personas.a, slug="bantuan", category="bansos", name="Bantuan Sosial Tunai")
    page = personas.client(None).get("/jember-uji/layanan/").text
    assert "Surat Keterangan" in page and "Bantuan Sosial Tunai" in page
    assert page.count("<h2>Surat keterangan</h2>") == 2


def test_english_pages_keep_the_defaults_english_and_mark_the_regions_own_names(personas):
    admin = personas.client("admin")
    admin.post(PAGE, {"what": "save", "code": "pertanian", "name": "Pertanian"})  # the list becomes the region's
    english = personas.client(None)
    english.post("/bahasa/", {"language": "en", "next": "/"})
    page = english.get("/jember-uji/layanan/").text
    assert "<h2>Letters and certificates</h2>" in page  # a default, unchanged: still translated
    make_service(personas.a, slug="kartu-tani", category="pertanian", name="Kartu Tani")
    page = english.get("/jember-uji/layanan/").text
    assert '<h2 lang="id">Pertanian</h2>' in page  # the region's own name is Indonesian content


@pytest.mark.parametrize("code", ["SURAT", "Pertanian", "per_tanian", "per tanian", "-tani", "tani-"])
def test_a_code_is_lowercase_letters_digits_and_hyphens(personas, code):
    response = personas.client("admin").post(PAGE, {"what": "save", "code": code, "name": "Pertanian"})
    assert response.status_code == 400 and "huruf kecil, angka dan tanda hubung" in response.text
    assert not ServiceCategory.objects.filter(region=personas.a.region).exists()

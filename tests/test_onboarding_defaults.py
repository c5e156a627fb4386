"""What a new region starts with beyond its areas (gerai/onboarding, gerai/complaints): the regional secretariat
holding a default set of complaint categories, which the admin edits afterwards; and the platform admin's link in
the header, for superusers only."""

import pytest

from gerai.accounts.models import User
from gerai.audit.models import AuditEntry
from gerai.complaints.models import Category
from gerai.complaints.services import DEFAULT_CATEGORIES, categories_seed_defaults, category_save
from gerai.core.actors import Actor
from gerai.onboarding.services import agency_save, region_onboard
from gerai.regions.models import Agency

pytestmark = pytest.mark.django_db


def test_a_new_region_gets_default_complaint_categories_held_by_its_setda():
    region = region_onboard(actor=Actor.system(), code="63.01").region
    setda = Agency.objects.get(region=region, slug="setda")
    assert (setda.name, setda.kind) == ("Sekretariat Daerah", Agency.Kind.DINAS)
    categories = list(Category.objects.filter(region=region))
    assert [c.code for c in categories] == [code for code, *_rest in DEFAULT_CATEGORIES]
    assert {c.agency for c in categories} == {setda} and all(c.is_active for c in categories)
    assert AuditEntry.objects.filter(region=region, action="complaint_category.save").count() == len(categories)
    # the reporting form offers them at once
    assert region.has_module("pengaduan")

    # editable afterwards: renamed, given to the dinas that handles it, or switched off
    pupr = agency_save(actor=Actor.system(), region=region, agency=None, data={"name": "Dinas PUPR"})
    road = categories[0]
    data = {"code": road.code, "name": "Jalan dan jembatan rusak", "description": "", "group": "Infrastruktur"}
    category_save(
        actor=Actor.system(),
        region=region,
        category=road,
        data=data | {"keywords": "", "agency": pupr, "is_active": True},
    )
    road.refresh_from_db()
    assert (road.name, road.agency) == ("Jalan dan jembatan rusak", pupr)

    # onboarding again changes nothing; seeding a region that has categories adds none
    count = Category.objects.count()
    assert not region_onboard(actor=Actor.system(), code="63.01").created
    assert categories_seed_defaults(actor=Actor.system(), region=region, agency=setda) == []
    assert Category.objects.count() == count


def test_the_platform_link_is_shown_to_superusers_only(personas, client):
    region_page = f"/{personas.a.region.slug}/"
    for who in ("admin", "dinas_officer", "citizen", None):
        for page in ("/", region_page):
            assert 'href="/platform/"' not in personas.client(who).get(page).text, (who, page)
    root = User.objects.create_superuser("root@platform.test", "x", full_name="Root")
    client.force_login(root)
    for page in ("/", region_page, "/platform/"):
        assert 'href="/platform/"' in client.get(page).text, page

"""Where a sign-in without `next` lands: a staff member of one region on their own office page, the platform
admin on /platform/, a citizen home; and the work queue sends those with no applications to their page."""

import pyotp
import pytest
from django.test import Client

from gerai.accounts.models import StaffRole
from tests.factories import PASSWORD, make_citizen, make_personas, make_staff

pytestmark = pytest.mark.django_db


def _sign_in(user, next_path: str = "") -> str:
    client = Client()
    data = {"identifier": user.login, "password": PASSWORD} | ({"next": next_path} if next_path else {})
    answer = client.post("/akun/masuk/", data)
    if answer.status_code == 302 and "/akun/" in answer["Location"] and user.totp_secret:
        code = pyotp.TOTP(user.totp_secret).now()
        answer = client.post(answer["Location"], {"code": code})
    assert answer.status_code == 302, answer.content[:500]
    return answer["Location"]


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (StaffRole.Role.OFFICER, "kantor/"),
        (StaffRole.Role.ENUMERATOR, "kantor/harga/"),
        (StaffRole.Role.TPID, "kantor/harga/"),
        (StaffRole.Role.ASSESSOR, "kantor/kinerja/"),
        (StaffRole.Role.PLANNER, "kantor/inovasi/"),
        (StaffRole.Role.EDITOR, "kantor/berita/"),
    ],
)
def test_staff_of_one_region_land_on_their_own_office_page(role, landing):
    personas = make_personas()
    region = personas.a.region
    user = make_staff(region, personas.a.dinas, role)
    assert _sign_in(user).startswith(f"/{region.slug}/{landing}")
    assert _sign_in(user, next_path="/akun/profil/") == "/akun/profil/"  # a safe `next` still wins


def test_a_citizen_lands_home_and_the_platform_admin_on_the_platform_pages():
    personas = make_personas()
    assert _sign_in(make_citizen(personas.a.desa)) == "/"
    admin = personas.admin
    admin.is_superuser = True
    admin.staff_roles.all().delete()
    admin.save()
    assert _sign_in(admin) == "/platform/"


def test_the_work_queue_sends_an_enumerator_to_the_prices_office_and_keeps_officers():
    personas = make_personas()
    region = personas.a.region
    enumerator = make_staff(region, personas.a.dinas, StaffRole.Role.ENUMERATOR)
    client = Client()
    client.force_login(enumerator)
    answer = client.get(f"/{region.slug}/kantor/")
    assert answer.status_code == 302 and answer["Location"] == f"/{region.slug}/kantor/harga/"
    assert personas.client("desa_officer").get(f"/{region.slug}/kantor/").status_code == 200

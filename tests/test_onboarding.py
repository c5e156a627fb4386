"""Onboarding a region (gerai/onboarding): from a Kemendagri code to areas, offices, the province's time zone,
the default modules, its own CA and its first admin's invitation; idempotent, and all or nothing."""

import pytest
from django.core.management import call_command
from django.utils import translation

from gerai.accounts.models import StaffInvitation, StaffRole
from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.documents.models import SigningAuthority
from gerai.onboarding.services import DEFAULT_MODULES, OnboardingError, region_onboard, tracking_prefix_for
from gerai.regions import wilayah
from gerai.regions.models import Agency, Area, Region

pytestmark = pytest.mark.django_db

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
EXPECTED = {
    "Kalimantan Barat": WIB,
    "Kalimantan Tengah": WIB,
    "Kalimantan Selatan": WITA,
    "Kalimantan Timur": WITA,
    "Kalimantan Utara": WITA,
    "Bali": WITA,
    "Nusa Tenggara Barat": WITA,
    "Nusa Tenggara Timur": WITA,
    "Gorontalo": WITA,
    "Maluku": WIT,
    "Maluku Utara": WIT,
}


def _expected_zone(province_name: str) -> str:
    if province_name in EXPECTED:
        return EXPECTED[province_name]
    if province_name.startswith("Sulawesi"):
        return WITA
    if province_name.startswith("Papua"):
        return WIT
    return WIB  # Sumatra, the Riau and Bangka Belitung islands, Java


def test_every_province_has_the_right_time_zone_and_there_are_38():
    names = dict(wilayah.rows())
    provinces = wilayah.province_codes()
    assert len(provinces) == 38
    for code in provinces:
        assert wilayah.zone_of(code) == _expected_zone(names[code]), names[code]


@pytest.mark.parametrize("province", [p for p in wilayah.province_codes()])
def test_a_region_onboarded_in_every_province_gets_its_time_zone(province):
    """One kabupaten/kota of each of the 38 provinces, onboarded for real (areas, offices, CA)."""
    code = wilayah.regency_codes(province)[0]
    done = region_onboard(actor=Actor.system(), code=code)
    names = dict(wilayah.rows())
    assert done.created and done.region.timezone == _expected_zone(names[province])
    assert done.region.zone_abbreviation in ("WIB", "WITA", "WIT")


def test_onboarding_tanah_laut_makes_everything_and_rerunning_changes_nothing():
    done = region_onboard(actor=Actor.system(), code="63.01", admin_email="Admin@TanahLaut.test", admin_name="Rina")
    region = done.region
    assert (region.name, region.slug, region.timezone) == ("Kabupaten Tanah Laut", "tanah-laut", WITA)
    assert region.modules == DEFAULT_MODULES and len(region.tracking_prefix) == 3
    kecamatan = Area.objects.filter(region=region, level=Area.Level.KECAMATAN).count()
    assert kecamatan == 11 and done.areas == Area.objects.filter(region=region).count() > 100
    assert Agency.objects.filter(region=region).count() == done.areas + 1  # an office for each area, and the Setda
    assert SigningAuthority.objects.filter(region=region).exclude(key_file="").count() == 1
    invitation = StaffInvitation.objects.get(region=region)
    assert (invitation.email, invitation.role, invitation.full_name) == ("admin@tanahlaut.test", "admin", "Rina")
    assert invitation.digest == StaffInvitation.digest_of(done.invitation_token)
    assert AuditEntry.objects.filter(region=region, action="region.onboard").count() == 1

    counts = (Region.objects.count(), Area.objects.count(), StaffInvitation.objects.count(), AuditEntry.objects.count())
    again = region_onboard(actor=Actor.system(), code="63.01", admin_email="other@tanahlaut.test")
    assert not again.created and again.region == region
    assert counts == (
        Region.objects.count(),
        Area.objects.count(),
        StaffInvitation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("code", "slug", "field"),
    [
        ("99.99", "", "code"),
        ("63", "", "code"),
        ("63.01.01", "", "code"),
        ("63.02", "banyuwangi", "slug"),
        ("63.02", "platform", "slug"),
        ("63.02", "kinerja", "slug"),  # top-level pages added later are reserved from the URL configuration
        ("63.02", "inovasi", "slug"),
    ],
)
def test_bad_codes_and_taken_addresses_are_refused_and_nothing_is_left(code, slug, field, banyuwangi):
    before = (Region.objects.count(), Area.objects.count(), AuditEntry.objects.count())
    with pytest.raises(OnboardingError) as refused:
        region_onboard(actor=Actor.system(), code=code, slug=slug)
    assert refused.value.field == field and str(refused.value.message)
    assert before == (Region.objects.count(), Area.objects.count(), AuditEntry.objects.count())


def test_a_failure_late_in_onboarding_leaves_nothing_half_created(monkeypatch):
    import gerai.onboarding.services as onboarding

    def broken(**kwargs):
        raise RuntimeError("key store full")

    monkeypatch.setattr(onboarding, "signing_authority_create", broken)
    with pytest.raises(RuntimeError):
        region_onboard(actor=Actor.system(), code="63.01", admin_email="a@b.test")
    assert (
        not Region.objects.filter(code="63.01").exists() and not Area.objects.filter(code__startswith="63.01.").exists()
    )
    assert not StaffInvitation.objects.filter(email="a@b.test").exists()


def test_the_command_onboards_and_says_when_nothing_changed(capsys):
    call_command("region_create", "63.01", "--slug", "tala", "--admin-email", "admin@tala.test")
    out = capsys.readouterr().out
    assert "onboarded as /tala/" in out and "WITA" in out and "/akun/undangan/" in out
    call_command("region_create", "63.01")
    assert "nothing changed" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"12\.345") as refused, translation.override("en"):
        call_command("region_create", "12.345")
    with translation.override("en"):  # the message is lazy: read it in one language whatever the worker's is
        assert "not a kabupaten/kota code" in str(refused.value)


def test_tracking_prefixes_are_free_and_three_letters(banyuwangi):
    assert tracking_prefix_for("Kabupaten Tanah Laut") == "TNH"
    Region.objects.filter(pk=banyuwangi.pk).update(tracking_prefix="TNH")
    assert tracking_prefix_for("Kabupaten Tanah Laut") not in ("TNH", "BWI", "SRY")


def test_the_invited_admin_accepts_once_and_can_open_the_settings(client):
    done = region_onboard(actor=Actor.system(), code="63.01", admin_email="admin@tanahlaut.test")
    link = f"/akun/undangan/{done.invitation_token}/"
    page = client.get(link)
    assert page.status_code == 200 and "Tanah Laut" in page.text
    weak = client.post(link, {"password": "123"})
    assert weak.status_code == 400 and not StaffRole.objects.filter(region=done.region).exists()
    answer = client.post(link, {"password": "sungai-barito-9"})
    assert answer.status_code == 302
    role = StaffRole.objects.get(region=done.region)
    assert role.role == "admin" and role.user.email == "admin@tanahlaut.test"
    used = client.get(link)
    assert used.status_code == 410 and client.post(link, {"password": "sungai-barito-9"}).status_code != 302
    assert client.get("/akun/undangan/not-a-token/").status_code == 404


def test_an_expired_or_withdrawn_invitation_says_so_and_grants_nothing(client):
    import datetime as dt

    import time_machine

    from gerai.accounts.services import invitation_revoke, staff_invite

    done = region_onboard(actor=Actor.system(), code="63.01", admin_email="admin@tanahlaut.test")
    with time_machine.travel(dt.timedelta(days=8)):
        page = client.post(f"/akun/undangan/{done.invitation_token}/", {"password": "sungai-barito-9"})
        assert page.status_code == 410 and not StaffRole.objects.filter(region=done.region).exists()
    invitation, token = staff_invite(
        actor=Actor.system(), region=done.region, email="b@tanahlaut.test", full_name="B", role="admin"
    )
    invitation_revoke(actor=Actor.system(), invitation=invitation)
    assert client.post(f"/akun/undangan/{token}/", {"password": "sungai-barito-9"}).status_code == 410
    assert not StaffRole.objects.filter(region=done.region).exists()


def test_a_signed_in_person_with_another_address_cannot_take_up_an_invitation(client):
    done = region_onboard(actor=Actor.system(), code="63.01", admin_email="admin@tanahlaut.test")
    from gerai.accounts.models import User

    other = User.objects.create_user("other@x.test", "pw-other-123", email="other@x.test", full_name="Other")
    client.force_login(other)
    page = client.post(f"/akun/undangan/{done.invitation_token}/", {})
    assert page.status_code == 400, page.text[-3000:]
    assert not StaffRole.objects.filter(region=done.region).exists()

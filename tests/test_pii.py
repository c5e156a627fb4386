"""NIK encrypted at rest with envelope encryption and a key id, found through a keyed blind index;
rotation is a command; a copy of the database file holds no NIK."""

import base64
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection

from gerai.accounts.models import CitizenProfile, nik_index
from gerai.accounts.selectors import citizen_by_nik
from gerai.lib import pii


def raw_nik(profile) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, nik_index FROM accounts_citizenprofile WHERE id = %s", [profile.pk])
        return cursor.fetchone()


def new_key(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


def test_values_are_sealed_each_time_anew_and_open_again():
    a, b = pii.encrypt("3510150101900001"), pii.encrypt("3510150101900001")
    assert a != b and a.startswith("pii1:dev:") and "3510150101900001" not in a
    assert pii.decrypt(a) == pii.decrypt(b) == "3510150101900001"
    assert pii.decrypt("legacy plain") == "legacy plain"


def test_a_profile_stores_no_nik_and_is_found_by_its_blind_index(personas):
    profile = personas.citizen.citizen
    stored, index = raw_nik(profile)
    assert stored.startswith("pii1:") and profile.nik not in stored and profile.nik not in index
    assert CitizenProfile.objects.get(pk=profile.pk).nik == profile.nik
    assert citizen_by_nik(profile.nik).pk == profile.pk
    assert citizen_by_nik("3510150101900099") is None


def test_a_nik_stays_unique(personas):
    from gerai.accounts.services import citizen_profile_save
    from gerai.core.actors import Actor

    other = personas.other_citizen
    mine = personas.citizen.citizen
    with pytest.raises(ValidationError):
        citizen_profile_save(
            actor=Actor(user=other),
            user=other,
            nik=mine.nik,
            full_name=other.full_name,
            birth_date=mine.birth_date,
            sex=mine.sex,
            address="Jl. Uji",
        )


def test_an_encrypted_field_cannot_be_searched_by_mistake(personas):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        CitizenProfile.objects.filter(nik=personas.citizen.citizen.nik).exists()


def test_rotation_is_a_command(personas, settings):
    profile = personas.citizen.citizen
    old = settings.GERAI_PII_KEYS
    settings.GERAI_PII_KEYS = f"{new_key('k2026')},{old}"
    out = io.StringIO()
    call_command("pii_rotate", stdout=out)
    assert "re-encrypted under key 'k2026'" in out.getvalue()
    assert raw_nik(profile)[0].startswith("pii1:k2026:")
    settings.GERAI_PII_KEYS = settings.GERAI_PII_KEYS.split(",")[0]  # the old key dropped
    assert CitizenProfile.objects.get(pk=profile.pk).nik == profile.nik
    assert citizen_by_nik(profile.nik).pk == profile.pk
    settings.GERAI_PII_KEYS = new_key("other")
    with pytest.raises(ImproperlyConfigured):
        CitizenProfile.objects.get(pk=profile.pk)


def test_a_copy_of_the_database_file_holds_no_citizen_nik(personas, db):
    """Every citizen NIK (the demo's and the factories'), sought in the raw SQLite file."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL dump is checked in CI by tests/test_backup_restore.py's sibling")
    from gerai.applications.models import CounterFiling

    niks = [profile.nik for profile in CitizenProfile.objects.all()]
    assert len(niks) >= 4
    for filing in CounterFiling.objects.all():  # the counter's filings: NIK, phone, email
        niks += [value for value in (filing.nik, filing.phone, filing.email) if value]
    connection.ensure_connection()
    data = connection.connection.serialize()  # the database file's bytes, as this connection sees them
    assert data.startswith(b"SQLite format 3") and personas.citizen.citizen.nik_index.encode() in data
    found = [nik for nik in niks if nik.encode() in data or nik.encode("utf-16-le") in data]
    assert found == [], f"{len(found)} NIKs in the file"


def test_a_citizen_downloads_their_own_data_and_nobody_elses(personas):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF
    from tests.factories import make_application

    make_application(personas.citizen, personas.service, upload=lambda: SimpleUploadedFile("ktp.pdf", PDF))
    make_application(personas.other_citizen, personas.service, upload=lambda: SimpleUploadedFile("ktp.pdf", PDF))
    client = personas.client("citizen")
    page = client.get("/akun/data-saya/")
    assert page.status_code == 200 and "JSON" in page.text
    download = client.get("/akun/data-saya/?unduh=1")
    assert download["Content-Disposition"].startswith("attachment") and "no-store" in download["Cache-Control"]
    data = json.loads(download.content)
    assert data["akun"]["citizen_profile"]["nik"] == personas.citizen.citizen.nik
    assert len(data["permohonan"]) == 1 and data["permohonan"][0]["documents"][0]["type"] == "application/pdf"
    assert personas.other_citizen.citizen.nik not in download.content.decode()
    assert data["pengaduan"] == []
    assert personas.client("anonymous").get("/akun/data-saya/").status_code == 302


def test_a_counter_filing_stores_no_nik_phone_or_email(personas):
    from gerai.applications.models import Application, CounterFiling

    application = Application.objects.create(
        region=personas.a.region, service=personas.service, applicant=None, created_by=personas.desa_officer
    )
    filing = CounterFiling.objects.create(
        application=application, name="Warga Loket", nik="3509014202900077", phone="+6281234567001", email="a@b.id"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, phone, email, nik_index FROM applications_counterfiling WHERE id = %s", [filing.pk])
        row = cursor.fetchone()
    assert all(value.startswith("pii1:") for value in row[:3])
    assert not any(secret in "".join(row) for secret in ("3509014202900077", "6281234567001", "a@b.id"))
    again = CounterFiling.objects.get(pk=filing.pk)
    assert (again.nik, again.phone, again.email) == ("3509014202900077", "+6281234567001", "a@b.id")
    assert row[3] == nik_index("3509014202900077")

"""Answers a service marks personal (NIK and phone questions always) are sealed one by one inside
applications_application.answers; every read (pages, letters, the citizen's download) sees them plain."""

import base64
import io
import json
import os

import pytest
from django.core.management import call_command
from django.db import connection

from gerai.applications.models import Application
from gerai.lib import pii

PHONE, NIK_IBU = "6281234567890", "3510155203900001"


def raw_answers(application) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM applications_application WHERE id = %s", [application.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)


def test_the_json_field_seals_personal_values_only():
    field = Application._meta.get_field("answers")
    stored = field.get_prep_value({"a": pii.Personal("0812"), "b": "plain", "c": [pii.Personal("x"), 3], "d": 4})
    assert stored["a"].startswith("pii1:") and stored["c"][0].startswith("pii1:") and stored["c"][1] == 3
    assert (stored["b"], stored["d"]) == ("plain", 4)
    opened = field.from_db_value(json.dumps(stored), None, connection)
    assert opened == {"a": "0812", "b": "plain", "c": ["x", 3], "d": 4} and isinstance(opened["a"], pii.Personal)


def test_phone_and_nik_answers_are_sealed_and_read_back(submitted):
    application = submitted()
    raw = raw_answers(application)
    assert raw["telepon"].startswith("pii1:") and raw["nik_ibu"].startswith("pii1:")
    assert raw["nama_anak"] == "Putri Ayu"  # not personal: stored as it was
    again = Application.objects.get(pk=application.pk)
    assert PHONE in again.answers["telepon"] and again.answers["nik_ibu"] == NIK_IBU
    assert (
        Application.objects.filter(pk=application.pk).values_list("answers__telepon", flat=True).get()
        == (again.answers["telepon"])
    )


def test_the_officer_page_and_the_citizen_download_show_them(submitted, client_for):
    application = submitted()
    phone = Application.objects.get(pk=application.pk).answers["telepon"]
    page = client_for("desa_officer").get(f"/banyuwangi/kantor/permohonan/{application.ref}/")
    assert page.status_code == 200 and phone in page.text and NIK_IBU in page.text
    data = json.loads(client_for("citizen_a").get("/akun/data-saya/?unduh=1").content)
    mine = next(item for item in data["permohonan"] if item["answers"].get("telepon"))
    assert mine["answers"]["telepon"] == phone and mine["answers"]["nik_ibu"] == NIK_IBU


def test_a_field_the_service_marks_personal_is_sealed(submitted):
    from gerai.catalog.models import FormField, Service

    service = Service.objects.get(region__slug="banyuwangi", slug="akta-kelahiran")
    FormField.objects.filter(service=service, key="nama_ibu").update(personal=True)
    from gerai.catalog.selectors import service_definition

    service_definition.cache_clear() if hasattr(service_definition, "cache_clear") else None
    application = submitted()
    raw = raw_answers(application)
    assert raw["nama_ibu"].startswith("pii1:") and "Siti Aminah" not in json.dumps(raw)
    assert Application.objects.get(pk=application.pk).answers["nama_ibu"] == "Siti Aminah"


def test_a_correction_keeps_them_sealed(submitted, people):
    from gerai.applications import services
    from gerai.catalog.selectors import service_form_pages
    from gerai.core.actors import Actor

    application = submitted()
    Application.objects.filter(pk=application.pk).update(status="needs_correction")
    application.refresh_from_db()
    first = service_form_pages(application.service)[0]
    data = {"nama_anak": "Putri Ayu Lestari", "tanggal_lahir": "2026-11-02", "jenis_kelamin": "P"}
    data["tempat_lahir"] = "puskesmas"
    errors = services.application_save_answers(
        actor=Actor(user=people["citizen_a"]), application=application, fields=first, data=data
    )
    assert errors == {}
    raw = raw_answers(application)
    assert raw["telepon"].startswith("pii1:") and raw["nama_anak"] == "Putri Ayu Lestari"


def test_rotation_reseals_answers(submitted, settings):
    application = submitted()
    old = settings.GERAI_PII_KEYS
    settings.GERAI_PII_KEYS = f"k2027:{base64.b64encode(os.urandom(32)).decode()},{old}"
    call_command("pii_rotate", stdout=io.StringIO())
    raw = raw_answers(application)
    assert raw["telepon"].startswith("pii1:k2027:") and raw["nik_ibu"].startswith("pii1:k2027:")
    settings.GERAI_PII_KEYS = settings.GERAI_PII_KEYS.split(",")[0]
    assert Application.objects.get(pk=application.pk).answers["nik_ibu"] == NIK_IBU


def test_a_copy_of_the_database_file_holds_no_answered_phone_number(submitted):
    if connection.vendor != "sqlite":
        pytest.skip("the raw SQLite file")
    submitted()
    submitted(citizen="citizen_b")
    phones = {NIK_IBU} | {
        str(a["telepon"])
        for a in Application.objects.exclude(answers={}).values_list("answers", flat=True)
        if a.get("telepon")
    }
    assert phones
    connection.ensure_connection()
    data = connection.connection.serialize()
    assert b"Putri Ayu" in data  # the file is readable: a non-personal answer is there
    found = [p for p in phones if p.encode() in data or p.encode("utf-16-le") in data]
    assert found == []


def test_a_mobile_number_is_sealed_found_by_its_index_and_unique(personas):
    from django.db import IntegrityError, transaction

    from gerai.accounts.models import User, phone_index

    user = personas.citizen
    user.phone = "+6281299887766"
    user.save(update_fields=["phone"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [user.pk])
        stored, index = cursor.fetchone()
    assert stored.startswith("pii1:") and "6281299887766" not in stored + index
    assert User.objects.get(pk=user.pk).phone == "+6281299887766"
    assert User.objects.get(phone_index=phone_index("+6281299887766")).pk == user.pk
    other = personas.other_citizen
    other.phone = "+6281299887766"
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save(update_fields=["phone"])


def test_a_reporters_contact_is_sealed(personas):
    from gerai.complaints import services
    from gerai.complaints.models import Report
    from gerai.core.actors import Actor
    from gerai.regions.models import Area
    from tests.factories import make_category

    region = personas.a.region
    report = services.report_file(
        actor=Actor.system(),
        region=region,
        category=make_category(personas.a, "lampu"),
        description="Lampu jalan mati di depan balai desa",
        title="Lampu jalan mati",
        desa=Area.objects.get(code="35.09.01.2001"),
        reporter_email="lapor@contoh.id",
        reporter_phone="+6281211112222",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_email, reporter_phone FROM complaints_report WHERE id = %s", [report.pk])
        row = cursor.fetchone()
    assert all(value.startswith("pii1:") for value in row) and "lapor@contoh.id" not in "".join(row)
    again = Report.objects.get(pk=report.pk)
    assert (again.reporter_email, again.reporter_phone) == ("lapor@contoh.id", "+6281211112222")


def test_the_migrations_seal_rows_written_before(submitted):
    """The data migrations, run again over rows as they were before encryption (plain values)."""
    import importlib

    from django.apps import apps

    application = submitted()
    plain = {k: str(v) for k, v in Application.objects.get(pk=application.pk).answers.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET answers = %s WHERE id = %s", [json.dumps(plain), application.pk]
        )
    assert raw_answers(application)["telepon"] == plain["telepon"]
    importlib.import_module("gerai.applications.migrations.0008_answers_encrypted").seal_existing(apps, None)
    raw = raw_answers(application)
    assert raw["telepon"].startswith("pii1:") and raw["nik_ibu"].startswith("pii1:") and raw["nama_anak"] == "Putri Ayu"
    assert Application.objects.get(pk=application.pk).answers == plain


def test_the_phone_migration_seals_and_indexes_numbers_kept_before(personas):
    import importlib

    from django.apps import apps

    from gerai.accounts.models import User, phone_index

    user = personas.citizen
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET phone = %s, phone_index = NULL WHERE id = %s", ["+6281277776666", user.pk]
        )
    importlib.import_module("gerai.accounts.migrations.0008_phone_encrypted").seal_existing(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        assert cursor.fetchone()[0].startswith("pii1:")
    assert User.objects.get(phone_index=phone_index("+6281277776666")).phone == "+6281277776666"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="drops the check constraint inside the test's transaction"
)
def test_the_login_migration_keeps_only_the_index_of_numbers_used_to_sign_in(personas):
    import importlib

    from django.apps import apps

    from gerai.accounts.models import User, login_key, phone_index

    user, other, emailer, twin = personas.citizen, personas.other_citizen, personas.desa_officer, personas.supervisor
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_user DROP CONSTRAINT user_login_no_plain_phone")
        cursor.execute(
            "UPDATE accounts_user SET login = %s, phone = NULL, phone_index = NULL WHERE id = %s",
            ["+6281244443333", user.pk],
        )
        cursor.execute("UPDATE accounts_user SET login = %s WHERE id = %s", ["0812-5555-4444", other.pk])
        cursor.execute("UPDATE accounts_user SET login = %s WHERE id = %s", ["081244443333@gmail.com", emailer.pk])
        cursor.execute("UPDATE accounts_user SET login = %s WHERE id = %s", ["081244443333", twin.pk])
    importlib.import_module("gerai.accounts.migrations.0009_login_no_plain_phone").index_phone_logins(apps, None)
    for person in (user, other, emailer, twin):
        person.refresh_from_db()
    assert user.login == login_key("phone", "+6281244443333") and user.phone == "+6281244443333"
    assert User.objects.get(phone_index=phone_index("+6281244443333")) == user
    assert other.login == f"tel:{phone_index('+6281255554444')}"  # normalised before it is indexed
    assert emailer.login == "081244443333@gmail.com"  # an email address is left alone
    # the same number under a spelling sign-in never found: indexed, but not as the sign-in of +6281244443333
    assert twin.login == f"tel:{phone_index('+6281244443333')}:{twin.pk}"

"""Accounts: registration by email or mobile number, the citizen's details and NIK, staff's second factor, sign-in
throttling, password reset. The people and places are the factories' (tests/factories.py)."""

import re

import pyotp
import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from gerai.accounts.models import User, phone_index
from gerai.accounts.services import notification_preferences_save
from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.core.throttle import throttle_allow
from gerai.core.views import error_500
from gerai.notifications.models import OutboxMessage
from gerai.notifications.services import outbox_deliver
from tests.factories import PASSWORD, make_citizen, make_region, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(db):
    """A region of one kecamatan (35.09.01 Jombang) and two desa."""
    return make_region()


@pytest.fixture
def citizen(parts):
    return make_citizen(parts.other_desa, "Budi Uji", female=False)


def test_register_confirm_email_and_give_nik(client, parts):
    response = client.post(
        "/akun/daftar/", {"full_name": "Dewi Sartika", "identifier": "Dewi@Example.ID", "password": "kopi-luwak-2026"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/akun/daftar/terkirim/")
    assert "_auth_user_id" not in client.session  # the link in the message signs in
    user = User.objects.get(login="dewi@example.id")
    body = OutboxMessage.objects.get(to="dewi@example.id").body
    link = re.search(r"/akun/konfirmasi/[^/\s]+/", body).group(0)
    assert client.get(link).status_code == 200 and "_auth_user_id" not in client.session  # a page with a button
    assert client.post(link)["Location"] == "/akun/profil/"  # no `next` given: the profile decides
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert client.get("/akun/konfirmasi/rusak/").status_code == 400
    assert client.post("/akun/konfirmasi/rusak/").status_code == 400

    # a NIK whose digits say male, for a woman born on another day: both faults are named
    bad = client.post(
        "/akun/profil/",
        {
            "full_name": "Dewi Sartika",
            "nik": "3509011203900001",
            "birth_date": "1990-03-12",
            "sex": "P",
            "address": "Jl. Mawar 1",
            "desa": parts.desa.code,
        },
    )
    assert bad.status_code == 200 and "data-error-summary" in bad.text
    assert "Jl. Mawar 1" in bad.text  # what was typed is kept
    assert not hasattr(User.objects.get(pk=user.pk), "citizen")
    good = client.post(
        "/akun/profil/",
        {
            "full_name": "Dewi Sartika",
            "nik": "3509015203900009",
            "birth_date": "1990-03-12",
            "sex": "P",
            "address": "Jl. Mawar 1",
            "desa": parts.desa.code,
        },
    )
    assert good.status_code == 302
    assert user.citizen.nik == "3509015203900009" and user.citizen.desa_id == parts.desa.code


@pytest.mark.parametrize(
    "nik, message",
    [
        ("123", "16"),
        ("9999995203900001", "kecamatan"),
        ("3509013203900001", "7"),
    ],
)
def test_nik_errors_are_explained(client, nik, message, citizen):
    client.force_login(citizen)
    response = client.post(
        "/akun/profil/",
        {"full_name": "Budi", "nik": nik, "birth_date": "1985-07-04", "sex": "L", "address": "Sobo", "desa": ""},
    )
    assert response.status_code == 200 and message in response.text


def test_mobile_number_registration_and_duplicate(client, capsys):
    ok = client.post(
        "/akun/daftar/", {"full_name": "Wayan", "identifier": "0812-3456-7890", "password": "kopi-luwak-2026"}
    )
    assert ok.status_code == 302 and User.objects.get(phone_index=phone_index("+6281234567890")).registration_pending
    # the sign-in keeps the number only as its blind index (the number itself is encrypted in `phone`)
    assert not User.objects.filter(login__contains="81234567890").exists()
    assert User.objects.get(phone_index=phone_index("+6281234567890")).login.startswith("tel:")
    # no WhatsApp or SMS gateway on the demo: the worker prints the text, as it prints the demo's email
    text = OutboxMessage.objects.get(to="+6281234567890", event="register_continue")
    assert text.channel == "console" and outbox_deliver(text.pk) == "sent"
    printed = capsys.readouterr().out
    assert "To: +6281234567890" in printed
    link = re.search(r"/akun/konfirmasi/[^/\s]+/", printed).group(0)
    wrong = Client().post("/akun/masuk/", {"identifier": "0812 3456 7890", "password": "kopi-luwak-2026"})
    assert wrong.status_code == 200  # not before the link
    assert client.post(link).status_code == 302 and client.session["_auth_user_id"]
    assert not User.objects.get(phone_index=phone_index("+6281234567890")).registration_pending
    client.post("/akun/keluar/")
    signed_in = Client().post("/akun/masuk/", {"identifier": "0812 3456 7890", "password": "kopi-luwak-2026"})
    assert signed_in.status_code == 302  # the number, in any spelling, signs in through its index
    again = client.post(
        "/akun/daftar/", {"full_name": "Wayan", "identifier": "+62 812 3456 7890", "password": "kopi-luwak-2026"}
    )
    assert again.status_code == 302 and again["Location"] == ok["Location"]  # the same answer (test_enumeration)
    assert User.objects.filter(phone_index=phone_index("+6281234567890")).count() == 1


def test_staff_need_a_second_factor(client, parts):
    officer = make_staff(parts.region, parts.dinas)
    response = client.post("/akun/masuk/", {"identifier": officer.login, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/kode/")
    assert "_auth_user_id" not in client.session  # not signed in yet
    wrong = client.post("/akun/masuk/kode/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = pyotp.TOTP(officer.totp_secret).now()
    assert client.post("/akun/masuk/kode/", {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_citizens_sign_in_with_password_only_and_login_is_throttled(client, settings, citizen):
    cache.clear()
    assert client.post("/akun/masuk/", {"identifier": citizen.login, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
    client.post("/akun/keluar/")
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"login": (3, 900)}
    for _ in range(3):
        client.post("/akun/masuk/", {"identifier": citizen.login, "password": "salah"})
    blocked = client.post("/akun/masuk/", {"identifier": citizen.login, "password": PASSWORD})
    assert blocked.status_code == 429 and "_auth_user_id" not in client.session
    assert blocked["Retry-After"] == "900" and "id_identifier" in blocked.text  # a real page
    cache.clear()


def test_health_endpoints(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["migrations"] is True


def test_pages_send_security_headers(client, parts):
    response = client.get(f"/{parts.region.slug}/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def test_password_reset_through_the_outbox(client, citizen):
    response = client.post("/akun/lupa-sandi/", {"email": citizen.email})
    assert response.status_code == 302
    body = OutboxMessage.objects.get(to=citizen.email).body
    link = re.search(r"/akun/atur-sandi/[^/\s]+/[^/\s]+/", body).group(0)
    form_page = client.get(link, follow=True)  # Django swaps the token into the session, then shows the form
    assert "id_new_password1" in form_page.text
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "teh-tarik-manis-9", "new_password2": "teh-tarik-manis-9"})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("teh-tarik-manis-9")
    assert AuditEntry.objects.filter(action="user.password_set", object_id=str(citizen.pk)).exists()
    assert "id_new_password1" not in client.get(link, follow=True).text  # single use


def test_password_reset_reveals_nothing_about_unknown_addresses(client):
    response = client.post("/akun/lupa-sandi/", {"email": "tidak.ada@example.id"})
    assert response.status_code == 302 and not OutboxMessage.objects.filter(to="tidak.ada@example.id").exists()


def test_unconfirmed_email_can_ask_for_a_new_link(client):
    client.post("/akun/daftar/", {"full_name": "Made", "identifier": "made@example.id", "password": "kopi-luwak-2026"})
    User.objects.filter(login="made@example.id").update(registration_pending=False)  # from before the wait
    client.post("/akun/masuk/", {"identifier": "made@example.id", "password": "kopi-luwak-2026"})
    assert "resend_confirmation" in client.get("/akun/profil/").text
    client.post("/akun/profil/", {"resend_confirmation": "1"})
    assert OutboxMessage.objects.filter(to="made@example.id").count() == 2


def test_error_pages_are_friendly(client):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/akun/masuk/", {"identifier": "x@y.id", "password": "z"})
    assert response.status_code == 403 and "Sesi Anda sudah habis" in response.text
    page = error_500(None)
    assert page.status_code == 500 and "gangguan" in page.content.decode()


class _NoAddressClient(Client):
    """A server that gives no client address (Django's ASGI handler over a Unix socket sets no REMOTE_ADDR)."""

    def _base_environ(self, **request):
        environ = super()._base_environ(**request)
        del environ["REMOTE_ADDR"]
        return environ


def test_registration_and_identity_checks_work_without_a_client_address(citizen):
    client = _NoAddressClient()
    response = client.post(
        "/akun/daftar/", {"full_name": "Putu", "identifier": "putu@example.id", "password": "kopi-luwak-2026"}
    )
    assert response.status_code == 302 and User.objects.filter(login="putu@example.id").exists()
    client.force_login(citizen)
    response = client.post(
        "/akun/profil/",
        {"full_name": "Budi", "nik": "123", "birth_date": "1985-07-04", "sex": "L", "address": "Sobo", "desa": ""},
    )
    assert response.status_code == 200 and "16" in response.text


def test_a_mobile_number_is_never_the_sign_in_in_plain():
    made = User.objects.create_user("0812-7777-6666", "kopi-luwak-2026", full_name="Made")
    made.refresh_from_db()
    assert made.login == f"tel:{phone_index('+6281277776666')}" and made.phone == "+6281277776666"
    assert made.login_shown == "+6281277776666"
    assert authenticate(username="+62 812 7777 6666", password="kopi-luwak-2026") == made
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(login="+6281277775555", full_name="Plain")  # the constraint refuses it


def test_an_email_address_that_starts_like_a_number_registers_and_signs_in(client):
    response = client.post(
        "/akun/daftar/", {"full_name": "Nur", "identifier": "081234567890@gmail.com", "password": "kopi-luwak-2026"}
    )
    assert response.status_code == 302
    assert User.objects.get(login="081234567890@gmail.com").email == "081234567890@gmail.com"
    invited = User.objects.create_user("628toko@mail.id", "kopi-luwak-2026", full_name="Toko")
    assert invited.login == "628toko@mail.id"


def test_changing_the_number_one_signs_in_with_moves_the_sign_in(client):
    user = User.objects.create_user("0812-7777-1111", "kopi-luwak-2026", full_name="Komang")
    notification_preferences_save(
        actor=Actor(user=user), user=user, channel="whatsapp", phone="0812 7777 2222", language="id"
    )
    assert authenticate(username="081277772222", password="kopi-luwak-2026") == user
    assert authenticate(username="081277771111", password="kopi-luwak-2026") is None
    assert user.login_shown == "+6281277772222"


def test_a_throttles_window_closes_on_time_however_often_it_is_hit(settings):
    """On the database cache, incr restarted the key's timeout: one hit every 10 s kept a 60 s window open."""
    settings.GERAI_THROTTLES = {**settings.GERAI_THROTTLES, "uji": (3, 60)}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gerai_cache"}}
    call_command("createcachetable")
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    with time_machine.travel("2026-11-29 10:00:00 +0000", tick=False) as clock:
        answers = []
        for _ in range(12):  # one hit every 10.5 s for two minutes: never more than 3 in a window of 60 s
            answers.append(throttle_allow("uji", "10.0.0.1"))
            clock.shift(10.5)
    assert answers == [True, True, True, False, False, False] * 2

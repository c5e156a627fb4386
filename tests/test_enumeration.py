"""Nobody learns from a page whether an email, a number or a NIK belongs to an account: registration
answers like a password reset (the message to the address says which), the details form counts new
NIKs against a limit and words a taken NIK like an unusable one, and a locked-out sign-in is a 429. The people
are the factories' (tests/factories.py)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from gerai.accounts.models import User, phone_index
from gerai.accounts.services import NIK_NOT_ACCEPTED
from gerai.notifications.models import OutboxMessage
from tests.factories import PASSWORD, make_citizen, make_region, make_staff

pytestmark = pytest.mark.django_db
BORN = dt.date(1990, 3, 12)  # the owner's birth date, which the details form below gives with every NIK
FREE_NIK = "3509015203900009"  # valid for a woman born on BORN in kecamatan 35.09.01, and nobody's
NEXT = "/jember-uji/layanan/surat-keterangan/"


@pytest.fixture
def parts(db):
    return make_region()


@pytest.fixture
def owner(parts):
    """A citizen whose NIK (a woman born on BORN) another account tries to give."""
    return make_citizen(parts.desa, "Siti Uji", birth=BORN)


@pytest.fixture
def other(parts):
    return make_citizen(parts.other_desa, "Budi Uji", female=False)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _register(identifier: str, next_path: str = NEXT):
    client = Client()
    data = {"full_name": "Rina", "identifier": identifier, "password": "kopi-luwak-2026", "next": next_path}
    response = client.post("/akun/daftar/", data)
    return client, response


def _page(client: Client, response) -> str:
    text = client.get(response["Location"]).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]+"', "", text)  # per request, whoever asks


def test_registration_answers_the_same_for_a_taken_and_a_free_email(owner):
    taken_client, taken = _register(owner.email.capitalize())  # the owner's address
    free_client, free = _register("rina@example.id")
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    assert _page(taken_client, taken) == _page(free_client, free)
    assert "_auth_user_id" not in taken_client.session and "_auth_user_id" not in free_client.session

    # the messages say the difference, to the address's owner only
    exists = OutboxMessage.objects.get(to=owner.email, event="register_exists")
    assert "/akun/masuk/?next=" in exists.body and "/akun/lupa-sandi/" in exists.body
    assert "/akun/konfirmasi/" not in exists.body
    owner.refresh_from_db()
    assert owner.full_name != "Rina" and owner.check_password(PASSWORD)
    welcome = OutboxMessage.objects.get(to="rina@example.id", event="register_continue")
    assert re.search(r"/akun/konfirmasi/[^/\s]+/\?next=", welcome.body)
    assert User.objects.filter(email="rina@example.id").count() == 1


def test_registration_answers_the_same_for_a_taken_and_a_free_number(settings):
    settings.GERAI_SMS_GATEWAY = "webhook"
    settings.GERAI_SMS_WEBHOOK_URL = "http://127.0.0.1:9/sms"
    first_client, first = _register("0813 2222 3333")
    again_client, again = _register("+6281322223333")
    free_client, free = _register("0813 4444 5555")
    assert first["Location"] == again["Location"] == free["Location"]
    assert _page(again_client, again) == _page(free_client, free)
    messages = OutboxMessage.objects.filter(to="+6281322223333").order_by("pk")
    assert [m.event for m in messages] == ["register_continue", "register_exists"]
    assert all(m.channel == "sms" and len(m.body) <= 320 for m in messages)
    assert User.objects.filter(phone_index=phone_index("+6281322223333")).count() == 1


def test_a_bad_password_or_address_is_refused_on_the_page_whoever_owns_it(owner):
    for identifier in (owner.email, "lain@example.id"):
        response = Client().post("/akun/daftar/", {"full_name": "X", "identifier": identifier, "password": "12345678"})
        assert response.status_code == 200 and "data-error-summary" in response.text
    bad = Client().post("/akun/daftar/", {"full_name": "X", "identifier": "bukan-alamat", "password": "kopi-luwak-26"})
    assert bad.status_code == 200 and "id_identifier" in bad.text


def test_the_registration_link_signs_in_once_on_its_button_and_leads_to_the_form():
    _register("sari@example.id")
    body = OutboxMessage.objects.get(to="sari@example.id").body
    link = re.search(r"/akun/konfirmasi/\S+", body).group(0)
    client = Client(enforce_csrf_checks=True)
    page = client.get(link)  # what a mail scanner or a hidden frame does: nothing happens
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert User.objects.get(email="sari@example.id").email_confirmed_at is None
    assert f'name="next" value="{NEXT}"' in page.text
    assert client.post(link).status_code == 403  # a POST without the page's CSRF token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    pressed = client.post(link, {"csrfmiddlewaretoken": token, "next": NEXT})
    assert pressed.status_code == 302 and client.session["_auth_user_id"]
    assert pressed["Location"] == "/akun/profil/?next=%2Fjember-uji%2Flayanan%2Fsurat-keterangan%2F"
    user = User.objects.get(email="sari@example.id")
    assert user.email_confirmed_at is not None and not user.registration_pending
    later = Client()
    again = later.post(link)  # a second use confirms nothing new and signs nobody in
    assert again.status_code == 200 and "_auth_user_id" not in later.session
    assert "/akun/masuk/?next=" in again.text


def test_a_new_account_answers_a_sign_in_like_a_wrong_password_until_its_link_is_used(owner, monkeypatch):
    """Otherwise a sign-in right after registering tells whether the address was free, and whoever
    registers someone else's address first could use the account with a password they chose."""
    checked = []
    check_password = User.check_password

    def counting(user, raw):
        checked.append(user.login)
        return check_password(user, raw)

    monkeypatch.setattr(User, "check_password", counting)
    pages = []
    for identifier in (owner.login, "stranger@example.id"):  # taken (another password), free
        client, _response = _register(identifier)
        response = client.post("/akun/masuk/", {"identifier": identifier, "password": "kopi-luwak-2026"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        assert client.get("/akun/profil/").status_code == 302
        page = re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]+"', "", response.text)
        pages.append(page.replace(identifier, "ADDRESS"))  # what was typed is kept in the form
    assert pages[0] == pages[1]
    assert checked == [owner.login, "stranger@example.id"]  # the hash is checked for both
    assert User.objects.get(login="stranger@example.id").registration_pending

    body = OutboxMessage.objects.get(to="stranger@example.id", event="register_continue").body
    Client().post(re.search(r"/akun/konfirmasi/[^?\s]+", body).group(0))
    client = Client()
    signed_in = client.post("/akun/masuk/", {"identifier": "stranger@example.id", "password": "kopi-luwak-2026"})
    assert signed_in.status_code == 302 and client.session["_auth_user_id"]


def test_a_password_reset_ends_the_wait_and_the_first_registrant_s_password():
    """Someone registered the address before its owner: the owner's reset link proves the address."""
    _register("korban@example.id")  # by someone else, with their password
    Client().post("/akun/lupa-sandi/", {"email": "korban@example.id"})
    reset = OutboxMessage.objects.get(to="korban@example.id", event="password_reset").body
    client = Client()
    form = client.get(re.search(r"/akun/atur-sandi/\S+", reset).group(0), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "teh-tarik-2027", "new_password2": "teh-tarik-2027"})
    user = User.objects.get(login="korban@example.id")
    assert not user.registration_pending and user.email_confirmed_at is not None
    assert Client().login(username="korban@example.id", password="teh-tarik-2027")
    assert not Client().login(username="korban@example.id", password="kopi-luwak-2026")


def test_registrations_are_throttled_per_client_address(settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"register": (2, 3600)}
    assert _register("a1@example.id")[1].status_code == 302
    assert _register("a2@example.id")[1].status_code == 302
    _client, blocked = _register("a3@example.id")
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600" and "id_identifier" in blocked.text
    assert not User.objects.filter(email="a3@example.id").exists()
    assert not OutboxMessage.objects.filter(to="a3@example.id").exists()


def test_a_taken_address_gets_a_limited_number_of_messages(settings, owner):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"register": (2, 3600)}
    data = {"full_name": "X", "identifier": owner.email, "password": "kopi-luwak-2026"}
    for n in range(4):  # from four addresses: each under its own limit
        assert Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post("/akun/daftar/", data).status_code == 302
    assert OutboxMessage.objects.filter(to=owner.email, event="register_exists").count() == 2


def _details(client: Client, nik: str, **extra):
    data = {
        "full_name": "Budi",
        "nik": nik,
        "birth_date": BORN.isoformat(),
        "sex": "P",
        "address": "Sobo",
        "desa": "",
    } | extra
    return client.post("/akun/profil/", data)


def test_a_taken_nik_is_worded_like_an_unusable_one(owner, other):
    response = _details(_signed_in(other), owner.citizen.nik)
    with translation.override("id"):
        assert response.status_code == 200 and str(NIK_NOT_ACCEPTED)[:40] in response.text
    assert "another account" not in response.text and "akun lain" not in response.text


def test_new_niks_on_the_details_form_are_throttled_per_account(owner, other, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"identity_check": (3, 3600)}
    client = _signed_in(other)
    for _ in range(3):
        assert _details(client, owner.citizen.nik).status_code == 200  # answered: not accepted
    blocked = _details(client, owner.citizen.nik)
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600"
    assert "id_nik" in blocked.text and "data-error-summary" in blocked.text
    # a free and valid NIK is refused too until the window ends: the limit answers nothing about NIKs
    free = _details(client, FREE_NIK)
    assert free.status_code == 429
    assert User.objects.get(pk=other.pk).citizen.nik != FREE_NIK


def test_new_niks_are_throttled_per_client_address(owner, other, parts, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"identity_check_address": (2, 3600)}
    third = make_citizen(parts.other_desa, "Wati Uji")
    assert _details(_signed_in(other), owner.citizen.nik).status_code == 200
    assert _details(_signed_in(third), owner.citizen.nik).status_code == 200
    assert _details(_signed_in(other), owner.citizen.nik).status_code == 429  # another account, the same address


def test_saving_ones_own_nik_again_is_not_counted(owner, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"identity_check": (1, 3600)}
    client = _signed_in(owner)
    citizen = owner.citizen
    same = {"birth_date": citizen.birth_date.isoformat(), "sex": citizen.sex, "address": citizen.address}
    for _ in range(3):
        assert _details(client, citizen.nik, full_name=owner.full_name, **same).status_code == 302


def test_a_locked_out_second_factor_answers_429(client, settings, parts):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"login": (2, 900)}
    officer = make_staff(parts.region, parts.dinas)
    signed = client.post("/akun/masuk/", {"identifier": officer.login, "password": PASSWORD})
    assert signed["Location"].startswith("/akun/masuk/kode/")  # the password was right: the code is asked
    for _ in range(2):
        assert client.post("/akun/masuk/kode/", {"code": "000000"}).status_code == 200
    blocked = client.post("/akun/masuk/kode/", {"code": "000000"})
    assert blocked.status_code == 429 and blocked["Retry-After"] == "900" and "id_code" in blocked.text


def test_new_mobile_numbers_on_the_notifications_form_are_throttled(owner, other, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"identity_check": (2, 3600)}
    other.phone = "+6281355556666"
    other.save(update_fields=["phone"])
    client = _signed_in(owner)
    data = {"notify_channel": "email", "phone": "+6281355556666", "language": "id"}
    for _ in range(2):
        assert client.post("/akun/pemberitahuan/", data).status_code == 400  # taken: refused
    blocked = client.post("/akun/pemberitahuan/", data)
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600" and "id_phone" in blocked.text
    unchanged = {"notify_channel": "email", "phone": "", "language": "en"}  # no new number: not counted
    assert client.post("/akun/pemberitahuan/", unchanged).status_code == 302

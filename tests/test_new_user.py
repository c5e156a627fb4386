"""What a new user hit (issue 12): the signed-out path to an application, the error pages, and the small things
every page gets (favicon, htmx without inline style, compression, plurals, the desa and NIK on the form)."""

import re
from html import unescape

import pytest

from gerai.accounts.models import User
from gerai.applications.models import Application, Status
from gerai.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

SERVICE = "/banyuwangi/layanan/akta-kelahiran/"
START = SERVICE + "ajukan/"
PASSWORD = "gerai-demo-2026"


def _hidden_next(page) -> str:
    """The `next` that the page's own form carries (the header's language form has one too)."""
    main = page.text[page.text.index('<main id="main"') :]
    return unescape(re.search(r'name="next" value="([^"]*)"', main).group(1))


def _start_signed_out(client) -> str:
    """Press "Apply online" on the service page while signed out: where does it send the citizen?"""
    page = client.get(SERVICE)
    assert f'action="{START}"' in page.text
    response = client.post(START)
    assert response.status_code == 302
    return response["Location"]


def _lands_on_the_form(client, response, user) -> None:
    """After signing in: the start page asks to press the button again (a GET creates nothing), then the form."""
    assert response.status_code == 302 and response["Location"] == START
    before = Application.objects.filter(applicant=user).count()
    confirm = client.get(START)
    assert confirm.status_code == 200 and "<main" in confirm.text
    assert re.search(r'<form method="post"[^>]*>', confirm.text) and "Mulai permohonan" in confirm.text
    assert Application.objects.filter(applicant=user).count() == before  # nothing created on a GET
    created = client.post(START)
    assert re.fullmatch(r"/banyuwangi/permohonan/[^/]+/isi/1/", created["Location"])
    form = client.get(created["Location"])
    assert form.status_code == 200 and 'name="nama_anak"' in form.text
    draft = Application.objects.get(applicant=user, service__slug="akta-kelahiran", status=Status.DRAFT)
    # once a draft exists, the same address (a reload, the back button) opens it instead of asking again
    assert client.get(START)["Location"] == created["Location"]
    assert Application.objects.filter(applicant=user).count() == before + 1 and draft.ref in created["Location"]


def test_signing_in_after_apply_lands_on_the_form(client, people):
    user = people["citizen_b"]
    assert not Application.objects.filter(applicant=user, service__slug="akta-kelahiran", status=Status.DRAFT).exists()
    login_url = _start_signed_out(client)
    assert login_url.startswith("/akun/masuk/")
    login_page = client.get(login_url)
    assert _hidden_next(login_page) == START
    response = client.post(login_url, {"identifier": user.login, "password": PASSWORD, "next": START})
    _lands_on_the_form(client, response, user)


def test_registering_after_apply_keeps_next_and_lands_on_the_form(client):
    login_page = client.get(_start_signed_out(client))
    register_link = unescape(re.search(r'href="(/akun/daftar/[^"]*)"', login_page.text).group(1))
    register_page = client.get(register_link)
    assert _hidden_next(register_page) == START
    registered = client.post(
        register_link,
        {"full_name": "Rina Wulandari", "identifier": "rina@example.id", "password": "kopi-luwak-2026", "next": START},
    )
    assert registered.status_code == 302
    # registering sends a link to the address; opening it signs the new citizen in and leads on with `next`
    body = OutboxMessage.objects.get(to="rina@example.id").body
    link = re.search(r"/akun/konfirmasi/\S+", body).group(0)
    confirmed = client.get(link)
    assert confirmed.status_code == 200
    onward = unescape(re.search(r'<a class="button" href="([^"]+)"', confirmed.text).group(1))
    # the new citizen gives their NIK first; `next` survives, encoded, through that page
    assert onward == "/akun/profil/?next=%2Fbanyuwangi%2Flayanan%2Fakta-kelahiran%2Fajukan%2F"
    profile_page = client.get(onward)
    assert _hidden_next(profile_page) == START
    saved = client.post(
        onward,
        {
            "full_name": "Rina Wulandari",
            "nik": "3510155203900009",
            "birth_date": "1990-03-12",
            "sex": "P",
            "address": "Jl. Mawar 1",
            "desa": "35.10.15.2004",
            "next": START,
        },
    )
    _lands_on_the_form(client, saved, User.objects.get(login="rina@example.id"))


def test_a_citizen_without_details_comes_back_to_the_start_page(client, people):
    User.objects.create_user("baru@example.id", "sandi-rahasia-123", email="baru@example.id", full_name="Warga Baru")
    client.force_login(User.objects.get(login="baru@example.id"))
    response = client.get(START)
    assert response["Location"] == "/akun/profil/?next=%2Fbanyuwangi%2Flayanan%2Fakta-kelahiran%2Fajukan%2F"


def test_a_sign_in_with_two_steps_keeps_next(client):
    response = client.post("/akun/masuk/", {"identifier": "capil@banyuwangi.demo", "password": PASSWORD, "next": START})
    assert response["Location"] == "/akun/masuk/kode/?next=%2Fbanyuwangi%2Flayanan%2Fakta-kelahiran%2Fajukan%2F"


# --- error pages ----------------------------------------------------------------------------------


def _is_layout_page(response, title: str) -> None:
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="id">' in response.text and '<main id="main"' in response.text
    assert f"<h1>{title}</h1>" in response.text


def test_a_405_is_a_real_page(client):
    response = client.get("/akun/keluar/")  # sign out is a button (POST)
    assert response.status_code == 405 and response["Allow"] == "POST"
    _is_layout_page(response, "Halaman ini hanya menjawab formulir")


def test_a_400_is_a_real_page(client):
    response = client.post("/akun/masuk/", {f"f{i}": "x" for i in range(1001)})  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert response.status_code == 400
    _is_layout_page(response, "Permintaan tidak dapat dipahami")


@pytest.mark.urls("tests.error_urls")
def test_403_and_429_are_real_pages(client):
    forbidden = client.get("/uji/dilarang/")
    assert forbidden.status_code == 403
    _is_layout_page(forbidden, "Anda tidak boleh melakukan ini")
    throttled = client.get("/uji/terlalu-sering/")
    assert throttled.status_code == 429 and throttled["Retry-After"] == "60"
    _is_layout_page(throttled, "Terlalu banyak percobaan")


def test_error_pages_leave_api_answers_alone(client):
    response = client.post("/api/v1/regions")
    assert response.status_code == 405 and "<main" not in response.content.decode()

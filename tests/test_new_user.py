"""What a new user hit (issue 12): the signed-out path to an application, the error pages, and the small things
every page gets (favicon, htmx without inline style, compression, plurals, the desa and NIK on the form)."""

import gzip
import re
from html import unescape

import pyotp
import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache

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
    # registering sends a link to the address; its page's button signs the new citizen in and leads on with `next`
    body = OutboxMessage.objects.get(to="rina@example.id").body
    link = re.search(r"/akun/konfirmasi/\S+", body).group(0)
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200 and _hidden_next(confirm_page) == START
    confirmed = client.post(link, {"next": START})
    assert confirmed.status_code == 302
    onward = confirmed["Location"]
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


# --- the form: desa from the profile, grouped; the citizen's own NIK -------------------------------------


def _draft_page(client, page: int) -> tuple[str, Application]:
    location = client.post(START)["Location"]
    application = Application.objects.get(ref=location.split("/")[3])
    return location.replace("/isi/1/", f"/isi/{page}/"), application


def test_the_desa_question_starts_with_the_profile_desa_grouped_by_kecamatan(client_for, people):
    citizen = client_for("citizen_b")
    page_url, application = _draft_page(citizen, 3)  # "Alamat dan kontak"
    assert "desa" not in application.answers
    page = citizen.get(page_url).text
    select = re.search(r'<select name="desa".*?</select>', page, re.S).group(0)
    home = people["citizen_b"].citizen.desa
    assert re.search(rf'<option value="{re.escape(home.code)}"[^>]*selected>', select)
    assert f'<optgroup label="Kec. {home.parent.name}">' in select
    groups = re.findall(r"<optgroup ", select)
    assert len(groups) == application.region.areas.filter(level=3, children__isnull=False).distinct().count()


def test_the_profile_desa_list_is_grouped_by_kecamatan(client_for):
    page = client_for("citizen_a").get("/akun/profil/").text
    assert '<optgroup label="Kabupaten Banyuwangi – Kec. Glagah">' in page


def test_the_citizen_sees_their_own_nik_in_full_before_sending(client_for, people):
    citizen = client_for("citizen_b")
    page_url, application = _draft_page(citizen, 2)  # "Data orang tua"
    nik = people["citizen_b"].citizen.nik
    citizen.post(page_url, {"nik_ibu": nik, "nama_ibu": "Sri Rahayu"})
    check = citizen.get(f"/banyuwangi/permohonan/{application.ref}/periksa/")
    assert check.status_code == 200 and nik in check.text
    # elsewhere it stays masked, as before: the list and the application page
    assert nik not in citizen.get("/banyuwangi/permohonan/").text
    assert nik not in citizen.get(f"/banyuwangi/permohonan/{application.ref}/").text


# --- every page -------------------------------------------------------------------------------------


def test_favicon(client):
    page = client.get("/banyuwangi/").text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    assert finders.find(icon.removeprefix("/static/"))
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and finders.find(response["Location"].removeprefix("/static/"))


def test_htmx_injects_no_inline_style(client):
    page = client.get("/banyuwangi/").text
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page
    assert page.index('name="htmx-config"') < page.index("htmx-2.0.11.min.js")
    with open(finders.find("css/gerai.css")) as css:
        assert ".htmx-request .htmx-indicator" in css.read()


def test_api_docs_have_a_language(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and '<html lang="en">' in response.text


def test_counts_have_plurals(client, banyuwangi):
    from gerai.catalog.models import Service

    Service.objects.filter(region=banyuwangi, slug="akta-kelahiran").update(sla_working_days=1)
    client.cookies["gerai_lang"] = "en"
    page = client.get(SERVICE).text
    assert "1 working day<" in page and "1 working days" not in page
    assert "1 working day after the application is complete" in page
    catalog = client.get("/banyuwangi/layanan/").text
    assert "1 working day," in catalog and "1 working days" not in catalog
    client.cookies["gerai_lang"] = "id"
    assert "1 hari kerja" in client.get(SERVICE).text


def test_complaint_deadlines_have_plurals(client, banyuwangi):
    from gerai.complaints.models import ComplaintPolicy

    ComplaintPolicy.objects.create(region=banyuwangi, verify_days=1, follow_up_days=1)
    client.cookies["gerai_lang"] = "en"
    page = client.get("/banyuwangi/pengaduan/baru/").text
    assert "within 1 working day and sends it" in page and "must answer within 1 working day." in page


def test_bulk_assignment_counts_have_plurals(client_for, people, submitted):
    application = submitted()  # at its first step, the desa office of Kemiren
    officer = people["desa_officer"]
    admin = client_for("bwi_admin")
    admin.cookies["gerai_lang"] = "en"
    response = admin.post(
        "/banyuwangi/kantor/tugaskan/", {"ref": [application.ref], "assignee": officer.pk}, follow=True
    )
    assert f"1 application assigned to {officer.full_name}." in response.text


# --- compression, minding BREACH ------------------------------------------------------------------------


def test_public_pages_are_compressed(client):
    plain = client.get("/banyuwangi/transparansi/")
    compressed = client.get("/banyuwangi/transparansi/", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    assert gzip.decompress(compressed.content).decode().count("<table") == plain.text.count("<table")
    assert "Content-Encoding" not in plain


def test_pages_with_secrets_are_not_compressed(client, client_for, people):
    cache.clear()
    # the second step of signing in shows a code (demo) and comes before the session is signed in
    client.post("/akun/masuk/", {"identifier": "capil@banyuwangi.demo", "password": PASSWORD})
    code_page = client.get("/akun/masuk/kode/", HTTP_ACCEPT_ENCODING="gzip")
    assert code_page.status_code == 200 and "Content-Encoding" not in code_page
    assert pyotp.TOTP(people["capil_officer"].totp_secret).now() in code_page.text
    # a signed-in citizen's pages hold personal data (their check page shows the NIK in full)
    citizen = client_for("citizen_a")
    assert "Content-Encoding" not in citizen.get("/akun/profil/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in citizen.get("/banyuwangi/transparansi/", HTTP_ACCEPT_ENCODING="gzip")


def test_totp_setup_is_not_compressed(client, people):
    officer = people["capil_officer"]
    User.objects.filter(pk=officer.pk).update(totp_confirmed_at=None)
    client.post("/akun/masuk/", {"identifier": officer.login, "password": PASSWORD})
    setup = client.get("/akun/masuk/aktifkan-kode/", HTTP_ACCEPT_ENCODING="gzip")
    officer.refresh_from_db()
    assert setup.status_code == 200 and officer.totp_secret in setup.text
    assert "Content-Encoding" not in setup


# --- a browser pass as a new user: the small ones -------------------------------------------------------------


def test_tracking_without_public_events_says_so(client, submitted):
    application = submitted()
    application.events.filter(internal=False).update(internal=True)  # nothing public recorded
    page = client.get("/banyuwangi/lacak/", {"kode": application.tracking_code}).text
    history = page[page.index('<ol class="timeline">') : page.index("</ol>")]
    assert "<li>Belum ada yang tercatat untuk permohonan ini.</li>" in history


def test_prices_table_note_does_not_promise_a_chart_above(client):
    page = client.get("/banyuwangi/harga/").text
    assert "grafik di atas" not in page and "bila JavaScript berjalan, grafik" in page


def test_a_region_without_innovations_says_so_and_links_the_library(client):
    page = client.get("/seruyan/inovasi/").text
    assert "Tidak ada inovasi yang cocok" not in page
    assert "Daerah ini belum menerbitkan inovasi." in page and 'href="/inovasi/"' in page
    assert "Tidak ada inovasi yang cocok" in client.get("/seruyan/inovasi/", {"q": "zzzz"}).text


@pytest.mark.parametrize("bulan", ["9999-12", "xyz", "2026-13"])
def test_an_agenda_month_not_understood_is_said(client, bulan):
    page = client.get("/banyuwangi/agenda/", {"bulan": bulan}).text
    assert "data-month-not-understood" in page and "tidak dapat dipahami" in page
    assert "data-month-not-understood" not in client.get("/banyuwangi/agenda/", {"bulan": "2026-11"}).text
    assert "data-month-not-understood" not in client.get("/banyuwangi/agenda/").text

"""Nobody sees or changes what is not theirs: the answer is 404, whoever asks."""

import pytest

from gerai.applications.models import Status

pytestmark = pytest.mark.django_db

CITIZEN_PAGES = [
    "/banyuwangi/permohonan/{ref}/",
    "/banyuwangi/permohonan/{ref}/isi/1/",
    "/banyuwangi/permohonan/{ref}/dokumen/",
    "/banyuwangi/permohonan/{ref}/periksa/",
    "/banyuwangi/permohonan/{ref}/berkas/{doc}/",
]
STAFF_PAGES = ["/banyuwangi/kantor/permohonan/{ref}/", "/banyuwangi/kantor/permohonan/{ref}/berkas/{doc}/"]


@pytest.fixture
def app_a(submitted):
    application = submitted()
    return application, application.documents.first().pk


@pytest.mark.parametrize("persona", ["citizen_b", "seruyan_citizen", "desa_officer", "seruyan_officer", "bwi_admin"])
@pytest.mark.parametrize("page", CITIZEN_PAGES)
def test_only_the_applicant_opens_citizen_pages(client_for, app_a, persona, page):
    application, doc = app_a
    assert client_for(persona).get(page.format(ref=application.ref, doc=doc)).status_code == 404


@pytest.mark.parametrize("page", CITIZEN_PAGES)
def test_the_applicant_opens_citizen_pages(client_for, app_a, page):
    application, doc = app_a
    assert client_for("citizen_a").get(page.format(ref=application.ref, doc=doc)).status_code in (200, 302)


@pytest.mark.parametrize(
    "persona",
    [
        "citizen_a",
        "citizen_b",
        "sobo_officer",
        "kecamatan_officer",
        "dpmptsp_officer",
        "seruyan_officer",
        "seruyan_admin",
    ],
)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_officers_of_other_agencies_and_regions_get_404(client_for, app_a, persona, page):
    application, doc = app_a
    assert client_for(persona).get(page.format(ref=application.ref, doc=doc)).status_code == 404


@pytest.mark.parametrize("persona", ["desa_officer", "bwi_admin"])
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_the_holding_agency_and_region_admin_open_staff_pages(client_for, app_a, persona, page):
    application, doc = app_a
    assert client_for(persona).get(page.format(ref=application.ref, doc=doc)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client_for, app_a):
    application, doc = app_a
    for page in CITIZEN_PAGES + STAFF_PAGES:
        response = client_for(None).get(page.format(ref=application.ref, doc=doc))
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("persona", ["citizen_b", "sobo_officer", "seruyan_officer", "capil_officer"])
def test_others_cannot_act(client_for, app_a, persona):
    application, _doc = app_a
    response = client_for(persona).post(
        f"/banyuwangi/kantor/permohonan/{application.ref}/aksi/", {"action": "complete"}
    )
    assert response.status_code in (404, 302)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_seruyan_officer_sees_no_banyuwangi_queue_or_admin_pages(client_for, app_a):
    officer = client_for("seruyan_officer")
    for page in [
        "/banyuwangi/kantor/",
        "/banyuwangi/kantor/audit/",
        "/banyuwangi/kantor/layanan/",
        "/banyuwangi/kantor/loket/",
        "/banyuwangi/kantor/dasbor/",
        "/banyuwangi/kantor/dasbor/?unduh=bulanan&format=csv",
    ]:
        assert officer.get(page).status_code == 404
    assert app_a[0].tracking_code not in client_for("seruyan_admin").get("/seruyan/kantor/").text


def test_admin_pages_are_for_admins_only(client_for):
    for persona in ["desa_officer", "capil_supervisor", "citizen_a"]:
        for page in ["/banyuwangi/kantor/audit/", "/banyuwangi/kantor/layanan/", "/banyuwangi/kantor/hari-libur/"]:
            assert client_for(persona).get(page).status_code == 404
    assert client_for("bwi_admin").get("/banyuwangi/kantor/audit/").status_code == 200


def test_queue_lists_only_the_agencys_work(client_for, app_a):
    code = app_a[0].tracking_code
    assert code in client_for("desa_officer").get("/banyuwangi/kantor/").text
    assert code not in client_for("sobo_officer").get("/banyuwangi/kantor/").text
    assert code not in client_for("capil_officer").get("/banyuwangi/kantor/").text


def test_queue_selector_composes_into_other_queries(app_a, people, banyuwangi):
    """The queue's status filter takes the alias of the query it lands in, so the selector can be a
    subquery (a count per region here) and still count the same applications."""
    from django.db.models import Count, Subquery

    from gerai.applications.selectors import queue_for_staff
    from gerai.regions.models import Region

    queue = queue_for_staff(banyuwangi, people["desa_officer"])
    per_region = queue.order_by().values("region").annotate(n=Count("*")).values("n")
    counted = Region.objects.filter(pk=banyuwangi.pk).annotate(waiting=Subquery(per_region)).get()
    assert counted.waiting == queue.count() >= 1


def test_queue_is_read_off_its_partial_index(app_a, people, banyuwangi):
    """The open-queue index is only usable when the query's condition matches the index's own: a status
    filter written another way (parameters, or "(…) = 1") silently turns every queue page into a scan."""
    from django.db import connection

    from gerai.applications.selectors import queue_for_staff

    sql, params = queue_for_staff(banyuwangi, people["desa_officer"]).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is too small to need an index
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " ".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())
    assert "app_open_queue" in plan, plan


def test_lists_mask_personal_data(client_for, app_a, people):
    nik = people["citizen_a"].citizen.nik
    for persona, page in [("desa_officer", "/banyuwangi/kantor/"), ("citizen_a", "/banyuwangi/permohonan/")]:
        assert nik not in client_for(persona).get(page).text


def test_unknown_region_is_404(client_for):
    assert client_for(None).get("/atlantis/layanan/").status_code == 404
    assert client_for(None).get("/api/v1/regions/atlantis/services").status_code == 404


def test_queue_costs_the_same_queries_at_any_page_size(client_for, submitted):
    for citizen in ("citizen_a", "citizen_a", "citizen_b"):
        submitted(citizen)
    desa = client_for("desa_officer")
    desa.get("/banyuwangi/kantor/")  # warm the per-process memo (regions, filter choices)
    counts = []
    for size in (25, 100):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = desa.get("/banyuwangi/kantor/", {"n": size})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_queue_escapes_what_admins_typed(client_for, submitted, banyuwangi):
    from gerai.catalog.models import Service

    Service.objects.filter(region=banyuwangi, slug="akta-kelahiran").update(name='Akta <script>alert("x")</script>')
    submitted()
    page = client_for("desa_officer").get("/banyuwangi/kantor/").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_queue_filters_keep_the_chosen_desa_selected(client_for, settings):
    settings.GERAI_REGION_CACHE_SECONDS = 60  # the escaped options are memoised: the selection must not stick
    client = client_for("capil_officer")
    chosen = client.get("/banyuwangi/kantor/", {"desa": "35.10.15.2004"}).text
    assert 'value="35.10.15.2004" selected>' in chosen and chosen.count(" selected>") >= 1
    plain = client.get("/banyuwangi/kantor/").text
    assert 'value="35.10.15.2004" selected>' not in plain and 'value="35.10.15.2004">' in plain
    other = client.get("/banyuwangi/kantor/", {"desa": "35.10.16.1002"}).text
    assert 'value="35.10.16.1002" selected>' in other and 'value="35.10.15.2004" selected>' not in other

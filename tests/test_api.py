import json

import pytest

from gerai.accounts.services import api_token_create
from gerai.applications.models import Application, Status
from gerai.core.actors import Actor
from tests.conftest import AKTA_ANSWERS, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_for(people):
    def make(name):
        _record, token = api_token_create(actor=Actor.system(), user=people[name], name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make


def _answers():
    merged = {}
    for page in AKTA_ANSWERS:
        merged |= page
    return json.dumps(merged)


def test_openapi_schema_renders_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Gerai API"
    assert "/api/v1/regions/{region}/services/{service}/applications" in schema["paths"]
    docs = client.get("/api/v1/docs").text
    assert "cdn." not in docs


def test_catalog_endpoints(client):
    regions = {r["slug"]: r for r in client.get("/api/v1/regions").json()}
    assert regions["banyuwangi"]["code"] == "35.10" and regions["seruyan"]["code"] == "62.07"
    services = client.get("/api/v1/regions/banyuwangi/services").json()
    assert len(services) >= 12
    akta = client.get("/api/v1/regions/seruyan/services/akta-kelahiran").json()
    assert akta["copied_from"] == "banyuwangi/akta-kelahiran" and akta["sla_working_days"] == 5
    assert len(akta["standard"]) == 14 and akta["fields"][0]["key"] == "nama_anak"
    missing = client.get("/api/v1/regions/banyuwangi/services/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_submit_with_idempotency_key_makes_one_application(client, token_for, people):
    headers = token_for("citizen_a") | {"HTTP_IDEMPOTENCY_KEY": "retry-123"}
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"

    def post():
        return client.post(url, {"answers": _answers(), "surat_lahir": png(), "kartu_keluarga": pdf()}, **headers)

    first = post()
    assert first.status_code == 201, first.content
    again = post()
    assert again.status_code == 200 and again.json()["ref"] == first.json()["ref"]
    assert Application.objects.filter(applicant=people["citizen_a"]).exclude(status=Status.DRAFT).count() == 1
    mine = client.get("/api/v1/me/applications", **token_for("citizen_a")).json()
    assert [a["tracking_code"] for a in mine] == [first.json()["tracking_code"]]
    tracked = client.get(f"/api/v1/regions/banyuwangi/track/{first.json()['tracking_code']}").json()
    assert tracked["status"] == "submitted" and "Siti" not in json.dumps(tracked)


def test_submit_errors_are_json_with_codes(client, token_for):
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    no_auth = client.post(url, {"answers": _answers()})
    assert no_auth.status_code == 401 and no_auth.json()["error"]["code"] == "unauthenticated"
    bad_json = client.post(url, {"answers": "{not json"}, **token_for("citizen_a"))
    assert bad_json.status_code == 422 and bad_json.json()["error"]["code"] == "invalid_answers"
    missing_doc = client.post(url, {"answers": _answers(), "surat_lahir": png()}, **token_for("citizen_a"))
    assert missing_doc.status_code == 422 and missing_doc.json()["error"]["code"] == "incomplete"
    fake = client.post(
        url, {"answers": _answers(), "surat_lahir": png(), "kartu_keluarga": png("kk.pdf")}, **token_for("citizen_a")
    )
    assert fake.status_code == 422 and fake.json()["error"]["code"] == "file_rejected"
    assert not Application.objects.exclude(status=Status.DRAFT).exists()  # nothing half-made survives


def test_officer_queue_and_actions_are_scoped(client, token_for, submitted):
    application = submitted()
    desa = token_for("desa_officer")
    queue = client.get("/api/v1/regions/banyuwangi/queue", **desa).json()
    assert [a["ref"] for a in queue] == [application.ref]
    assert client.get("/api/v1/regions/banyuwangi/queue", **token_for("seruyan_officer")).status_code == 404
    url = f"/api/v1/regions/banyuwangi/applications/{application.ref}/actions"
    other = client.post(url, {"action": "complete"}, content_type="application/json", **token_for("sobo_officer"))
    assert other.status_code == 404
    done = client.post(url, {"action": "complete"}, content_type="application/json", **desa)
    assert done.status_code == 200 and done.json()["current_agency"] == "Dispendukcapil"
    again = client.post(url, {"action": "complete"}, content_type="application/json", **desa)
    # the desa office still sees what it handled, but the step is no longer theirs to act on
    assert again.status_code == 404 and again.json()["error"]["code"] == "forbidden"


def test_the_api_takes_the_office_pages_actions(client, token_for, submitted):
    """One dispatch (gerai.applications.actions) serves the page and the API: the API also notes and assigns."""
    from gerai.applications.models import TimelineEvent

    application = submitted()
    url = f"/api/v1/regions/banyuwangi/applications/{application.ref}/actions"

    def act(**body):
        return client.post(url, body, content_type="application/json", **token_for("desa_officer"))

    assert act(action="note", reason="Checked by phone.").status_code == 200
    assert application.events.filter(kind=TimelineEvent.Kind.NOTE, message="Checked by phone.").exists()
    empty = act(action="note", reason="")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "reason_required"
    nobody = act(action="assign", assignee_id=2**31 - 1)
    assert nobody.status_code == 422 and nobody.json()["error"]["code"] == "invalid_assignee"
    unknown = act(action="fly")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_action"
    nowhere = act(action="forward", agency_id=2**31 - 1)
    assert nowhere.status_code == 422 and nowhere.json()["error"]["code"] == "invalid_agency"


def test_tracking_is_throttled(client, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"tracking": (3, 60)}
    from gerai.core.throttle import throttle_reset_local

    throttle_reset_local()
    codes = [client.get("/api/v1/regions/banyuwangi/track/BWI-AAAA-BBBB").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
    page = client.get("/banyuwangi/lacak/", {"kode": "BWI-AAAA-CCCC"})
    assert page.status_code == 429
    throttle_reset_local()


def test_invalid_answers_are_reported_per_field(client, token_for):
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    answers = json.loads(_answers()) | {"nik_ibu": "123", "desa": "62.07.01.1001"}  # a Seruyan desa
    response = client.post(
        url, {"answers": json.dumps(answers), "surat_lahir": png(), "kartu_keluarga": pdf()}, **token_for("citizen_a")
    )
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "invalid_answers"
    assert set(error["details"]) == {"nik_ibu", "desa"}


def test_an_agency_newer_than_the_memo_is_still_named(client, token_for, submitted, settings, banyuwangi):
    from gerai.regions.models import Agency

    settings.GERAI_REGION_CACHE_SECONDS = 60  # the agency names are memoised per region
    application = submitted()
    client.get("/api/v1/me/applications", **token_for("citizen_a"))  # the memo now holds the old agencies
    newer = Agency.objects.create(region=banyuwangi, slug="dinas-baru", name="Dinas Baru")
    Application.objects.filter(pk=application.pk).update(current_agency=newer)

    mine = client.get("/api/v1/me/applications", **token_for("citizen_a")).json()

    assert [a["current_agency"] for a in mine] == ["Dinas Baru"]

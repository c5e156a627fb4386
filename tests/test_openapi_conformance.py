"""Schemathesis against our own OpenAPI schema, in-process (WSGI): generated requests, valid and not, for
every operation, signed in as a region admin; no 5xx, and every status code, content type and body exactly
as the schema documents (one error body, ErrorOut, for every error status an operation declares)."""

import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app, whose request signals would close the test's database
    connection (inside its transaction); Django's test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(people):
    from gerai.accounts.services import api_token_create
    from gerai.core.actors import Actor

    _record, token = api_token_create(actor=Actor.system(), user=people["bwi_admin"], name="schemathesis")
    return token


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, admin_token):
    _aim_at_the_demo(case)
    headers = {"Authorization": f"Bearer {admin_token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)


DEMO = {"region": "banyuwangi", "service": "akta-kelahiran"}


def _aim_at_the_demo(case) -> None:
    """A generated region or service names nothing, so every call would stop at the first 404: three cases in
    four go to the demo's region and service instead, so the operations' own checks and answers are reached."""
    for name, value in DEMO.items():
        if name in (case.path_parameters or {}) and zlib.crc32(repr(case.path_parameters[name]).encode()) % 4:
            case.path_parameters[name] = value


# --- what schemathesis may not happen to draw, asked directly ------------------------------------------


def _token(people, name):
    from gerai.accounts.services import api_token_create
    from gerai.core.actors import Actor

    _record, token = api_token_create(actor=Actor.system(), user=people[name], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _documented(client, path: str, method: str, status: int, body: dict) -> dict:
    """The operation declares this status with the one error schema, and the body fits it."""
    from gerai.api.api import ErrorOut

    operation = client.get("/api/v1/openapi.json").json()["paths"][path][method]
    content = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    assert content == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)
    ErrorOut.model_validate(body, strict=True)
    return body["error"]


@pytest.mark.django_db
def test_every_error_answer_has_the_one_documented_shape(client, people):
    admin, citizen = _token(people, "bwi_admin"), _token(people, "citizen_a")
    reports = "/api/v1/regions/banyuwangi/reports"
    unknown = client.post(reports, {"category": "nope", "description": "x" * 30}, "application/json", **citizen)
    error = _documented(client, "/api/v1/regions/{region}/reports", "post", 422, unknown.json())
    assert unknown.status_code == 422 and list(error["details"]) == ["category"]  # was {"field": "category"}
    unparseable = client.post(reports, "{not json", "application/json", **citizen)
    error = _documented(client, "/api/v1/regions/{region}/reports", "post", 400, unparseable.json())
    assert unparseable.status_code == 400 and error["code"] == "bad_request"
    action = client.post(
        "/api/v1/regions/banyuwangi/applications/X/actions", {"reason": "no action"}, "application/json", **admin
    )
    path = "/api/v1/regions/{region}/applications/{ref}/actions"
    error = _documented(client, path, "post", 422, action.json())
    assert action.status_code == 422 and error["code"] == "invalid_request" and "body.action" in error["details"]


@pytest.mark.django_db
def test_parameter_limits_are_in_the_schema_and_refused(client, people):
    ikm = "/api/v1/regions/{region}/ikm"
    params = {
        p["name"]: p["schema"] for p in client.get("/api/v1/openapi.json").json()["paths"][ikm]["get"]["parameters"]
    }
    assert params["year"]["minimum"] == 2000 and params["year"]["maximum"] == 2100
    for query in ({"year": 0}, {"year": 2026, "quarter": 5}, {"year": 2026, "semester": 0}):
        response = client.get("/api/v1/regions/banyuwangi/ikm", query)
        error = _documented(client, ikm, "get", 422, response.json())
        assert response.status_code == 422 and set(error["details"]) <= {"year", "quarter", "semester"}, query
    assert client.get("/api/v1/regions/banyuwangi/ikm", {"year": 2026}).status_code == 200
    queue = client.get("/api/v1/regions/banyuwangi/queue", {"limit": 0}, **_token(people, "bwi_admin"))
    assert queue.status_code == 422 and "limit" in queue.json()["error"]["details"]


@pytest.mark.django_db
def test_empty_answers_are_refused_as_documented(client, people):
    path = "/api/v1/regions/{region}/services/{service}/applications"
    body = client.get("/api/v1/openapi.json").json()["paths"][path]["post"]["requestBody"]
    answers = body["content"]["multipart/form-data"]["schema"]["properties"]["answers"]
    assert answers["minLength"] == 2
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    for sent in ({}, {"answers": ""}, {"answers": "{}"}):
        response = client.post(url, sent, **_token(people, "citizen_a"))
        _documented(client, path, "post", 422, response.json())
        assert response.status_code == 422, sent


@pytest.mark.django_db
def test_a_reused_idempotency_key_with_another_request_is_refused(client, people):
    import json

    from gerai.applications.models import Application
    from tests.conftest import AKTA_ANSWERS, pdf, png

    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    headers = _token(people, "citizen_a") | {"HTTP_IDEMPOTENCY_KEY": "once-42"}
    answers = {k: v for page in AKTA_ANSWERS for k, v in page.items()}

    def post(**changes):
        sent = {"answers": json.dumps(answers | changes), "surat_lahir": png(), "kartu_keluarga": pdf()}
        return client.post(url, sent, **headers)

    first = post()
    assert first.status_code == 201, first.content
    assert post().status_code == 200 and post().json()["ref"] == first.json()["ref"]  # a retry
    other = post(nama_anak="Putra Bayu")
    error = _documented(client, "/api/v1/regions/{region}/services/{service}/applications", "post", 422, other.json())
    assert other.status_code == 422 and error["code"] == "idempotency_key_reused"
    assert Application.objects.filter(applicant=people["citizen_a"]).exclude(status="draft").count() == 1
    headers["HTTP_IDEMPOTENCY_KEY"] = "once-43"
    assert post(nama_anak="Putra Bayu").status_code == 201  # a new key makes a new application


@pytest.mark.django_db
def test_an_application_filed_before_idempotency_records_is_compared_with_the_retry(client, people):
    """An application filed under a key before IdempotencyRecord existed has no hash: a retry holding the same
    answers and files gets it (200), a different request under the key is refused as for any other key."""
    import json

    from gerai.api.models import IdempotencyRecord
    from gerai.applications.models import Application
    from tests.conftest import AKTA_ANSWERS, pdf, png

    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    headers = _token(people, "citizen_a") | {"HTTP_IDEMPOTENCY_KEY": "legacy-7"}
    answers = {k: v for page in AKTA_ANSWERS for k, v in page.items()}

    def post(**changes):
        sent = {"answers": json.dumps(answers | changes), "surat_lahir": png(), "kartu_keluarga": pdf()}
        return client.post(url, sent, **headers)

    first = post()
    assert first.status_code == 201, first.content
    IdempotencyRecord.objects.all().delete()  # as if filed before the records existed
    other = post(nama_anak="Putra Bayu")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused", other.content
    assert not IdempotencyRecord.objects.exists()  # the refused request's record rolled back
    again = post()
    assert again.status_code == 200 and again.json()["ref"] == first.json()["ref"]
    assert post(nama_anak="Putra Bayu").status_code == 422  # the retry's record now holds the hash
    assert Application.objects.filter(applicant=people["citizen_a"]).exclude(status="draft").count() == 1


@pytest.mark.django_db
def test_a_reports_idempotency_key_is_checked_like_an_applications(client, people):
    """Same key and body: the first report (200). Same key, another body: 422 idempotency_key_reused (it was 200
    with the first report). The key's namespace is the user's, across both endpoints."""
    from gerai.complaints.models import Report

    url = "/api/v1/regions/banyuwangi/reports"
    headers = _token(people, "citizen_a") | {"HTTP_IDEMPOTENCY_KEY": "lapor-1"}
    body = {"category": "sampah", "description": "Sampah menumpuk di sungai", "address": "Jl. Kali 1"}
    first = client.post(url, body, "application/json", **headers)
    assert first.status_code == 201, first.content
    again = client.post(url, body, "application/json", **headers)
    assert again.status_code == 200 and again.json()["tracking_code"] == first.json()["tracking_code"]
    other = client.post(url, body | {"description": "Jalan rusak parah"}, "application/json", **headers)
    error = _documented(client, "/api/v1/regions/{region}/reports", "post", 422, other.json())
    assert other.status_code == 422 and error["code"] == "idempotency_key_reused"
    assert Report.objects.filter(reporter=people["citizen_a"], channel="api").count() == 1
    # a report filed under the key before IdempotencyRecord existed: compared with what it holds
    from gerai.api.models import IdempotencyRecord

    IdempotencyRecord.objects.all().delete()
    assert client.post(url, body | {"kind": "aspiration"}, "application/json", **headers).status_code == 422
    assert client.post(url, body, "application/json", **headers).status_code == 200
    apply = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    assert client.post(apply, {"answers": "{}"}, **headers).json()["error"]["code"] == "idempotency_key_reused"
    headers["HTTP_IDEMPOTENCY_KEY"] = "lapor-2"
    new = client.post(url, body | {"description": "Jalan rusak parah"}, "application/json", **headers)
    assert new.status_code == 201


@pytest.mark.django_db
def test_a_nul_character_is_refused_before_it_reaches_the_database(client, people):
    """PostgreSQL cannot hold NUL in text: it would be a 500 there (schemathesis draws it often)."""
    from gerai.complaints.models import Report

    assert client.get("/api/v1/regions/banyuwangi%00/services").json()["error"]["code"] == "not_found"
    admin = _token(people, "bwi_admin")
    queue = client.get("/api/v1/regions/banyuwangi/queue", {"status": "a\x00"}, **admin)
    assert queue.status_code == 422 and list(queue.json()["error"]["details"]) == ["status"]
    body = {"category": "sampah", "description": "Sampah menumpuk\x00 di sungai"}
    report = client.post("/api/v1/regions/banyuwangi/reports", body, "application/json", **_token(people, "citizen_a"))
    assert report.status_code == 422 and not Report.objects.filter(description__startswith="Sampah menumpuk").exists()
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    form = client.post(url, {"answers": '{"nama_anak": "A\x00"}'}, **_token(people, "citizen_a"))
    assert form.status_code == 422 and list(form.json()["error"]["details"]) == ["answers"]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-json", "", "application/json; charset=utf-8"])
def test_a_nul_character_in_a_body_of_any_content_type_is_refused(client, people, content_type):
    """django-ninja reads the body as JSON whatever its content type: a text/plain report with \u0000 was stored."""
    from gerai.complaints.models import Report

    citizen = _token(people, "citizen_a")
    escaped = '{"category": "sampah", "description": "Sampah menumpuk\\u0000 di sungai"}'
    for body in (escaped, escaped.replace("\\u0000", "\x00")):
        report = client.post("/api/v1/regions/banyuwangi/reports", body, content_type, **citizen)
        assert report.status_code == 422, (content_type, report.content)
        assert report.json()["error"]["code"] == "invalid_request" and list(report.json()["error"]["details"]) == [
            "body"
        ]
    assert not Report.objects.filter(description__startswith="Sampah menumpuk").exists()
    url = "/api/v1/regions/banyuwangi/services/akta-kelahiran/applications"
    form = client.post(url, {"answers": '{"nama_anak": "A\\u0000"}'}, **citizen)  # JSON's escape in a form field
    assert form.status_code == 422 and list(form.json()["error"]["details"]) == ["answers"]
    literal = '{"category": "sampah", "description": "Sampah menumpuk, C:\\\\u0000", "address": "Jl. Kali 1"}'
    filed = client.post("/api/v1/regions/banyuwangi/reports", literal, content_type, **citizen)
    assert filed.status_code == 201, filed.content


@pytest.mark.django_db
def test_coordinates_out_of_range_are_refused_not_a_server_error(client, people):
    citizen = _token(people, "citizen_a")
    for lat in ("1e300", "NaN", "Infinity", "-91"):
        body = f'{{"category": "sampah", "description": "Sampah menumpuk di sungai", "lat": {lat}, "long": 1}}'
        response = client.post("/api/v1/regions/banyuwangi/reports", body, "application/json", **citizen)
        assert response.status_code == 422 and list(response.json()["error"]["details"]) == ["body.lat"], lat


@pytest.mark.django_db
def test_an_agency_id_beyond_any_key_is_refused_not_a_server_error(client, people, submitted):
    application = submitted()
    url = f"/api/v1/regions/banyuwangi/applications/{application.ref}/actions"
    body = f'{{"action": "forward", "agency_id": {10**30}}}'
    response = client.post(url, body, "application/json", **_token(people, "desa_officer"))
    assert response.status_code == 422 and list(response.json()["error"]["details"]) == ["body.agency_id"]

"""Open311 GeoReport v2 conformance, written from the specification (open311.github.io GeoReport/v2):
every call in XML and JSON, jurisdiction_id, api_key, filters and their limits, error documents."""

import datetime as dt
import json
import re
from xml.etree import ElementTree as ET

import pytest
import time_machine

from gerai.complaints import services
from gerai.complaints.models import Category, Report
from gerai.core.actors import Actor

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
WIB = dt.timezone(dt.timedelta(hours=7))
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


@pytest.fixture
def key(banyuwangi):
    _record, raw = services.open311_key_create(actor=Actor.system(), region=banyuwangi, name="Aplikasi Warga")
    return raw


@pytest.fixture
def coordinator(db):
    from gerai.accounts.models import User

    return Actor(user=User.objects.get(login="pengaduan@banyuwangi.demo"))


def _xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def _errors(response, status):
    assert response.status_code == status
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]
        return body[0]["description"]
    root = _xml(response)
    assert root.tag == "errors" and root.find("error/code").text == str(status)
    return root.find("error/description").text


def _post(client, key, fmt="json", **fields):
    data = {
        "jurisdiction_id": "banyuwangi",
        "api_key": key,
        "service_code": "jalan-rusak",
        "address_id": "35.10.15.2004",
        "description": "Jalan berlubang di depan SDN 1 Kemiren",
    } | fields
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_discovery_in_both_formats(client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["url"].endswith("/open311/v2/")
    assert set(data["endpoints"][0]["formats"]) == {"text/xml", "application/json"}
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_and_definitions(client, banyuwangi):
    services_json = client.get(f"{BASE}/services.json", {"jurisdiction_id": "banyuwangi"}).json()
    codes = {s["service_code"] for s in services_json}
    assert {"jalan-rusak", "sampah"} <= codes
    road = next(s for s in services_json if s["service_code"] == "jalan-rusak")
    assert road["metadata"] is True and road["type"] == "realtime" and road["group"] == "Infrastruktur"
    root = _xml(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "banyuwangi"}))
    assert root.tag == "services" and len(root.findall("service")) == len(services_json)
    assert root.find("service/metadata").text in ("true", "false")
    definition = client.get(f"{BASE}/services/jalan-rusak.json", {"jurisdiction_id": "banyuwangi"}).json()
    attribute = definition["attributes"][0]
    assert (
        attribute["code"] == "tingkat" and attribute["datatype"] == "singlevaluelist" and attribute["variable"] is True
    )
    assert {"key": "berat", "name": "Berat, berbahaya"} in attribute["values"]
    xml_definition = _xml(client.get(f"{BASE}/services/jalan-rusak.xml", {"jurisdiction_id": "banyuwangi"}))
    assert xml_definition.tag == "service_definition"
    assert xml_definition.find("attributes/attribute/values/value/key").text == "ringan"
    _errors(client.get(f"{BASE}/services/tidak-ada.json", {"jurisdiction_id": "banyuwangi"}), 404)


def test_jurisdictions(client, banyuwangi):
    _errors(client.get(f"{BASE}/services.json"), 400)
    _errors(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "atlantis"}), 404)
    banyuwangi.host = "layanan.banyuwangikab.go.id"
    banyuwangi.save()
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "layanan.banyuwangikab.go.id"}).status_code == 200
    seruyan = client.get(f"{BASE}/services.json", {"jurisdiction_id": "seruyan"}).json()
    assert seruyan and seruyan != []
    assert client.get(f"{BASE}/services.yaml", {"jurisdiction_id": "banyuwangi"}).status_code == 404


def test_posting_needs_a_valid_api_key(client, key, banyuwangi):
    _errors(_post(client, None), 403)
    _errors(_post(client, "o311_salah", fmt="xml"), 403)
    record = banyuwangi.open311_keys.get()
    services.open311_key_revoke(actor=Actor.system(), key=record)
    _errors(_post(client, key), 403)
    assert not Report.objects.exists()


def test_post_creates_a_request_in_json_and_xml(client, key, banyuwangi):
    response = _post(client, key, **{"attribute[tingkat]": "berat", "email": "budi@example.id", "first_name": "Budi"})
    assert response.status_code == 200
    body = response.json()[0]
    assert body["service_request_id"].startswith("BWIP-") and body["token"]
    report = Report.objects.get(tracking_code=body["service_request_id"])
    assert report.channel == "open311" and report.attributes == {"tingkat": "berat"}
    assert report.desa_id == "35.10.15.2004" and report.reporter_email == "budi@example.id"
    xml = _xml(
        _post(
            client,
            key,
            fmt="xml",
            description="Lampu padam",
            service_code="lampu-jalan",
            lat="-8.2191",
            long="114.3691",
        )
    )
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text.startswith("BWIP-")
    token = client.get(f"{BASE}/tokens/{body['token']}.json", {"jurisdiction_id": "banyuwangi"}).json()
    assert token == [{"service_request_id": body["service_request_id"], "token": body["token"]}]
    _errors(client.get(f"{BASE}/tokens/tidak-ada.json", {"jurisdiction_id": "banyuwangi"}), 404)


def test_a_retried_post_is_not_stored_twice(client, key):
    first = _post(client, key).json()[0]["service_request_id"]
    second = _post(client, key).json()[0]["service_request_id"]
    assert first == second and Report.objects.count() == 1
    keyed = [
        client.post(
            f"{BASE}/requests.json",
            {
                "jurisdiction_id": "banyuwangi",
                "api_key": key,
                "service_code": "sampah",
                "address_string": "Pasar Kemiren",
                "description": "Sampah",
            },
            HTTP_IDEMPOTENCY_KEY="req-77",
        ).json()[0]["service_request_id"]
        for _ in range(2)
    ]
    assert keyed[0] == keyed[1] and Report.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"service_code": None}, 400),
        ({"service_code": "tidak-ada"}, 400),
        ({"address_id": None}, 400),  # no location at all
        ({"address_id": "35.10.99.9999"}, 400),
        ({"address_id": None, "lat": "-8.2", "long": "utara"}, 400),
        ({"address_id": None, "lat": "52.37", "long": "4.89"}, 400),  # Amsterdam is not in Indonesia
        ({"description": "x" * 4001}, 400),
        ({"attribute[tingkat]": "parah-sekali"}, 400),
        ({"email": "bukan-email"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"jurisdiction_id": "atlantis"}, 404),
    ],
)
def test_bad_posts_get_the_spec_errors(client, key, fields, status):
    for fmt in ("json", "xml"):
        _errors(_post(client, key, fmt=fmt, **fields), status)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"description": "Lubang\x00besar"},
        {"address_id": None, "address_string": "Jl\x00 A"},
        {"first_name": "A\x00"},
        {"attribute[tingkat\x00]": "parah"},
    ],
)
def test_a_nul_character_in_any_field_is_refused_with_an_open311_error(client, key, fields):
    for fmt in ("json", "xml"):
        assert "NUL" in _errors(_post(client, key, fmt=fmt, **fields), 400)
    assert not Report.objects.exists()
    _errors(client.get(f"{BASE}/requests.json", {"jurisdiction_id": "banyuwangi", "status": "open\x00"}), 400)
    _errors(client.get(f"{BASE}/requests/BWI\x00.json", {"jurisdiction_id": "banyuwangi"}), 404)


def test_html_is_stored_as_text_and_escaped_everywhere(client, key, coordinator, banyuwangi):
    body = _post(client, key, description='<img src=x onerror="alert(1)"> lubang').json()[0]
    report = Report.objects.get(tracking_code=body["service_request_id"])
    services.report_verify(actor=coordinator, report=report)
    assert json.loads(
        client.get(f"{BASE}/requests/{report.tracking_code}.json", {"jurisdiction_id": "banyuwangi"}).content
    )[0]["description"].startswith("<img")  # data in JSON is data
    assert (
        b"<img src"
        not in client.get(f"{BASE}/requests/{report.tracking_code}.xml", {"jurisdiction_id": "banyuwangi"}).content
    )
    assert "&lt;img" in client.get(f"/banyuwangi/pengaduan/{report.tracking_code}").content.decode()


@pytest.fixture
def published(key, client, coordinator, banyuwangi):
    """Three reports: two verified (one settled), one not yet verified, one confidential."""
    from gerai.accounts.models import User

    pupr = Actor(user=User.objects.get(login="pupr@banyuwangi.demo"))
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=WIB), tick=False):
        old = services.report_file(
            actor=Actor.system(),
            region=banyuwangi,
            category=Category.objects.get(region=banyuwangi, code="sampah"),
            description="Sampah lama",
            address="Pasar",
            anonymous=True,
        )
        services.report_verify(actor=coordinator, report=old)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB), tick=False):
        road = Report.objects.get(
            tracking_code=_post(client, key, lat="-8.2191", long="114.3691").json()[0]["service_request_id"]
        )
        services.report_verify(actor=coordinator, report=road)
        services.report_respond(actor=pupr, report=road, text="Sudah ditambal.", settled=True)
        pending = Report.objects.get(
            tracking_code=_post(client, key, service_code="lampu-jalan", description="Lampu").json()[0][
                "service_request_id"
            ]
        )
        secret = services.report_file(
            actor=Actor.system(),
            region=banyuwangi,
            category=Category.objects.get(region=banyuwangi, code="jalan-rusak"),
            description="Rahasia",
            address="X",
            anonymous=True,
            confidential=True,
        )
        services.report_verify(actor=coordinator, report=secret)
    return {"old": old, "road": road, "pending": pending, "secret": secret}


def _ids(response):
    return [r["service_request_id"] for r in response.json()]


@time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=WIB), tick=False)
def test_get_requests_filters(client, published):
    q = {"jurisdiction_id": "banyuwangi"}
    get = lambda **extra: client.get(f"{BASE}/requests.json", q | extra)  # noqa: E731
    assert set(_ids(get())) == {
        published["old"].tracking_code,
        published["road"].tracking_code,
    }  # 90 days, published only
    assert _ids(get(service_code="jalan-rusak")) == [published["road"].tracking_code]
    assert _ids(get(status="closed")) == [published["road"].tracking_code]
    assert _ids(get(status="open")) == [published["old"].tracking_code]
    assert _ids(get(start_date="2026-11-01T00:00:00+07:00", end_date="2026-11-28T00:00:00Z")) == [
        published["road"].tracking_code
    ]
    both = f"{published['road'].tracking_code},{published['old'].tracking_code}"
    assert len(_ids(get(service_request_id=both, service_code="sampah", status="open"))) == 2  # ids override the rest
    assert _ids(get(page_size="1", page="2")) == [published["old"].tracking_code]
    _errors(get(start_date="2026-01-01T00:00:00Z", end_date="2026-11-01T00:00:00Z"), 400)  # over 90 days
    _errors(get(start_date="kemarin"), 400)
    _errors(get(status="pending"), 400)
    _errors(get(page_size="5000"), 400)
    _errors(get(end_date="2026-01-01T00:00:00Z", start_date="2026-02-01T00:00:00Z"), 400)
    xml = _xml(client.get(f"{BASE}/requests.xml", q))
    assert xml.tag == "service_requests" and len(xml.findall("request")) == 2


@time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=WIB), tick=False)
def test_a_single_request_carries_every_field_with_offsets(client, published):
    q = {"jurisdiction_id": "banyuwangi"}
    road = client.get(f"{BASE}/requests/{published['road'].tracking_code}.json", q).json()[0]
    assert road["status"] == "closed" and road["status_notes"] == "Sudah ditambal."
    assert road["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert OFFSET.match(road["requested_datetime"]) and OFFSET.match(road["updated_datetime"])
    assert road["lat"] == pytest.approx(-8.2191) and road["address_id"] == "35.10.15.2004"
    old = client.get(f"{BASE}/requests/{published['old'].tracking_code}.json", q).json()[0]
    assert old["status"] == "open" and OFFSET.match(old["expected_datetime"])  # the 60-day settlement SLA
    assert old["expected_datetime"].startswith("2026-11-30")
    fields = {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert set(road) == fields
    xml = _xml(client.get(f"{BASE}/requests/{published['road'].tracking_code}.xml", q))
    assert {child.tag for child in xml.find("request")} == fields
    _errors(client.get(f"{BASE}/requests/{published['secret'].tracking_code}.json", q), 404)  # confidential
    _errors(client.get(f"{BASE}/requests/BWIP-0000-0000.xml", q), 404)
    pending = client.get(f"{BASE}/requests/{published['pending'].tracking_code}.json", q).json()[0]
    assert pending["description"] == "" and pending["status"] == "open"  # not published before verification


def test_errors_speak_the_clients_language(client):
    english = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "required" in _errors(english, 400)
    indonesian = client.get(f"{BASE}/services.json")
    assert "wajib" in _errors(indonesian, 400)


def test_an_anonymous_reporter_never_appears_in_open311(client, published):
    body = client.get(
        f"{BASE}/requests/{published['old'].tracking_code}.json", {"jurisdiction_id": "banyuwangi"}
    ).content
    assert b"reporter" not in body and b"@" not in body


def test_open311_posting_is_throttled_per_key(client, key, settings):
    settings.GERAI_THROTTLES = {**settings.GERAI_THROTTLES, "open311_post": (2, 60)}
    codes = [_post(client, key, description=f"Laporan {i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]

"""The Open311 endpoint against a live server, driven by the `georeport` client from PyPI (JSON and XML),
as an integrator's code would use it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_georeport_client_reads_services_and_requests(live_server, demo_loaded):
    from georeport import GeoReport

    from gerai.accounts.models import User
    from gerai.complaints import services
    from gerai.complaints.models import Category
    from gerai.core.actors import Actor
    from gerai.regions.models import Area, Region

    banyuwangi = Region.objects.get(slug="banyuwangi")
    report = services.report_file(
        actor=Actor.system(),
        region=banyuwangi,
        category=Category.objects.get(region=banyuwangi, code="jalan-rusak"),
        description="Jalan amblas di tikungan Kemiren",
        desa=Area.objects.get(code="35.10.15.2004"),
        anonymous=True,
    )
    services.report_verify(actor=Actor(user=User.objects.get(login="pengaduan@banyuwangi.demo")), report=report)

    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="banyuwangi", output_format=fmt)
        service_list = client.get_service_list()
        assert "jalan-rusak" in {s["service_code"] for s in service_list}
        definition = client.get_service_definition("jalan-rusak")
        assert definition["service_code"] == "jalan-rusak"
        requests = client.get_service_requests(status="open")
        requests = requests if isinstance(requests, list) else [requests]  # xmltodict: one element is a dict
        assert report.tracking_code in {r["service_request_id"] for r in requests}
        one = client.get_service_request(report.tracking_code)
        assert one["service_request_id"] == report.tracking_code and one["status"] == "open"
        assert one["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"

"""Service versions, adoption with owner mapping, lineage and the upstream three-way comparison (gerai/catalog);
a service from scratch; an application records the version it was filed under."""

import pytest

from gerai.applications.models import Application
from gerai.audit.models import AuditEntry
from gerai.catalog import lineage
from gerai.catalog.models import FormField, Service, WorkflowStep
from gerai.catalog.services import (
    CatalogError,
    service_copy,
    service_publish,
    service_update,
    service_upstream_apply,
)
from gerai.core.actors import Actor
from gerai.regions.models import Agency
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(personas):
    """Region A's service with a second fixed step at the DPMPTSP (an agency region B does not have), a phone number
    and the source region's name in its text."""
    service = personas.service
    dpmptsp = Agency.objects.get(region=personas.a.region, slug="dpmptsp")
    WorkflowStep.objects.create(service=service, order=3, name="Izin", routing="fixed", agency=dpmptsp, role="officer")
    service.std_complaints = "Call Center 112 Pemkab Jember, Jl. Sudarman 1"
    service.std_legal_basis = "Perda Kabupaten Jember Nomor 4 Tahun 2020"
    service.save()
    service_publish(actor=Actor.system(), service=service)
    return service


def test_versions_are_immutable_and_numbered(source):
    versions = list(source.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and source.current_version == versions[-1]
    assert [s["name"] for s in versions[-1].snapshot["steps"]][-1] == "Izin"
    version = versions[0]
    version.note = "changed"
    with pytest.raises(ValueError):
        version.save()


def test_adoption_maps_by_kind_and_name_and_refuses_publishing_an_unmapped_step(personas, source):
    b = personas.b
    copy = service_copy(actor=Actor(user=personas.outsider_admin), source=source, region=b.region, slug="sk")
    steps = {s.order: s for s in copy.steps.all()}
    assert steps[1].routing == "desa" and steps[1].agency is None  # the applicant's desa office stays a rule
    assert steps[2].agency == b.dinas  # Dukcapil to Dukcapil, by its slug
    assert steps[3].agency is None  # no DPMPTSP in region B: no alphabetical first dinas
    assert copy.owner_agency == b.dinas and not copy.is_published
    assert copy.upstream_version == source.current_version and copy.copied_from == source
    with pytest.raises(CatalogError) as refused:
        service_publish(actor=Actor(user=personas.outsider_admin), service=copy)
    assert refused.value.code == "unmapped_step" and "Izin" in str(refused.value.message)
    with pytest.raises(CatalogError):  # nor by ticking "published" on the edit form
        service_update(actor=Actor(user=personas.outsider_admin), service=copy, data={"is_published": True})
    assert not Service.objects.get(pk=copy.pk).is_published and not copy.versions.exists()
    steps[3].agency = b.dinas
    steps[3].save()
    version = service_publish(actor=Actor(user=personas.outsider_admin), service=copy)
    assert version.number == 1 and version.based_on == source.current_version


def test_text_naming_the_source_region_is_flagged(personas, source):
    flags = lineage.review_flags(source, "Kabupaten Jember")
    found = {(f["text"], f["why"]) for f in flags}
    texts = {text for text, _why in found}
    assert "Jember" in texts and any("112" in t for t in texts) and any(t.startswith("Jl.") for t in texts)
    assert any(t.lower().startswith("perda") for t in texts)


def test_the_adoption_page_previews_suggests_and_keeps_what_was_typed(personas, source):
    client = personas.client("outsider_admin")
    page = client.get(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/")
    assert page.status_code == 200 and "Jember" in page.text
    assert f'<option value="{personas.b.dinas.pk}" selected>' in page.text
    taken = Service.objects.create(
        region=personas.b.region,
        slug="taken",
        name="X",
        summary="x",
        category="surat",
        owner_agency=personas.b.dinas,
        sla_working_days=1,
    )
    bad = client.post(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/", {"slug": taken.slug})
    assert bad.status_code == 400 and 'value="taken"' in bad.text
    done = client.post(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/", {"slug": "sk-jember"})
    assert done.status_code == 302
    edit = client.get(done["Location"])
    assert "Izin" in edit.text and "Jember" in edit.text  # the unmapped step and the flagged text
    again = client.get(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/")
    assert "sk-jember" in again.text  # the earlier adoption is named
    # another region's admin never reaches these pages of region B
    assert (
        personas.client("admin").get(f"/{personas.b.region.slug}/kantor/layanan/adopsi/{source.pk}/").status_code == 404
    )
    assert (
        personas.client("outsider").get(f"/{personas.b.region.slug}/kantor/layanan/sk-jember/hulu/").status_code == 404
    )


def test_an_application_records_its_version_and_keeps_it_after_the_service_changes(personas, files):
    service = personas.service
    first = service.current_version
    application = make_application(personas.citizen, service, upload=files["pdf"])
    assert application.service_version == first
    service_update(actor=Actor(user=personas.admin), service=service, data={"sla_working_days": 7})
    service.refresh_from_db()
    assert service.current_version.number == first.number + 1
    assert Application.objects.get(pk=application.pk).service_version == first
    assert first.snapshot["scalars"]["sla_working_days"] == 3


def _adopted(personas, source):
    b = personas.b
    copy = service_copy(
        actor=Actor(user=personas.outsider_admin),
        source=source,
        region=b.region,
        slug="sk",
        agency_map={Agency.objects.get(region=personas.a.region, slug="dpmptsp").pk: b.dinas},
    )
    copy.summary = "Ringkasan Tanah Laut"  # this region's own change
    copy.save()
    service_publish(actor=Actor(user=personas.outsider_admin), service=copy)
    return copy


def test_upstream_changes_are_compared_three_ways_and_decided_one_by_one(personas, source):
    copy = _adopted(personas, source)
    admin_a = Actor(user=personas.admin)
    service_update(actor=admin_a, service=source, data={"sla_working_days": 2, "summary": "Ringkasan baru Jember"})
    FormField.objects.create(service=source, key="hp", label="Nomor HP", kind="phone", page=1, order=9)
    service_publish(actor=admin_a, service=source)
    source.refresh_from_db()
    client = personas.client("outsider_admin")
    listing = client.get(f"/{personas.b.region.slug}/kantor/layanan/")
    assert "data-upstream-notice" in listing.text
    page = client.get(f"/{personas.b.region.slug}/kantor/layanan/sk/hulu/")
    assert page.status_code == 200
    changes, local = lineage.three_way(
        copy.upstream_version.snapshot, source.current_version.snapshot, lineage.snapshot(copy)
    )
    by_key = {c.key: c for c in changes}
    assert set(by_key) == {"scalar:sla_working_days", "scalar:summary", "form:hp"}
    assert by_key["scalar:summary"].conflict and not by_key["scalar:sla_working_days"].conflict
    assert "Ringkasan Tanah Laut" in page.text and "Ringkasan baru Jember" in page.text
    answer = client.post(
        f"/{personas.b.region.slug}/kantor/layanan/sk/hulu/",
        {"version": source.current_version.number, "accept": ["scalar:sla_working_days", "form:hp"]},
    )
    assert answer.status_code == 302
    copy.refresh_from_db()
    assert copy.sla_working_days == 2 and copy.summary == "Ringkasan Tanah Laut"  # accepted, declined
    assert copy.fields.filter(key="hp").exists() and copy.upstream_version == source.current_version
    assert copy.current_version.number == 2 and copy.current_version.based_on == source.current_version
    entry = AuditEntry.objects.get(action="service.upstream_apply", object_id=str(copy.pk))
    assert entry.changes["declined"] == ["scalar:summary"]
    assert "data-upstream-notice" not in client.get(f"/{personas.b.region.slug}/kantor/layanan/").text


def test_an_upstream_removal_of_a_question_open_applications_answered_is_refused(personas, source, files):
    copy = _adopted(personas, source)
    b = personas.b
    from tests.factories import make_citizen

    citizen = make_citizen(b.desa, "Warga Tala")
    make_application(citizen, copy, upload=files["pdf"])
    FormField.objects.filter(service=source, key="keperluan").delete()
    service_publish(actor=Actor(user=personas.admin), service=source)
    source.refresh_from_db()
    with pytest.raises(CatalogError) as refused:
        service_upstream_apply(
            actor=Actor(user=personas.outsider_admin),
            service=copy,
            accepted={"form:keperluan"},
            expected_version=source.current_version.number,
        )
    assert refused.value.code == "answered_field" and "keperluan" in str(refused.value.message)
    assert copy.fields.filter(key="keperluan").exists()
    with pytest.raises(CatalogError):  # a stale page (the source published again) decides nothing
        service_upstream_apply(
            actor=Actor(user=personas.outsider_admin), service=copy, accepted=set(), expected_version=1
        )
    service_upstream_apply(
        actor=Actor(user=personas.outsider_admin),
        service=copy,
        accepted=set(),
        expected_version=source.current_version.number,
    )
    assert copy.fields.filter(key="keperluan").exists()  # declined


def test_a_service_from_scratch_is_a_draft_then_published(personas):
    client = personas.client("admin")
    region = personas.a.region
    base = {
        "slug": "izin-keramaian",
        "name": "Izin Keramaian",
        "summary": "Izin untuk acara",
        "category": "perizinan",
        "owner_agency": personas.a.dinas.pk,
        "fee_rupiah": "0",
        "sla_working_days": "3",
        "std_requirements": "KTP",
    }
    bad = client.post(f"/{region.slug}/kantor/layanan/baru/", base | {"slug": personas.service.slug})
    assert bad.status_code == 400 and "Izin untuk acara" in bad.text
    ok = client.post(f"/{region.slug}/kantor/layanan/baru/", base)
    assert ok.status_code == 302
    service = Service.objects.get(region=region, slug="izin-keramaian")
    assert not service.is_published and service.current_version is None
    refused = client.post(f"/{region.slug}/kantor/layanan/izin-keramaian/", {"what": "publish"}, follow=True)
    assert refused.status_code == 200 and not Service.objects.get(pk=service.pk).is_published
    WorkflowStep.objects.create(service=service, order=1, name="Verifikasi", routing="fixed", agency=personas.a.dinas)
    client.post(f"/{region.slug}/kantor/layanan/izin-keramaian/", {"what": "publish"})
    service.refresh_from_db()
    assert service.is_published and service.current_version.number == 1
    assert personas.client(None).get(f"/{region.slug}/layanan/izin-keramaian/").status_code == 200
    assert personas.client("dinas_officer").get(f"/{region.slug}/kantor/layanan/baru/").status_code == 404


def test_the_source_page_shows_who_adopted_it(personas, source):
    copy = _adopted(personas, source)
    page = personas.client(None).get(f"/{personas.a.region.slug}/layanan/{source.slug}/")
    assert personas.b.region.name in page.text and f"/{personas.b.region.slug}/layanan/{copy.slug}/" in page.text


def test_the_api_gives_versions_and_lineage(personas, source):
    copy = _adopted(personas, source)
    client = personas.client(None)
    body = client.get(f"/api/v1/regions/{personas.a.region.slug}/services/{source.slug}/versions").json()
    assert body["current_version"] == 2 and [v["number"] for v in body["versions"]] == [2, 1]
    assert body["adopted_by"] == [f"{personas.b.region.slug}/{copy.slug}"] and body["adopted_from"] is None
    theirs = client.get(f"/api/v1/regions/{personas.b.region.slug}/services/{copy.slug}/versions").json()
    assert theirs["adopted_from"] == f"{personas.a.region.slug}/{source.slug}" and theirs["adopted_version"] == 2
    assert theirs["versions"][0]["based_on"] == f"{personas.a.region.slug}/{source.slug}@2"
    missing = client.get(f"/api/v1/regions/{personas.b.region.slug}/services/nope/versions")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_compare_page_matches_services_by_lineage(personas, source):
    copy = _adopted(personas, source)
    page = personas.client(None).get("/bandingkan/")
    assert page.status_code == 200
    row = next(r for r in page.text.split("</tr>") if f'<th scope="row">{source.name}</th>' in r)
    assert f"/{personas.a.region.slug}/layanan/{source.slug}/" in row
    assert f"/{personas.b.region.slug}/layanan/{copy.slug}/" in row  # the adoption sits on its source's row
    focus = personas.client(None).get(f"/bandingkan/?wilayah={personas.b.region.slug}")
    assert focus.status_code == 200 and personas.b.region.name in focus.text


@pytest.mark.parametrize("page", ["kantor/layanan/baru/", "kantor/layanan/adopsi/", "kantor/layanan/{slug}/hulu/"])
def test_the_new_catalog_pages_are_for_the_regions_admin_only(personas, page):
    url = f"/{personas.a.region.slug}/" + page.format(slug=personas.service.slug)
    for who in ("outsider_admin", "dinas_officer", "supervisor", "citizen", "outsider"):
        assert personas.client(who).get(url).status_code == 404, who
        assert personas.client(who).post(url, {"slug": "x"}).status_code == 404, who
    assert personas.client("admin").get(url).status_code in (200, 302)  # hulu: nothing new, back to the service


def test_adopting_another_regions_unpublished_service_is_404(personas):
    draft = personas.service
    Service.objects.filter(pk=draft.pk).update(is_published=False)
    url = f"/{personas.b.region.slug}/kantor/layanan/adopsi/{draft.pk}/"
    assert personas.client("outsider_admin").get(url).status_code == 404


def test_upstream_changes_decided_twice_or_from_a_forged_page_are_refused_not_a_500(personas, source):
    copy = _adopted(personas, source)
    admin_a = Actor(user=personas.admin)
    service_update(actor=admin_a, service=source, data={"sla_working_days": 2})
    service_publish(actor=admin_a, service=source)
    source.refresh_from_db()
    client = personas.client("outsider_admin")
    page = f"/{personas.b.region.slug}/kantor/layanan/sk/hulu/"
    for forged in ("abc", "", "99999999999999999999"):
        answer = client.post(page, {"version": forged, "accept": ["scalar:sla_working_days"]})
        assert answer.status_code == 200 and "scalar:sla_working_days" in answer.text  # the comparison, again
    copy.refresh_from_db()
    assert copy.sla_working_days != 2
    stale_copy = Service.objects.get(pk=copy.pk)  # a second tab, opened before the first decided
    number = source.current_version.number
    service_upstream_apply(
        actor=Actor(user=personas.outsider_admin), service=copy, accepted=set(), expected_version=number
    )
    with pytest.raises(CatalogError):
        service_upstream_apply(
            actor=Actor(user=personas.outsider_admin),
            service=stale_copy,
            accepted={"scalar:sla_working_days"},
            expected_version=number,
        )
    assert AuditEntry.objects.filter(action="service.upstream_apply", object_id=str(copy.pk)).count() == 1


def test_a_version_published_by_someone_else_in_the_same_moment_is_a_refusal(personas, source, monkeypatch):
    real = lineage.snapshot

    def snapshot_while_another_publishes(service):
        taken = service.versions.order_by("-number").first()
        type(taken).objects.create(service=service, number=taken.number + 1, snapshot=real(service))
        return real(service)

    monkeypatch.setattr(lineage, "snapshot", snapshot_while_another_publishes)
    with pytest.raises(CatalogError) as refused:
        service_publish(actor=Actor(user=personas.admin), service=source)
    assert refused.value.code == "published_meanwhile"

"""The innovation library, adoption with lineage, the IID self-score, the roadmap pages and the solve API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.innovation import selectors, services
from gerai.innovation.iid import Entry, iid_model, iid_score, predicate_of
from gerai.innovation.models import Evidence, Innovation, RoadmapPlan
from tests.conftest import PDF, PNG

pytestmark = pytest.mark.django_db

PLANNER = "perencana@seruyan.demo"


@pytest.fixture
def planner(seruyan):
    from gerai.accounts.models import User

    return User.objects.get(login=PLANNER)


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def bwi(name: str) -> Innovation:
    return Innovation.objects.get(region__slug="banyuwangi", name=name)


# ---- the IID score ---------------------------------------------------------------------------------------------


def test_iid_worked_example():
    """By hand: SPD = regulasi 2×3 + anggaran 2×2 + IKM 90 (mutu A → 3) 2×3 = 16. Innovation A: regulasi 3×3,
    video 3×2, digital (IT 2×3, online 2×3), replicated twice (3×2) = 33; B: kemanfaatan 3×1 = 3. SID = 36 ÷ max(10, 2)
    + 0.38 × 2 = 4.36. IID = (16 + 4.36) ÷ 250 × 100 = 8.144: Kurang Inovatif."""
    model = iid_model(2023)
    score = iid_score(
        model,
        region_levels={"spd_regulasi": 3, "spd_anggaran": 2},
        entries=[
            Entry("A", {"sid_regulasi": 3, "sid_video": 2}, is_digital=True, replications=2),
            Entry("B", {"sid_kemanfaatan": 1}),
        ],
        live={"ikm": 90.0},
    )
    assert score.spd == 16
    assert [total for _e, total, _r in score.innovations] == [33, 3]
    assert score.divisor == 10
    assert score.sid == pytest.approx(4.36)
    assert score.iid == pytest.approx(8.144)
    assert score.predicate == "Kurang Inovatif"
    assert ("B", "Regulasi inovasi") in score.missing_mandatory


def test_iid_model_is_data_with_the_2023_shares():
    model = iid_model(2023)
    spd = sum(i.weight * 3 for i in model.of("spd"))
    sid_one = sum(i.weight * 3 for i in model.of("sid"))
    assert (len(model.of("spd")), len(model.of("sid"))) == (15, 20)
    assert spd / model.max_total == pytest.approx(0.252)
    assert (sid_one + model.per_innovation * model.count_cap) / model.max_total == pytest.approx(0.748)
    assert iid_model(2031).year == 2023  # in force until the next model's file


@pytest.mark.parametrize(
    ("iid", "name"),
    [(100, "Sangat Inovatif"), (60.01, "Sangat Inovatif"), (60.0, "Inovatif"), (35.0, "Inovatif")]
    + [(34.99, "Kurang Inovatif"), (0.01, "Kurang Inovatif"), (0, "Tidak Dapat Dinilai")],
)
def test_iid_predicates(iid, name):
    assert predicate_of(iid_model(2023), iid) == name


def test_banyuwangi_demo_score_counts_evidence_and_replication(banyuwangi):
    score = selectors.iid_for(banyuwangi, 2026, live={"ikm": None})
    assert score.spd == 6  # the Perbup, regulasi 2 × 3
    by_name = {entry.name: total for entry, total, _rows in score.innovations}
    assert by_name["Smart Kampung"] == 33  # regulasi 9 + video 9 + IT 6 + online 6 + replicated by Seruyan 3
    assert by_name["Banyuwangi Festival"] == 0
    assert score.iid == pytest.approx((6 + 75 / 10 + 0.38 * 7) / 250 * 100)


# ---- the library -------------------------------------------------------------------------------------------------


def test_public_library_search_and_filters(client):
    page = client.get("/banyuwangi/inovasi/?q=kampung")
    assert page.status_code == 200
    assert "Smart Kampung" in page.text and "Mal Pelayanan Publik" not in page.text
    digital = client.get("/banyuwangi/inovasi/?digital=0")
    assert "Mal Pelayanan Publik" in digital.text and "Smart Kampung" not in digital.text
    assert client.get("/banyuwangi/inovasi/?bentuk=urusan_lain").text.count("card-title") == 2
    detail = client.get(f"/banyuwangi/inovasi/{bwi('Smart Kampung').code}/")
    assert "Ilustrasi demo" in detail.text and "Seruyan" in detail.text  # cost source, and who adopted it


def test_platform_wide_library_lists_every_region(client):
    page = client.get(reverse("innovation_all") + "?q=festival")
    assert page.status_code == 200 and "Banyuwangi Festival" in page.text


def test_candidates_are_never_public(client, seruyan):
    candidate = Innovation.objects.filter(region=seruyan, kind=Innovation.Kind.CANDIDATE).first()
    assert client.get(f"/seruyan/inovasi/{candidate.code}/").status_code == 404
    assert not selectors.innovations_public(seruyan).exists()


def test_module_off_means_no_library(client, banyuwangi):
    banyuwangi.modules = [m for m in banyuwangi.modules if m != "inovasi"]
    banyuwangi.save()
    assert client.get("/banyuwangi/inovasi/").status_code == 404


# ---- the office ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("seruyan_planner", 200), ("seruyan_admin", 200), ("seruyan_officer", 404), ("bwi_admin", 404), (None, 302)],
)
def test_office_pages_are_for_planners_and_admins_of_the_region(client, people, planner, who, status):
    from gerai.accounts.models import User

    logins = {
        "seruyan_planner": PLANNER,
        "seruyan_admin": "admin@seruyan.demo",
        "seruyan_officer": "capil@seruyan.demo",
        "bwi_admin": "admin@banyuwangi.demo",
    }
    if who:
        client.force_login(User.objects.get(login=logins[who]))
    for url in ("kantor/inovasi/", "kantor/inovasi/rencana/", "kantor/inovasi/adopsi/", "kantor/inovasi/skor/"):
        assert client.get(f"/seruyan/{url}").status_code == status, url


def test_adopt_puts_it_among_candidates_with_lineage(planner_client, seruyan):
    source = bwi("Banyuwangi Festival")
    response = planner_client.post("/seruyan/kantor/inovasi/adopsi/", {"code": source.code})
    assert response.status_code == 302
    candidate = Innovation.objects.get(region=seruyan, adopted_from=source)
    assert candidate.kind == Innovation.Kind.CANDIDATE and not candidate.is_published
    assert candidate.capex_rupiah == source.capex_rupiah and "Banyuwangi" in candidate.cost_source
    assert AuditEntry.objects.filter(action="innovation.adopt", object_id=str(candidate.pk)).exists()
    again = planner_client.post("/seruyan/kantor/inovasi/adopsi/", {"code": source.code}, follow=True)
    assert "already has this innovation" in again.text or "sudah" in again.text
    assert Innovation.objects.filter(region=seruyan, adopted_from=source).count() == 1


def test_adopting_keeps_prerequisites_among_adopted(planner_client, seruyan):
    for name in ("Banyuwangi Melayani", "Lapor Camat"):
        planner_client.post("/seruyan/kantor/inovasi/adopsi/", {"code": bwi(name).code})
    lapor = Innovation.objects.get(region=seruyan, adopted_from=bwi("Lapor Camat"))
    assert [p.adopted_from.name for p in lapor.prerequisites.all()] == ["Banyuwangi Melayani"]


def test_adopted_candidate_offers_the_catalogs_adoption_page(planner_client, seruyan):
    candidate = Innovation.objects.get(region=seruyan, adopted_from=bwi("Smart Kampung"))
    page = planner_client.get(f"/seruyan/kantor/inovasi/{candidate.code}/")
    assert reverse("catalog:admin_copy", args=["seruyan"]) in page.text


def test_evidence_must_be_a_document(planner_client, seruyan):
    candidate = Innovation.objects.filter(region=seruyan).first()
    url = f"/seruyan/kantor/inovasi/{candidate.code}/"
    form = {"what": "evidence", "indicator": "sid_regulasi", "level": "3", "title": "Perbup"}
    refused = planner_client.post(url, form | {"file": SimpleUploadedFile("perbup.pdf", PNG)})
    assert refused.status_code == 200 and not Evidence.objects.filter(innovation=candidate).exists()
    assert "perbup.pdf" in refused.text  # the reason, beside the field
    image = planner_client.post(url, form | {"file": SimpleUploadedFile("foto.png", PNG)})
    assert image.status_code == 200 and not Evidence.objects.filter(innovation=candidate).exists()
    ok = planner_client.post(url, form | {"file": SimpleUploadedFile("perbup.pdf", PDF)})
    assert ok.status_code == 302
    evidence = Evidence.objects.get(innovation=candidate)
    assert evidence.content_type == "application/pdf" and evidence.level == 3
    download = planner_client.get(f"/seruyan/kantor/inovasi/bukti/{evidence.code}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # never rendered as a page of the site, never kept by a cache
    assert download["Content-Disposition"] == f'attachment; filename="bukti-{evidence.code}.pdf"'
    assert "sandbox" in download["Content-Security-Policy"].split(";")[-1]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["js", "open", "launch", "attach"])
def test_evidence_pdf_with_active_content_is_refused(planner_client, seruyan, kind):
    from tests.conftest import active_pdf

    candidate = Innovation.objects.filter(region=seruyan).first()
    url = f"/seruyan/kantor/inovasi/{candidate.code}/"
    form = {"what": "evidence", "indicator": "sid_regulasi", "level": "3", "title": "Perbup"}
    refused = planner_client.post(url, form | {"file": SimpleUploadedFile("perbup.pdf", active_pdf(kind))})
    assert refused.status_code == 200 and not Evidence.objects.filter(innovation=candidate).exists()
    assert "perbup.pdf" in refused.text and "Cetak ulang menjadi PDF baru" in refused.text


def test_cost_in_text_gets_a_clear_message(planner_client):
    page = planner_client.post(
        "/seruyan/kantor/inovasi/baru/",
        {"what": "save", "name": "Uji", "form": "pelayanan_publik", "stage": "inisiatif", "capex_rupiah": "1,5 M"},
    )
    assert page.status_code == 200
    assert "1.500.000.000" in page.text and 'value="1,5 M"' in page.text


def test_cost_needs_its_source(planner_client, seruyan):
    page = planner_client.post(
        "/seruyan/kantor/inovasi/baru/",
        {"what": "save", "name": "Uji", "form": "pelayanan_publik", "stage": "inisiatif", "capex_rupiah": "1.000.000"},
    )
    assert page.status_code == 200 and not Innovation.objects.filter(region=seruyan, name="Uji").exists()


# ---- the roadmap pages ----------------------------------------------------------------------------------------


def solve(client, budget, *, title=""):
    data = {"years": ["2027", "2028", "2029"], "title": title}
    data |= {f"budget_{year}": value for year, value in budget.items()}
    data |= {f"weight_{g}": "2" for g in ("ikm", "spbe", "poverty", "pad", "health", "economy")}
    return client.post("/seruyan/kantor/inovasi/rencana/", data)


def test_solve_saves_versions_and_compares_them(planner_client, seruyan):
    before = RoadmapPlan.objects.filter(region=seruyan).count()
    first = solve(planner_client, {2027: "2.000.000.000", 2028: "3.000.000.000", 2029: "3.000.000.000"})
    assert first.status_code == 302
    second = solve(planner_client, {2027: "2.000.000.000", 2028: "2.100.000.000", 2029: "3.000.000.000"})
    plans = list(RoadmapPlan.objects.filter(region=seruyan).order_by("version"))
    assert len(plans) == before + 2 and plans[-1].version == plans[-2].version + 1
    a, b = plans[-2], plans[-1]
    assert a.result["status"] == "optimal" and b.result["objective"] <= a.result["objective"]
    page = planner_client.get(second.url)
    assert 'data-chart="bar"' in page.text and "data-series" in page.text
    compare = planner_client.get(f"/seruyan/kantor/inovasi/rencana/banding/?a={a.code}&b={b.code}")
    assert compare.status_code == 200 and compare.text.count('data-plan-status="optimal"') == 2


def test_infeasible_plan_names_the_conflict(planner_client, seruyan):
    mpp = Innovation.objects.get(region=seruyan, adopted_from__name="Mal Pelayanan Publik")
    services.innovation_update(actor=Actor.system(), innovation=mpp, data={"must": True})
    response = solve(planner_client, {2027: "100", 2028: "100", 2029: "100"})
    page = planner_client.get(response.url)
    assert 'data-plan-status="infeasible"' in page.text
    assert "Mal Pelayanan Publik" in page.text and "2029" in page.text


def test_missing_budget_line_is_refused_beside_the_field(planner_client):
    page = solve(planner_client, {2027: "1000", 2028: "", 2029: "1000"})
    assert page.status_code == 200 and "err-budget_2028" in page.text


def test_exports(planner_client, seruyan):
    plan = RoadmapPlan.objects.filter(region=seruyan).first()
    pdf = planner_client.get(f"/seruyan/kantor/inovasi/rencana/{plan.code}/unduh.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = planner_client.get(f"/seruyan/kantor/inovasi/rencana/{plan.code}/unduh.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert [row[0] for row in book.worksheets[0].iter_rows(min_row=2, max_row=4, values_only=True)] == [
        2027,
        2028,
        2029,
    ]


def test_another_regions_plan_is_404(client, people, seruyan):
    from gerai.accounts.models import User

    plan = RoadmapPlan.objects.filter(region=seruyan).first()
    client.force_login(User.objects.get(login="admin@banyuwangi.demo"))
    assert client.get(f"/banyuwangi/kantor/inovasi/rencana/{plan.code}/").status_code == 404


# ---- the API --------------------------------------------------------------------------------------------------

BODY = {
    "years": [2027, 2028, 2029],
    "budget": {"2027": 100, "2028": 100, "2029": 100},
    "items": [
        {"id": "a", "value": 10, "capex": 80, "opex": 10},
        {"id": "b", "value": 5, "capex": 30, "opex": 5, "requires": ["a"]},
        {"id": "c", "value": 7, "capex": 90, "opex": 0, "excludes": ["a"]},
    ],
}


def post(client, body):
    return client.post("/api/v1/planner/solve", body, content_type="application/json")


def test_api_solves_without_an_account_and_stores_nothing(client):
    before = RoadmapPlan.objects.count()
    response = post(client, BODY)
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "optimal" and answer["objective"] == 40
    assert answer["plan"] == [{"id": "a", "year": 2027}, {"id": "b", "year": 2028}]
    assert answer["spend"] == {"2027": 90, "2028": 45, "2029": 15}
    assert RoadmapPlan.objects.count() == before


def test_api_infeasible_lists_conflicts(client):
    body = BODY | {"items": [{"id": "a", "value": 1, "capex": 500, "opex": 0, "must": True}]}
    answer = post(client, body).json()
    assert answer["status"] == "infeasible"
    assert {"kind": "must", "id": "a"} in answer["conflicts"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"items": [{"id": "a", "value": 1, "capex": 1, "opex": 0, "requires": ["x"]}]}, "items[0].requires"),
        ({"budget": {"2027": 1, "2028": 1}}, "budget.2029"),
        ({"years": [1990, 1991, 1992]}, "years[0]"),
        (
            {
                "items": [
                    {"id": "a", "value": 1, "capex": 1, "opex": 0, "requires": ["b"]},
                    {"id": "b", "value": 1, "capex": 1, "opex": 0, "requires": ["a"]},
                ]
            },
            "items[0].requires",
        ),
        ({"items": [{"id": f"i{k}", "value": 1, "capex": 1, "opex": 0} for k in range(501)]}, "items"),
    ],
)
def test_api_bad_input_is_422_saying_what_is_wrong(client, change, where):
    response = post(client, BODY | change)
    assert response.status_code == 422
    error = response.json()["error"]
    assert where in error["details"] and error["message"]


def test_api_negative_number_is_422(client):
    response = post(client, BODY | {"items": [{"id": "a", "value": 1, "capex": -5, "opex": 0}]})
    assert response.status_code == 422
    assert "items[0].capex" in response.json()["error"]["details"]


def test_api_is_rate_limited(client, settings):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"planner": (2, 60)}
    assert [post(client, BODY).status_code for _ in range(3)] == [200, 200, 429]


def test_the_planners_throttle_counts_across_processes(client, planner_client, planner, settings):
    """The count lives in the shared cache (the database's or Redis), not in the process: a solve counted by
    another server process counts here, and forgetting this process's memory frees nothing."""
    from django.core.cache import cache

    from gerai.core.throttle import throttle_allow, throttle_reset_local

    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"planner": (2, 60)}
    assert throttle_allow("planner", "127.0.0.1")  # another process served this address once
    assert post(client, BODY).status_code == 200
    throttle_reset_local()  # a fresh process, as far as in-process counting goes
    answer = post(client, BODY)
    assert answer.status_code == 429 and answer.json()["error"]["code"] == "throttled"
    cache.clear()
    assert post(client, BODY).status_code == 200
    # the pages' solves (20 s each at most) are limited per person, in the same shared cache
    assert throttle_allow("planner", f"page|{planner.pk}") and throttle_allow("planner", f"page|{planner.pk}")
    before = RoadmapPlan.objects.count()
    refused = solve(planner_client, {2027: "2.000.000.000", 2028: "3.000.000.000", 2029: "3.000.000.000"})
    assert refused.status_code == 429 and "Tunggu satu menit" in refused.content.decode()
    assert RoadmapPlan.objects.count() == before


def test_library_is_an_open_dataset(client):
    csv = client.get("/banyuwangi/data/inovasi.csv")
    assert csv.status_code == 200
    text = csv.content.decode()
    assert "perkiraan_biaya_awal_rupiah" in text and "Smart Kampung" in text
    assert client.get("/seruyan/data/inovasi.csv").status_code == 404  # candidates only: nothing published


def test_library_pages_read_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/inovasi/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/banyuwangi/inovasi/").status_code == 200


def test_a_solve_stopped_before_any_plan_stores_no_infinity(monkeypatch):
    import json
    import math

    from gerai.innovation import solving
    from gerai.innovation.planner import Result

    monkeypatch.setattr(solving, "plan_solve", lambda problem, time_limit: Result(status="time_limit", gap=math.inf))
    answer = solving.solve_body(BODY)
    assert answer["status"] == "time_limit" and answer["gap"] is None
    json.dumps(answer, allow_nan=False)


def test_office_pages_are_gone_when_the_module_is_off(planner_client, seruyan):
    seruyan.modules = [m for m in seruyan.modules if m != "inovasi"]
    seruyan.save()
    assert planner_client.get("/seruyan/kantor/inovasi/rencana/").status_code == 404


def test_a_region_adopts_an_innovation_once_even_racing(seruyan):
    from django.db import IntegrityError, transaction

    source = bwi("Smart Kampung")
    with pytest.raises(IntegrityError), transaction.atomic():
        Innovation.objects.create(region=seruyan, kind="candidate", name="x", form="tata_kelola", adopted_from=source)


def test_the_year_is_the_regions_not_utcs(client, planner, seruyan, monkeypatch):
    """At 03:00 WIB on 1 January 2027 it is still 2026 in UTC: every page, the score, the live figures, new
    evidence and the planner's horizon use the region's 2027."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from gerai.innovation import forms, views

    seen: list = []
    real_dashboard = selectors.dashboard
    monkeypatch.setattr(
        selectors, "dashboard", lambda scope: seen.append(("dashboard", scope.year)) or real_dashboard(scope)
    )
    for module in (views, services, forms, selectors):
        real = module.iid_model
        monkeypatch.setattr(module, "iid_model", lambda y, real=real, n=module.__name__: seen.append((n, y)) or real(y))
    RoadmapPlan.objects.filter(region=seruyan).delete()  # the horizon's default then starts next year
    candidate = Innovation.objects.filter(region=seruyan).first()
    url = f"/seruyan/kantor/inovasi/{candidate.code}/"
    form = {"what": "evidence", "indicator": "sid_regulasi", "level": "3", "title": "Perbup"}
    with time_machine.travel(dt.datetime(2027, 1, 1, 3, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        planner_client = client
        planner_client.force_login(planner)  # signed in then, not a month before
        assert planner_client.get("/seruyan/kantor/inovasi/skor/").status_code == 200
        assert planner_client.get(url).status_code == 200
        assert planner_client.post(url, form | {"file": SimpleUploadedFile("perbup.pdf", PDF)}).status_code == 302
        planner = planner_client.get("/seruyan/kantor/inovasi/rencana/").text
        assert selectors.live_figures(seruyan) is not None
    assert seen and all(year == 2027 for _where, year in seen), seen
    assert {where for where, _year in seen} >= {"dashboard", "gerai.innovation.views", "gerai.innovation.services"}
    assert 'name="mulai" value="2028"' in planner


# ---- the IID's scale beside the figure -------------------------------------------------------------------------


def test_the_iid_is_shown_with_its_scale_and_the_models_predicates(planner_client, client):
    """Next to the figure: score 0–100 and the predicate bands exactly as the model year's file has them."""
    import json

    from gerai.innovation.iid import DATA

    raw = json.loads((DATA / "iid-2023.json").read_text(encoding="utf-8"))["predicates"]
    assert [(p["min"], p["name"]) for p in raw] == [
        (60.01, "Sangat Inovatif"),
        (35.0, "Inovatif"),
        (0.01, "Kurang Inovatif"),
        (0, "Tidak Dapat Dinilai"),
    ]
    scale = (
        "skor 0–100; Sangat Inovatif ≥ 60,01; Inovatif ≥ 35,00; Kurang Inovatif ≥ 0,01; selain itu Tidak Dapat Dinilai"
    )
    score_page = planner_client.get("/seruyan/kantor/inovasi/skor/").content.decode()
    assert scale in _text(score_page)
    public = client.get("/banyuwangi/kinerja/").content.decode()  # the IID row, from data
    assert scale in _text(public)
    assert scale in _text(client.get("/kinerja/").content.decode())
    client.cookies["gerai_lang"] = "en"
    english = client.get("/banyuwangi/kinerja/").content.decode()
    assert 'score 0–100; <span lang="id">Sangat Inovatif</span> ≥ 60.01' in english


def _text(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))

"""Governance indices (gerai/governance, docs/governance.md): the index arithmetic against worked examples
(a full 47-indicator SPBE sheet and LKE sheets at the predicate and grade boundaries), bad input, the
workflow draft → review → locked with reopening, live-data proposals, and who may see what."""

import copy
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerai.accounts.models import StaffRole, User
from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.governance import services, sources
from gerai.governance.frameworks import DATA, FrameworkInvalid, framework_from_dict, frameworks
from gerai.governance.models import Answer, Assessment, PerformanceIndicator
from gerai.governance.policy import Act
from gerai.governance.scoring import achievement, result
from gerai.governance.services import GovernanceError
from gerai.governance.sources import Figure
from gerai.innovation.selectors import iid_for
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

SPBE = frameworks()["spbe-2020"]
LKE = frameworks()["lke-2021"]
SYSTEM = Actor.system()


def D(x) -> Decimal:
    return Decimal(str(x))


# --- the models as data ------------------------------------------------------------------------------------


def test_spbe_2020_model_is_complete_with_the_permen_weights():
    assert len(SPBE.domains) == 4
    assert sum(len(d.aspects) for d in SPBE.domains) == 8
    assert len(SPBE.indicators) == 47
    assert [d.weight for d in SPBE.domains] == [D(13), D(25), D("16.5"), D("45.5")]
    assert [a.weight for d in SPBE.domains for a in d.aspects] == [D(x) for x in (13, 10, 10, 5, 12, "4.5", "27.5", 18)]
    per_indicator = {i.code: i.weight for i in SPBE.indicators}
    assert per_indicator["1"] == D("1.3") and per_indicator["14"] == D("2.5") and per_indicator["28"] == D("1.5")
    assert per_indicator["41"] == D("2.75") and per_indicator["47"] == D(3)
    assert sum(per_indicator.values()) == 100
    assert [lv.name for lv in SPBE.levels][1:] == [
        "Rintisan",
        "Terkelola",
        "Terdefinisi",
        "Terpadu dan Terukur",
        "Optimum",
    ]


def test_pemdi_ships_as_far_as_known_and_cannot_be_assessed(banyuwangi):
    pemdi = frameworks()["pemdi-2025"]
    assert not pemdi.complete and pemdi.indicators == []
    assert sum(a.weight for d in pemdi.domains for a in d.aspects) == 100
    with pytest.raises(GovernanceError) as exc:
        services.assessment_start(actor=SYSTEM, region=banyuwangi, framework_code="pemdi-2025", year=2026)
    assert exc.value.code == "incomplete_model"


def test_a_model_whose_weights_do_not_add_up_is_refused():
    raw = json.loads((DATA / "spbe-2020.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["domains"][3]["aspects"][1]["indicators"][0]["weight"] = "2"  # indicator 42: 3 % → 2 %
    with pytest.raises(FrameworkInvalid, match="aspect A8: the parts weigh 17 %, not 18 %"):
        framework_from_dict(broken)
    broken = copy.deepcopy(raw)
    broken["domains"][0]["weight"] = "14"
    broken["domains"][0]["aspects"][0]["weight"] = "14"
    broken["domains"][0]["aspects"][0]["indicators"][0]["weight"] = "2.3"
    with pytest.raises(FrameworkInvalid, match="the parts weigh 101 %, not 100 %"):
        framework_from_dict(broken)


# --- the arithmetic ------------------------------------------------------------------------------------------


def _levels(**ranges) -> dict[str, Decimal]:
    """{"1-10": 3, ...} as {indicator: level}."""
    out = {}
    for key, level in ranges.items():
        first, last = key.lstrip("i").split("_")
        out |= {str(n): D(level) for n in range(int(first), int(last) + 1)}
    return out


def test_full_spbe_sheet_worked_example():
    # 1–10 at 3, 11–20 at 4, 21–31 at 2, 32–41 at 3, 42–47 at 5:
    # Σ level × weight = 10×1.3×3 + 10×2.5×4 + 11×1.5×2 + 10×2.75×3 + 6×3×5 = 39 + 100 + 33 + 82.5 + 90 = 344.5
    values = _levels(i1_10=3, i11_20=4, i21_31=2, i32_41=3, i42_47=5)
    sheet = result(SPBE, values)
    assert sheet.overall.value == D("3.45")  # 3.445, rounded half up
    assert sheet.overall.band.name == "Baik"
    assert sheet.overall.answered == 47
    assert {k: s.value for k, s in sheet.domains.items()} == {
        "D1": D("3.00"),
        "D2": D("4.00"),
        "D3": D("2.00"),
        "D4": D("3.79"),  # (82.5 + 90) / 45.5 = 3.7912
    }
    assert sheet.aspects["A7"].value == D("3.00") and sheet.aspects["A8"].value == D("5.00")
    assert sheet.domains["D4"].band.name == "Sangat Baik"


def test_unanswered_indicators_count_as_zero():
    sheet = result(SPBE, {"42": D(5)})  # 3 % × 5 = 0.15
    assert sheet.overall.value == D("0.15") and sheet.overall.answered == 1 and sheet.overall.band.name == "Kurang"


@pytest.mark.parametrize(
    ("changes", "index", "predicate"),
    [
        # all at 4, with 20 % of the weight one level higher: A1 (13) + 11 (2.5) + 21 (1.5) + 42 (3)
        ({**_levels(i1_10=5), "11": 5, "21": 5, "42": 5}, "4.20", "Memuaskan"),
        ({**_levels(i1_10=5), "11": 5, "21": 5}, "4.17", "Sangat Baik"),
        ({}, "4.00", "Sangat Baik"),
    ],
)
def test_spbe_predicate_boundary_at_4_2(changes, index, predicate):
    values = _levels(i1_47=4) | {k: D(v) for k, v in changes.items()}
    overall = result(SPBE, values).overall
    assert (overall.value, overall.band.name) == (D(index), predicate)


def test_spbe_predicate_boundary_at_3_5_after_rounding():
    base = _levels(i1_47=3) | _levels(i29_31=4, i32_47=4)  # A6 (4.5) + D4 (45.5) = 50 % one level up
    assert result(SPBE, base).overall.value == D("3.50")
    assert result(SPBE, base).overall.band.name == "Sangat Baik"
    lower = base | {"1": D(2)}  # 3.50 − 0.013 = 3.487 → 3.49
    assert (result(SPBE, lower).overall.value, result(SPBE, lower).overall.band.name) == (D("3.49"), "Baik")


@pytest.mark.parametrize(
    ("pct", "score", "grade"),
    [
        ("100", "100.00", "AA"),
        ("90", "90.00", "A"),  # > 90 is AA: exactly 90 is A
        ("80", "80.00", "BB"),
        ("70", "70.00", "B"),
        ("60", "60.00", "CC"),
        ("50", "50.00", "C"),
        ("30.5", "30.50", "C"),
        ("30", "30.00", "D"),
        ("0", "0.00", "D"),
    ],
)
def test_lke_grades_at_their_boundaries(pct, score, grade):
    overall = result(LKE, {i.code: D(pct) for i in LKE.indicators}).overall
    assert (overall.value, overall.band.name) == (D(score), grade)


def test_lke_worked_sheet():
    # Perencanaan 30 (6/9/15), Pengukuran 30, Pelaporan 15 (3/4.5/7.5), Evaluasi 25 (5/7.5/12.5)
    values = {
        "K1a": D(100), "K1b": D(90), "K1c": D(80),  # 6 + 8.1 + 12 = 26.1
        "K2a": D(100), "K2b": D(80), "K2c": D(70),  # 6 + 7.2 + 10.5 = 23.7
        "K3a": D(100), "K3b": D(100), "K3c": D(90),  # 3 + 4.5 + 6.75 = 14.25
        "K4a": D(100), "K4b": D(80), "K4c": D(60),  # 5 + 6 + 7.5 = 18.5
    }  # fmt: skip
    sheet = result(LKE, values)
    assert {k: s.points for k, s in sheet.domains.items()} == {
        "K1": D("26.10"),
        "K2": D("23.70"),
        "K3": D("14.25"),
        "K4": D("18.50"),
    }
    assert sheet.overall.value == D("82.55") and sheet.overall.band.name == "A"
    assert sheet.overall.band.label == "Memuaskan"
    just_above = values | {"K1c": D("80.07"), "K1a": D(100)}  # + 15 × 0.07 % = 0.0105
    assert result(LKE, {k: D(90) for k in values} | {"K1c": D("90.07")}).overall.band.name == "AA"
    assert result(LKE, just_above).overall.value == D("82.56")


def test_iku_achievement_both_directions():
    assert achievement(D(80), D(72), higher_is_better=True) == D("90.00")
    assert achievement(D(10), D(8), higher_is_better=False) == D("120.00")
    assert achievement(D(10), D(10), higher_is_better=False) == D("100.00")
    assert achievement(None, D(8), higher_is_better=True) is None
    assert achievement(D(0), D(8), higher_is_better=True) is None


# --- services: bad input and the workflow ----------------------------------------------------------------------


def _user(login):
    return User.objects.get(login=login)


@pytest.fixture
def seruyan_sheet(seruyan):
    return services.assessment_start(actor=SYSTEM, region=seruyan, framework_code="spbe-2020", year=2026)


@pytest.mark.parametrize("level", ["6", "-1", "2.5", "tiga", "NaN"])
def test_a_level_outside_0_to_5_is_refused(seruyan_sheet, level):
    with pytest.raises(GovernanceError) as exc:
        services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator="1", value=level, justification="x")
    assert exc.value.field == "value"
    assert not Answer.objects.filter(assessment=seruyan_sheet).exists()


def test_lke_value_is_a_percentage(seruyan):
    sheet = services.assessment_start(actor=SYSTEM, region=seruyan, framework_code="lke-2021", year=2025)
    services.answer_save(actor=SYSTEM, assessment=sheet, indicator="K1a", value="87,5", justification="")
    sheet.refresh_from_db()
    assert sheet.score == D("5.25")  # 6 × 87.5 % = 5.25 of 100
    with pytest.raises(GovernanceError):
        services.answer_save(actor=SYSTEM, assessment=sheet, indicator="K1a", value="101", justification="")


def test_unknown_indicator_and_second_sheet_of_a_year_are_refused(seruyan_sheet, seruyan):
    with pytest.raises(GovernanceError):
        services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator="48", value="3", justification="")
    with pytest.raises(GovernanceError) as exc:
        services.assessment_start(actor=SYSTEM, region=seruyan, framework_code="spbe-2020", year=2026)
    assert exc.value.code == "exists"


def test_workflow_and_locked_year(seruyan_sheet, seruyan):
    officer = Actor(_user("capil@seruyan.demo"))
    assessor = Actor(_user("penilai@seruyan.demo"))
    services.answer_save(actor=officer, assessment=seruyan_sheet, indicator="45", value="4", justification="Online")
    with pytest.raises(GovernanceError):  # agencies draft; only the assessor locks
        services.assessment_transition(actor=officer, assessment=seruyan_sheet, act=Act.LOCK)
    services.assessment_transition(actor=officer, assessment=seruyan_sheet, act=Act.SUBMIT)
    with pytest.raises(GovernanceError):  # in review, the agencies no longer edit
        services.answer_save(actor=officer, assessment=seruyan_sheet, indicator="45", value="5", justification="")
    services.assessment_transition(actor=assessor, assessment=seruyan_sheet, act=Act.LOCK)
    with pytest.raises(GovernanceError) as exc:
        services.answer_save(actor=assessor, assessment=seruyan_sheet, indicator="45", value="5", justification="")
    assert exc.value.code == "locked"
    with pytest.raises(GovernanceError) as exc:
        services.assessment_transition(actor=assessor, assessment=seruyan_sheet, act=Act.REOPEN, reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(GovernanceError):
        services.assessment_transition(actor=officer, assessment=seruyan_sheet, act=Act.REOPEN, reason="Salah")
    reopened = services.assessment_transition(
        actor=assessor, assessment=seruyan_sheet, act=Act.REOPEN, reason="Bukti indikator 45 belum lengkap"
    )
    assert reopened.status == Assessment.Status.DRAFT and reopened.reopen_reason.startswith("Bukti")
    actions = list(
        AuditEntry.objects.filter(region=seruyan, object_id=str(seruyan_sheet.pk), action__startswith="governance.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "governance.assessment_start",
        "governance.answer_save",
        "governance.assessment_submit",
        "governance.assessment_lock",
        "governance.assessment_reopen",
    ]
    assert (
        AuditEntry.objects.get(action="governance.assessment_reopen", object_id=str(seruyan_sheet.pk))
        .changes["reason"]
        .startswith("Bukti")
    )


def test_realisation_without_target_and_locked_iku_year(seruyan):
    agency = seruyan.agencies.get(slug="pupr")
    officer = Actor(_user("pupr@seruyan.demo"))
    with pytest.raises(GovernanceError) as exc:
        services.iku_save(
            actor=officer, region=seruyan, agency=agency, year=2025, name="Jalan mantap", realisation="70"
        )
    assert (exc.value.code, exc.value.field) == ("target_required", "target")
    iku = services.iku_save(
        actor=officer, region=seruyan, agency=agency, year=2025, name="Jalan mantap", target="80", realisation="72"
    )
    capil = seruyan.agencies.get(slug="dispendukcapil")
    with pytest.raises(GovernanceError):  # another agency's indicator
        services.iku_save(actor=officer, region=seruyan, agency=capil, year=2025, name="IKM", target="80")
    lke = services.assessment_start(actor=SYSTEM, region=seruyan, framework_code="lke-2021", year=2025)
    services.assessment_transition(actor=SYSTEM, assessment=lke, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=lke, act=Act.LOCK)
    with pytest.raises(GovernanceError) as exc:
        services.iku_save(
            actor=officer,
            region=seruyan,
            agency=agency,
            year=2025,
            name="Jalan mantap",
            target="80",
            realisation="75",
            iku=iku,
        )
    assert exc.value.code == "locked"
    iku.refresh_from_db()
    assert iku.realisation == D(72)


def test_evidence_must_be_a_document(seruyan_sheet, files):
    for bad, code in ((files["exe"]("bukti.exe"), "type_not_allowed"), (files["exe"]("bukti.pdf"), "content_mismatch")):
        with pytest.raises(GovernanceError) as exc:
            services.evidence_attach(actor=SYSTEM, assessment=seruyan_sheet, indicator="1", upload=bad)
        assert exc.value.field == "file", code
    evidence = services.evidence_attach(
        actor=SYSTEM, assessment=seruyan_sheet, indicator="1", upload=files["pdf"]("perbup.pdf")
    )
    assert evidence.content_type == "application/pdf" and evidence.name == "perbup.pdf"


@pytest.mark.parametrize("kind", ["js", "open", "launch", "attach"])
def test_evidence_pdf_with_active_content_is_refused(seruyan_sheet, kind):
    from tests.conftest import active_pdf, upload

    with pytest.raises(GovernanceError) as exc:
        services.evidence_attach(
            actor=SYSTEM, assessment=seruyan_sheet, indicator="1", upload=upload("sk.pdf", active_pdf(kind))
        )
    assert (exc.value.code, exc.value.field) == ("active_content", "file")
    assert "sk.pdf" in exc.value.message
    assert not Answer.objects.filter(assessment=seruyan_sheet, evidence__isnull=False).exists()


def test_proposal_accept_and_override(seruyan_sheet):
    figure = Figure("services_online", "Online", D("83.3"), "5 of 6 services", "2026", "/seruyan/layanan/")
    answer = services.proposal_decide(actor=SYSTEM, assessment=seruyan_sheet, indicator="45", figure=figure)
    assert (answer.value, answer.decision, answer.live_figure, answer.live_period) == (
        D(4),
        "accepted",
        D("83.3"),
        "2026",
    )
    with pytest.raises(GovernanceError) as exc:
        services.proposal_decide(actor=SYSTEM, assessment=seruyan_sheet, indicator="45", figure=figure, value="3")
    assert exc.value.code == "reason_required"
    answer = services.proposal_decide(
        actor=SYSTEM, assessment=seruyan_sheet, indicator="45", figure=figure, value="3", reason="Hanya 2 kecamatan"
    )
    assert (answer.value, answer.decision, answer.decision_reason) == (D(3), "overridden", "Hanya 2 kecamatan")
    officer = Actor(_user("capil@seruyan.demo"))
    with pytest.raises(GovernanceError):  # the assessor decides, not the agencies
        services.proposal_decide(actor=officer, assessment=seruyan_sheet, indicator="45", figure=figure)


# --- pages -------------------------------------------------------------------------------------------------------


def _client(login: str | None) -> Client:
    client = Client()
    if login:
        client.force_login(_user(login))
    return client


def test_office_pages_keep_to_their_region(seruyan_sheet, files):
    evidence = services.evidence_attach(actor=SYSTEM, assessment=seruyan_sheet, indicator="1", upload=files["pdf"]())
    pages = [
        "/seruyan/kantor/kinerja/",
        f"/seruyan/kantor/kinerja/{seruyan_sheet.code}/",
        "/seruyan/kantor/kinerja/iku/",
        f"/seruyan/kantor/kinerja/bukti/{evidence.code}/",
    ]
    for page in pages:
        assert _client("penilai@seruyan.demo").get(page).status_code == 200, page
        for outsider in ("penilai@banyuwangi.demo", "admin@banyuwangi.demo", "warga@seruyan.demo"):
            assert _client(outsider).get(page).status_code == 404, (page, outsider)
        anonymous = _client(None).get(page)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/akun/"), page
    # Seruyan's sheet and evidence under Banyuwangi's address: the same 404 as a missing one
    for page in (
        f"/banyuwangi/kantor/kinerja/{seruyan_sheet.code}/",
        f"/banyuwangi/kantor/kinerja/bukti/{evidence.code}/",
    ):
        assert _client("penilai@banyuwangi.demo").get(page).status_code == 404
    # a complaints coordinator is staff but not an assessment role
    assert _client("pengaduan@seruyan.demo").get("/seruyan/kantor/kinerja/").status_code == 404


def test_page_keeps_what_was_typed_on_a_refusal(seruyan_sheet):
    client = _client("penilai@seruyan.demo")
    page = f"/seruyan/kantor/kinerja/{seruyan_sheet.code}/"
    response = client.post(page, {"what": "answer", "indicator": "3", "value": "7", "justification": "Perbup 12/2025"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Perbup 12/2025" in text and 'aria-invalid="true"' in text
    assert not Answer.objects.filter(assessment=seruyan_sheet, indicator="3").exists()
    response = client.post(page, {"what": "answer", "indicator": "3", "value": "3", "justification": "Perbup 12/2025"})
    assert response.status_code == 302
    seruyan_sheet.refresh_from_db()
    assert seruyan_sheet.score == D("0.04")  # 1.3 % × 3 = 0.039


def test_locked_year_on_the_page(seruyan_sheet):
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.LOCK)
    client = _client("penilai@seruyan.demo")
    page = f"/seruyan/kantor/kinerja/{seruyan_sheet.code}/"
    response = client.post(page, {"what": "answer", "indicator": "3", "value": "3", "justification": "Tetap"})
    assert response.status_code == 400 and "data-error-summary" in response.content.decode()
    assert not Answer.objects.filter(assessment=seruyan_sheet, indicator="3").exists()
    response = client.post(page, {"what": "reopen", "reason": ""})
    assert response.status_code == 400
    response = client.post(page, {"what": "reopen", "reason": "Koreksi bukti"})
    assert response.status_code == 302
    seruyan_sheet.refresh_from_db()
    assert seruyan_sheet.status == "draft"


def test_officer_sees_no_lock_button(seruyan_sheet):
    text = _client("capil@seruyan.demo").get(f"/seruyan/kantor/kinerja/{seruyan_sheet.code}/").content.decode()
    assert 'value="submit"' in text and 'value="lock"' not in text and 'value="accept"' not in text


def test_proposal_on_the_page(banyuwangi):
    sheet = services.assessment_start(actor=SYSTEM, region=banyuwangi, framework_code="spbe-2020", year=2026)
    client = _client("penilai@banyuwangi.demo")
    page = f"/banyuwangi/kantor/kinerja/{sheet.code}/"
    assert "Gerai" in client.get(page).content.decode()
    assert client.post(page, {"what": "accept", "indicator": "45"}).status_code == 302
    answer = Answer.objects.get(assessment=sheet, indicator="45")
    assert answer.decision == "accepted" and answer.live_source == "services_online" and answer.value is not None
    response = client.post(page, {"what": "override", "indicator": "45", "value": "2", "reason": ""})
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.decision == "accepted"


def test_iku_page_refuses_realisation_without_target(seruyan):
    client = _client("pupr@seruyan.demo")
    pupr = seruyan.agencies.get(slug="pupr")
    response = client.post(
        "/seruyan/kantor/kinerja/iku/?tahun=2026",
        {
            "what": "save",
            "tahun": "2026",
            "agency": pupr.pk,
            "name": "Jalan mantap",
            "direction": "higher",
            "realisation": "70",
        },
    )
    assert response.status_code == 400
    assert "Jalan mantap" in response.content.decode()
    assert not PerformanceIndicator.objects.filter(name="Jalan mantap").exists()


def test_public_page_shows_locked_and_published_only(seruyan_sheet, seruyan):
    services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator="42", value="5", justification="")
    text = _client(None).get("/seruyan/kinerja/").content.decode()
    assert "0,15" not in text  # a draft is not public (Indonesian decimals)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.LOCK)
    text = _client(None).get("/seruyan/kinerja/").content.decode()
    assert "0,15" in text and "Kurang" in text
    bwi = _client(None).get("/banyuwangi/kinerja/").content.decode()
    assert "4,87" in bwi and "Memuaskan" in bwi and "KemenPANRB" in bwi
    compare = _client(None).get("/kinerja/").content.decode()
    assert 'data-region="banyuwangi"' in compare and 'data-region="seruyan"' in compare and "4,87" in compare


def test_public_page_needs_the_module(seruyan):
    seruyan.modules = [m for m in seruyan.modules if m != "indeks"]
    seruyan.save()
    assert _client(None).get("/seruyan/kinerja/").status_code == 404
    assert _client("penilai@seruyan.demo").get("/seruyan/kantor/kinerja/").status_code == 404
    assert 'data-region="seruyan"' not in _client(None).get("/kinerja/").content.decode()
    assert _client(None).get("/api/v1/regions/seruyan/indices").status_code == 404


def test_api_indices():
    client = Client()
    body = client.get("/api/v1/regions/banyuwangi/indices?year=2025").json()
    assert body["region"] == "banyuwangi" and [y["year"] for y in body["years"]] == [2025]
    spbe = next(i for i in body["years"][0]["indices"] if i["kind"] == "spbe")
    assert D(spbe["published_score"]) == D("4.87") and spbe["published_predicate"] == "Memuaskan"
    assert spbe["self_score"] is None and not spbe["from_data"]
    assert client.get("/api/v1/regions/banyuwangi/indices?year=1900").status_code == 422
    assert client.get("/api/v1/regions/atlantis/indices").status_code == 404
    everything = client.get("/api/v1/regions/banyuwangi/indices").json()
    assert {y["year"] for y in everything["years"]} >= {2024, 2025}


def test_open_data_lists_the_indices(banyuwangi):
    from gerai.core import opendata

    dataset = opendata.registered()["indeks-kinerja-pemerintahan"]
    table = dataset.build(banyuwangi)
    assert table is not None
    assert any(row["year"] == 2025 and row["published_score"] == D("4.87") for row in table.rows)
    response = Client().get("/banyuwangi/data/")
    assert "indeks-kinerja-pemerintahan" in response.content.decode()


def test_factory_regions_see_nothing_of_each_other(personas):
    """Factory personas: the module switches the office pages; region B's admin and staff never see A's."""
    a = personas.a.region
    assessor = make_staff(a, personas.a.dinas, StaffRole.Role.ASSESSOR)
    client = Client()
    client.force_login(assessor)
    a.modules = [m for m in a.modules if m != "indeks"]
    a.save()
    assert client.get(f"/{a.slug}/kantor/kinerja/").status_code == 404  # module off
    a.modules = [*a.modules, "indeks"]
    a.save()
    assert client.get(f"/{a.slug}/kantor/kinerja/").status_code == 200
    sheet = services.assessment_start(actor=Actor(assessor), region=a, framework_code="spbe-2020", year=2026)
    for name in ("outsider_admin", "outsider", "citizen"):
        assert personas.client(name).get(f"/{a.slug}/kantor/kinerja/{sheet.code}/").status_code == 404, name
    assert personas.client("dinas_officer").get(f"/{a.slug}/kantor/kinerja/{sheet.code}/").status_code == 200


def test_live_figures_follow_the_catalogue(seruyan):
    from gerai.catalog.models import Service
    from gerai.governance.sources import figures

    services_ = Service.objects.filter(region=seruyan)
    total = services_.count()
    before = figures(seruyan, 2026)["services_online"]
    assert before.value == D(100) and before.detail.startswith(f"{total} ")
    hidden = services_.first()
    hidden.is_published = False
    hidden.save()
    after = figures(seruyan, 2026)
    assert after["services_online"].value == (D(100) * (total - 1) / total).quantize(D("0.1"))
    signed = services_.filter(is_published=True, steps__action="sign").distinct().count()
    assert after["services_esign"].detail.startswith(f"{signed} ")
    assert after["services_in_sla"].url.endswith("/seruyan/transparansi/?tahun=2026")


def test_iku_proposal_and_values_on_the_page(seruyan, monkeypatch):
    from gerai.governance import sources

    iku = PerformanceIndicator.objects.get(region=seruyan, year=2026, live_source="ikm")
    measured = Figure("ikm", "IKM", D("81.25"), "120 respondents", "2026", "/seruyan/transparansi/?tahun=2026")
    monkeypatch.setattr(sources, "agency_ikm", lambda region, agency, year: measured)
    page = "/seruyan/kantor/kinerja/iku/?tahun=2026"
    officer = _client("capil@seruyan.demo")
    assert "81,25" in officer.get(page).content.decode()
    assert officer.post(page, {"what": "accept", "code": iku.code, "tahun": "2026"}).status_code == 400  # not theirs
    assessor = _client("penilai@seruyan.demo")
    assert assessor.post(page, {"what": "accept", "code": iku.code, "tahun": "2026"}).status_code == 302
    iku.refresh_from_db()
    assert (iku.realisation, iku.decision, iku.live_period) == (D("81.25"), "accepted", "2026")
    text = assessor.get(page).content.decode()
    assert "106,06" in text  # 81.25 ÷ 76.61 × 100
    response = assessor.post(
        page, {"what": "values", "code": iku.code, "tahun": "2026", "target": "", "realisation": "80"}
    )
    assert response.status_code == 400 and 'value="80"' in response.content.decode()
    iku.refresh_from_db()
    assert iku.target == D("76.61")


def test_iid_from_the_innovation_seam_is_marked_as_data(banyuwangi, monkeypatch):
    from gerai.governance import sources

    monkeypatch.setattr(sources, "iid_score", lambda region, year: (D("72.50"), "Sangat Inovatif"))
    text = _client(None).get("/banyuwangi/kinerja/").content.decode()
    row = text[text.index('data-kind="iid"') :]
    row = row[: row.index("</tr>")]
    assert "72,50" in row and "Sangat Inovatif" in row and "tag--data" in row


# --- laws of the arithmetic ----------------------------------------------------------------------------------


LEVELS = st.dictionaries(st.sampled_from([i.code for i in SPBE.indicators]), st.integers(0, 5).map(D), max_size=47)


@settings(max_examples=200, deadline=None)
@given(LEVELS)
def test_index_is_the_domains_weighted_by_their_weights(values):
    """The whole equals its domains (and each domain its aspects) weighted by their weights, up to rounding."""
    sheet = result(SPBE, values)
    if not values:  # nothing entered: not yet scored, anywhere
        assert sheet.overall.value is None and all(s.value is None for s in sheet.aspects.values())
        return
    exact = sum(i.weight * values.get(i.code, D(0)) for i in SPBE.indicators) / 100
    assert abs(sheet.overall.value - exact) <= D("0.005")
    # a domain or aspect with nothing entered has no index of its own and weighs in at 0
    by_domains = sum(d.weight * (sheet.domains[d.code].value or 0) for d in SPBE.domains) / 100
    assert abs(sheet.overall.value - by_domains) <= D("0.01")
    for d in SPBE.domains:
        by_aspects = sum(a.weight * (sheet.aspects[a.code].value or 0) for a in d.aspects) / d.weight
        assert abs((sheet.domains[d.code].value or 0) - by_aspects) <= D("0.01")
    assert 0 <= sheet.overall.value <= 5
    assert sheet.overall.band is SPBE.band(sheet.overall.value)


@settings(max_examples=200, deadline=None)
@given(LEVELS, st.sampled_from([i.code for i in SPBE.indicators]))
def test_raising_a_level_never_lowers_the_index(values, code):
    higher = values | {code: min(D(5), values.get(code, D(0)) + 1)}
    before = result(SPBE, values).overall.value  # None: not yet scored
    assert before is None or result(SPBE, higher).overall.value >= before


def test_stored_score_equals_a_worked_recomputation(seruyan_sheet):
    for code, level in (("1", "3"), ("11", "4"), ("42", "5"), ("11", "2")):
        services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator=code, value=level, justification="")
    seruyan_sheet.refresh_from_db()
    values = dict(Answer.objects.filter(assessment=seruyan_sheet).values_list("indicator", "value"))
    rebuilt = result(SPBE, values).overall
    assert (seruyan_sheet.score, seruyan_sheet.predicate) == (rebuilt.value, rebuilt.band.name)
    assert seruyan_sheet.score == D("0.24")  # 1.3 × 3 + 2.5 × 2 + 3 × 5 = 23.9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(LEVELS.filter(bool))
def test_stored_score_equals_a_recomputation(seruyan_sheet, values):
    """Whatever levels are answered, one by one through the service, the stored score and predicate are the
    model's recomputation of exactly those answers."""
    Answer.objects.filter(assessment=seruyan_sheet).delete()  # each example starts from an empty sheet
    for code, level in values.items():
        services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator=code, value=str(level), justification="")
    seruyan_sheet.refresh_from_db()
    stored = dict(Answer.objects.filter(assessment=seruyan_sheet).values_list("indicator", "value"))
    assert stored == values
    rebuilt = result(SPBE, values).overall
    assert (seruyan_sheet.score, seruyan_sheet.predicate) == (rebuilt.value, rebuilt.band.name if rebuilt.band else "")


def test_office_forms_keep_what_was_typed(seruyan):
    client = _client("penilai@seruyan.demo")
    response = client.post("/seruyan/kantor/kinerja/", {"what": "start", "framework": "spbe-2020", "year": "1999"})
    assert response.status_code == 400 and 'value="1999"' in response.content.decode()
    response = client.post(
        "/seruyan/kantor/kinerja/",
        {"what": "published", "kind": "spbe", "year": "2025", "value": "", "predicate": "", "source": "KemenPANRB"},
    )
    assert response.status_code == 400 and 'value="KemenPANRB"' in response.content.decode()
    officer = _client("capil@seruyan.demo")  # agencies do not record official results
    response = officer.post(
        "/seruyan/kantor/kinerja/",
        {"what": "published", "kind": "spbe", "year": "2025", "value": "3.1", "predicate": "Baik", "source": "X"},
    )
    assert response.status_code == 400
    assert not seruyan.published_results.exists()


def test_evidence_that_is_not_a_document_on_the_page(seruyan_sheet, files):
    client = _client("capil@seruyan.demo")
    page = f"/seruyan/kantor/kinerja/{seruyan_sheet.code}/"
    response = client.post(page, {"what": "evidence", "indicator": "5", "file": files["exe"]("sk.pdf")})
    assert response.status_code == 400 and "sk.pdf" in response.content.decode()
    assert client.post(page, {"what": "evidence", "indicator": "5", "file": files["pdf"]("sk.pdf")}).status_code == 302
    evidence = seruyan_sheet.answers.get(indicator="5").evidence.get()
    download = client.get(f"/seruyan/kantor/kinerja/bukti/{evidence.code}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # never rendered as a page of the site, never kept by a cache
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and 'filename="sk.pdf"' in download["Content-Disposition"]
    )
    assert "sandbox" in download["Content-Security-Policy"].split(";")[-1]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


def test_the_iid_beside_the_other_indices_is_the_innovation_librarys_own_score(banyuwangi, seruyan):
    year = timezone.now().year
    own = sources.iid_score(banyuwangi, year)
    assert own is not None
    score = iid_for(banyuwangi, year)
    assert own == (Decimal(str(score.iid)).quantize(Decimal("0.01")), str(score.predicate))
    # Seruyan keeps only adopted candidates, no innovation of its own yet: no IID to show
    assert sources.iid_score(seruyan, year) is None


def test_no_iid_is_invented_for_a_year_before_the_first_iid_model(banyuwangi):
    assert sources.iid_score(banyuwangi, 2022) is None and sources.iid_score(banyuwangi, 2019) is None
    body = Client().get("/api/v1/regions/banyuwangi/indices?year=2019").json()
    assert all(i["kind"] != "iid" for y in body["years"] for i in y["indices"])
    assert sources.iid_score(banyuwangi, timezone.localdate(timezone=banyuwangi.zone).year) is not None


def test_the_public_iid_counts_published_innovations_and_their_models_evidence_only(banyuwangi):
    from gerai.innovation.models import Evidence, Innovation

    year = timezone.localdate(timezone=banyuwangi.zone).year
    before = sources.iid_score(banyuwangi, year)
    counted = iid_for(banyuwangi, year)
    smart = Innovation.objects.get(region=banyuwangi, name="Smart Kampung")
    assert "Smart Kampung" in [entry.name for entry, _total, _rows in counted.innovations]
    # evidence under another model year moves nothing
    extra = Evidence.objects.filter(innovation=smart).first()
    Evidence.objects.create(
        region=banyuwangi,
        innovation=smart,
        model_year=2019,
        indicator="sid_kemanfaatan",
        level=3,
        title="Lama",
        file=extra.file.name,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    assert sources.iid_score(banyuwangi, year) == before
    # a draft (unpublished) innovation is not in the public score, nor its evidence
    smart.is_published = False
    smart.save()
    without = iid_for(banyuwangi, year)
    assert "Smart Kampung" not in [entry.name for entry, _total, _rows in without.innovations]
    assert len(without.innovations) == len(counted.innovations) - 1
    assert sources.iid_score(banyuwangi, year) == (
        Decimal(str(without.iid)).quantize(Decimal("0.01")),
        str(without.predicate),
    )
    assert sources.iid_score(banyuwangi, year) != before
    # with no published innovation of its own left, there is no IID to show
    Innovation.objects.filter(region=banyuwangi).update(is_published=False)
    assert sources.iid_score(banyuwangi, year) is None


def test_a_small_sample_ikm_never_moves_the_public_iid(banyuwangi, monkeypatch):
    """The IKM the IID reads is the public one: a suppressed (small-sample) IKM counts as none."""
    from gerai.innovation import selectors as innovation_selectors

    scopes = []
    real = innovation_selectors.dashboard
    monkeypatch.setattr(innovation_selectors, "dashboard", lambda scope: scopes.append(scope) or real(scope))
    sources.iid_score(banyuwangi, timezone.localdate(timezone=banyuwangi.zone).year)
    assert scopes and all(scope.public for scope in scopes)


# --- a sheet with nothing entered is "not yet scored", never a D --------------------------------------------------


def test_a_fresh_sheet_is_not_yet_scored_until_an_indicator_is_entered(seruyan):
    for model in (SPBE, LKE):
        empty = result(model, {})
        assert empty.overall.value is None and empty.overall.band is None and empty.overall.status == "not_scored"
        assert all(s.value is None for s in empty.domains.values())
    lke = services.assessment_start(actor=SYSTEM, region=seruyan, framework_code="lke-2021", year=2025)
    lke.refresh_from_db()
    assert lke.score is None and lke.predicate == ""
    client = _client("penilai@seruyan.demo")
    sheet_page = client.get(f"/seruyan/kantor/kinerja/{lke.code}/").content.decode()
    assert "Belum dinilai" in sheet_page and "0 dari 12 indikator terisi" in sheet_page
    assert "<dd data-predicate>D" not in sheet_page and "0,00" not in sheet_page
    office = client.get("/seruyan/kantor/kinerja/").content.decode()
    assert "Belum dinilai" in office and ">D<" not in office
    services.answer_save(actor=SYSTEM, assessment=lke, indicator="K1a", value="50", justification="")
    lke.refresh_from_db()
    assert lke.score == D("3.00") and lke.predicate == "D"  # entered: now a real (low) score
    office = client.get("/seruyan/kantor/kinerja/").content.decode()
    assert "1 dari 12 indikator terisi" in office and "Belum dinilai" not in office
    assert result(LKE, {"K1a": D(50)}).overall.status == "partial"


def test_public_page_api_and_open_data_say_not_yet_scored(seruyan_sheet, seruyan):
    from gerai.core import opendata
    from gerai.governance.selectors import dataset_indices

    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.LOCK)  # locked, empty
    text = _client(None).get("/seruyan/kinerja/").content.decode()
    assert "Belum dinilai" in text and "Kurang" not in text
    body = Client().get("/api/v1/regions/seruyan/indices?year=2026").json()
    spbe = next(i for i in body["years"][0]["indices"] if i["kind"] == "spbe")
    assert spbe["self_score"] is None and spbe["self_predicate"] == "" and spbe["self_status"] == "not_scored"
    assert (spbe["self_indicators_answered"], spbe["self_indicators_total"]) == (0, 47)
    row = next(r for r in dataset_indices(seruyan).rows if r["year"] == 2026 and r["index"] == "Indeks SPBE")
    assert row["self_score"] is None and row["self_status"] == "not_scored" and row["self_predicate"] == ""
    assert "self_status" in [
        c.file_key for c in opendata.registered()["indeks-kinerja-pemerintahan"].build(seruyan).columns
    ]
    schema = Client().get("/api/v1/openapi.json").json()
    index_out = schema["components"]["schemas"]["IndexOut"]["properties"]
    assert "not_scored" in index_out["self_status"]["description"]
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.REOPEN, reason="Isi")
    services.answer_save(actor=SYSTEM, assessment=seruyan_sheet, indicator="42", value="5", justification="")
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.LOCK)
    text = _client(None).get("/seruyan/kinerja/").content.decode()
    assert "0,15 <span>Kurang</span>" in text and "1 dari 47 indikator terisi" in text
    spbe = next(
        i
        for i in Client().get("/api/v1/regions/seruyan/indices?year=2026").json()["years"][0]["indices"]
        if i["kind"] == "spbe"
    )
    assert spbe["self_status"] == "partial" and spbe["self_indicators_answered"] == 1


def test_public_pages_say_in_words_what_is_unverified(seruyan):
    """The public pages named a developer file (docs/governance.md); they list the unverified parts themselves."""
    for page in ("/seruyan/kinerja/", "/kinerja/"):
        text = _client(None).get(page).content.decode()
        assert "docs/" not in text and ".md" not in text, page
        assert 'id="belum-diverifikasi"' in text and "Yang belum diverifikasi" in text, page
        assert "SAKIP: rentang nilai" in text and "4,2; 3,5" in text, page
    assert 'href="#belum-diverifikasi"' in _client(None).get("/seruyan/kinerja/").content.decode()


def test_demo_sources_are_indonesian(banyuwangi):
    """The demo's published results name their source in Indonesian (it is shown marked lang="id")."""
    text = _client(None).get("/banyuwangi/kinerja/").content.decode()
    assert "Evaluasi SPBE 2025, KemenPANRB, sebagaimana diberitakan pers nasional dan daerah" in text
    assert "as reported" not in text


def test_comparison_says_not_yet_scored_and_has_no_blank_first_line(seruyan_sheet, seruyan, banyuwangi):
    """A locked sheet with nothing entered reads "Belum dinilai" on /kinerja/ as on the region's page (not "–");
    a cell's <br> only stands between an official and a self-assessed result."""
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.SUBMIT)
    services.assessment_transition(actor=SYSTEM, assessment=seruyan_sheet, act=Act.LOCK)
    assert "Belum dinilai" in _client(None).get("/seruyan/kinerja/").content.decode()
    compare = _client(None).get("/kinerja/").content.decode()
    row = compare.split('data-region="seruyan"')[1].split("</tr>")[0]
    digital = row.split("<td>")[1]
    assert digital.startswith("Belum dinilai"), digital
    assert "<td><br>" not in compare

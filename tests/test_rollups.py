"""The dashboards' rollups: kept up to date by every change, and equal to a rebuild from scratch."""

import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from gerai.accounts.models import User
from gerai.applications import services as app_services
from gerai.catalog.selectors import service_form_pages
from gerai.complaints import services as complaint_services
from gerai.complaints.models import Category
from gerai.core.actors import Actor
from gerai.dashboards.models import (
    ApplicationDays,
    ApplicationMonth,
    Backlog,
    PendingChange,
    ReportDays,
    ReportMonth,
    SurveyMonth,
)
from gerai.dashboards.rollups import rollups_fold, rollups_rebuild
from gerai.dashboards.selectors import ikm_report, period
from gerai.lib.histogram import percentile
from gerai.regions.models import Area
from gerai.surveys import services as survey_services
from tests.conftest import AKTA_ANSWERS

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
SOBO = "35.10.16.1002"
MODELS = (ApplicationMonth, ApplicationDays, Backlog, SurveyMonth, ReportMonth, ReportDays)


def snapshot(region) -> dict:
    """Every non-zero rollup row of a region, without its id (a rebuild renumbers them), once the pending
    changes are added."""
    rollups_fold()
    out = {}
    for model in MODELS:
        rows = set()
        for row in model.objects.filter(region=region).values():
            row.pop("id")
            counters = {
                k: v
                for k, v in row.items()
                if isinstance(v, int) and not k.endswith("_id") and k not in ("days", "level")
            }
            if any(counters.values()):
                rows.add(tuple(sorted(row.items())))
        out[model.__name__] = rows
    return out


def _at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=WIB), tick=False)


def test_incremental_rollups_agree_with_a_rebuild(submitted, people, banyuwangi, seruyan):
    desa, capil = Actor(user=people["desa_officer"]), Actor(user=people["capil_officer"])
    citizen = Actor(user=people["citizen_a"])
    with _at(2026, 1, 30, 15):  # a Friday
        fast, late, refused, given_up, waiting = (submitted() for _ in range(5))
        draft = app_services.application_start(actor=citizen, service=fast.service, applicant=people["citizen_a"])
    with _at(2026, 2, 2, 9):  # Monday: one working day later, in the next month
        app_services.application_complete_step(actor=desa, application=fast)
        app_services.application_complete_step(actor=capil, application=fast)
        app_services.application_request_correction(actor=desa, application=late, reason="Foto buram")
        app_services.application_reject(actor=desa, application=refused, reason="Bukan warga desa ini")
        app_services.application_cancel(actor=citizen, application=given_up)
        app_services.application_cancel(actor=citizen, application=draft)  # never submitted: not counted
    with _at(2026, 3, 2, 10):  # the citizen moves the application to another desa while correcting it
        pages = service_form_pages(late.service)
        app_services.application_save_answers(
            actor=citizen, application=late, fields=pages[2], data={**AKTA_ANSWERS[2], "desa": SOBO}
        )
        app_services.application_resubmit(actor=citizen, application=late)
    with _at(2026, 4, 1, 10):
        late.refresh_from_db()
        app_services.application_complete_step(actor=desa, application=late)  # the step resumes where it was
        app_services.application_complete_step(actor=capil, application=late)
        survey_services.survey_submit(
            actor=Actor(user=None),
            invitation=late.survey_invitation,
            scores={f"u{i}": "4" for i in range(1, 10)} | {"u9": ""},
        )
        survey_services.survey_enter(
            actor=capil,
            region=banyuwangi,
            service=fast.service,
            scores={f"u{i}": "3" for i in range(1, 10)},
            comment="",
            source="paper",
            answered_on=dt.date(2026, 3, 31),
        )
        category = Category.objects.get(region=banyuwangi, code="jalan-rusak")
        report = complaint_services.report_file(
            actor=Actor(user=people["citizen_a"]),
            region=banyuwangi,
            category=category,
            description="Jalan berlubang besar di depan SDN 1 Kemiren",
            reporter=people["citizen_a"],
            desa=Area.objects.get(code="35.10.15.2004"),
        )
    coordinator = Actor(user=User.objects.get(login="pengaduan@banyuwangi.demo"))
    pupr = Actor(user=User.objects.get(login="pupr@banyuwangi.demo"))
    with _at(2026, 4, 2, 10):
        complaint_services.report_verify(actor=coordinator, report=report)
    with _at(2026, 4, 7, 10):
        complaint_services.report_respond(actor=pupr, report=report, text="Sudah ditambal.", settled=True)
    with _at(2026, 5, 4, 10):
        complaint_services.report_reopen(actor=Actor(user=people["citizen_a"]), report=report, reason="Lubang lagi.")

    with _at(2026, 5, 5, 10):  # the SLA sweep flags the one still waiting at the desa as overdue
        assert app_services.application_remind_overdue(actor=Actor.system(), application_id=waiting.pk)
        app_services.application_complete_step(actor=desa, application=waiting)  # now at Dispendukcapil

    incremental = snapshot(banyuwangi)  # folds what is pending
    held = {
        (row.agency.slug, row.level): (row.open, row.waiting, row.overdue)
        for row in Backlog.objects.filter(region=banyuwangi).select_related("agency")
        if row.open
    }
    assert held == {
        ("dispendukcapil", 0): (1, 0, 1),
        ("dispendukcapil", 3): (1, 0, 1),
        ("dispendukcapil", 5): (1, 0, 1),
    }
    months = {
        (row.month, row.area_id): row
        for row in ApplicationMonth.objects.filter(region=banyuwangi, service=fast.service)
    }
    assert months[(dt.date(2026, 1, 1), None)].submitted == 5
    feb = months[(dt.date(2026, 2, 1), None)]
    assert (feb.completed, feb.completed_in_sla, feb.rejected, feb.cancelled) == (1, 1, 1, 1)
    assert months[(dt.date(2026, 1, 1), SOBO)].submitted == 1  # followed the application to Sobo
    assert months[(dt.date(2026, 1, 1), "35.10.15.2004")].submitted == 4
    assert months[(dt.date(2026, 1, 1), "35.10.15")].submitted == 4  # Kecamatan Glagah
    assert months[(dt.date(2026, 1, 1), "35.10.16")].submitted == 1  # Kecamatan Banyuwangi
    days = dict(
        ApplicationDays.objects.filter(region=banyuwangi, area__isnull=True).values_list("days", "n").order_by("days")
    )
    # Friday → Monday; 30 January → 1 April is 43 weekdays less Imlek, Nyepi and Lebaran (7 days off)
    assert days == {1: 1, 36: 1}
    survey = SurveyMonth.objects.get(region=banyuwangi, area__isnull=True, month=dt.date(2026, 4, 1))
    assert (survey.respondents, survey.s1, survey.n9) == (1, 4, 0)
    report_month = ReportMonth.objects.get(region=banyuwangi, month=dt.date(2026, 4, 1))
    assert (report_month.filed, report_month.responded, report_month.resolved) == (1, 1, 0)  # reopened since

    rollups_rebuild(banyuwangi)
    assert snapshot(banyuwangi) == incremental

    # the IKM report reads the rollups; it must equal the regulation's computation over the responses
    from gerai.lib import ikm
    from gerai.surveys.models import SurveyResponse

    answers = SurveyResponse.objects.filter(region=banyuwangi).values_list(*(f"u{i}" for i in range(1, 10)))
    report = ikm_report(banyuwangi, period(2026))
    assert report.result == ikm.compute(answers) and report.result.respondents == 2
    assert report.users == 2  # the two completed applications
    assert snapshot(seruyan) == {m.__name__: set() for m in MODELS}


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=200), st.sampled_from([50, 90]))
def test_percentiles_from_a_histogram_equal_those_of_the_list(values, pct):
    histogram: dict[int, int] = {}
    for v in values:
        histogram[v] = histogram.get(v, 0) + 1
    ordered = sorted(values)
    rank = -(-pct * len(ordered) // 100)  # nearest rank: ceil(p/100 × n)
    assert percentile(histogram, pct) == ordered[rank - 1]
    assert percentile({}, pct) is None


def test_a_services_changes_are_recorded_when_its_block_ends_dropped_with_it_and_folded_once(submitted, banyuwangi):
    from django.db import transaction
    from django.db.models import Sum

    from gerai.core.events import batched as counted_at_the_end

    def counted() -> int:
        rows = ApplicationMonth.objects.filter(region=banyuwangi, area__isnull=True)
        return rows.aggregate(n=Sum("submitted"))["n"] or 0

    rollups_fold()
    start = counted()
    with pytest.raises(RuntimeError), transaction.atomic(), counted_at_the_end():
        submitted()  # the service's own block joins this one
        assert not PendingChange.objects.exists()  # not yet: recorded when the block ends
        raise RuntimeError
    assert not PendingChange.objects.exists()  # rolled back with the block
    with transaction.atomic(), counted_at_the_end():
        submitted()
        submitted()
    assert PendingChange.objects.count() == 1 and counted() == start  # one row for the block, not yet added
    assert rollups_fold() == 1 and counted() == start + 2
    assert rollups_fold() == 0 and counted() == start + 2  # added once

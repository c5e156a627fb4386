"""IKM per service, agency or region and period, computed from the responses exactly as the regulation says."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from gerai.lib import ikm
from gerai.surveys.models import SurveyInvitation


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str


def period(year: int, quarter: int | None = None, semester: int | None = None) -> Period:
    if quarter:
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
        return Period(start, end, f"TW {quarter} {year}")
    if semester:
        start = dt.date(year, 1 if semester == 1 else 7, 1)
        end = dt.date(year, 6, 30) if semester == 1 else dt.date(year, 12, 31)
        return Period(start, end, f"Semester {semester} {year}")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


@dataclass(frozen=True)
class Report:
    result: ikm.Result
    period: Period
    users: int  # service users in the period (completed applications)
    required: int  # the Krejcie–Morgan sample for that many users

    @property
    def sample_ok(self) -> bool:
        return self.result.respondents >= self.required


def ikm_report(region, per: Period, *, service=None, agency=None) -> Report:
    """The IKM of a period from the dashboards' monthly rollups (per-element sums and answer counts, and
    completed applications): the same figures as computing over every response (tests/test_rollups.py
    holds the rollups to that), at a cost that does not grow with the number of responses."""
    from gerai.dashboards.models import ApplicationMonth, Level, SurveyMonth

    months = {"region": region, "level": Level.REGION, "month__range": (per.start.replace(day=1), per.end)}
    surveys = SurveyMonth.objects.filter(**months)
    applications = ApplicationMonth.objects.filter(**months)
    if service is not None:
        surveys, applications = surveys.filter(service=service), applications.filter(service=service)
    elif agency is not None:
        surveys = surveys.filter(service__owner_agency=agency)
        applications = applications.filter(service__owner_agency=agency)
    sums = surveys.aggregate(
        respondents=Sum("respondents"),
        **{f"s{i}": Sum(f"s{i}") for i in range(1, 10)},
        **{f"n{i}": Sum(f"n{i}") for i in range(1, 10)},
    )
    result = ikm.from_totals(
        sums["respondents"] or 0,
        [sums[f"s{i}"] or 0 for i in range(1, 10)],
        [sums[f"n{i}"] or 0 for i in range(1, 10)],
    )
    users = applications.aggregate(n=Sum("completed"))["n"] or 0
    return Report(result, per, users, ikm.required_sample(users))


def invitation_get(region, token: str) -> SurveyInvitation:
    invitation = (
        SurveyInvitation.objects.filter(token=token[:40], application__region=region)
        .select_related("application__service", "application__region", "application__service__owner_agency")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def current_year(region) -> int:
    return timezone.localdate(timezone=region.zone).year

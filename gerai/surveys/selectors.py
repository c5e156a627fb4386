"""IKM per service, agency or region and period, computed from the responses exactly as the regulation says."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from gerai.applications.models import Application, Status
from gerai.lib import ikm
from gerai.surveys.models import SurveyInvitation, SurveyResponse


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
    responses = SurveyResponse.objects.filter(region=region, answered_on__range=(per.start, per.end))
    applications = Application.objects.filter(region=region, status=Status.COMPLETED)
    if service is not None:
        responses, applications = responses.filter(service=service), applications.filter(service=service)
    if agency is not None:
        responses = responses.filter(agency=agency)
        applications = applications.filter(service__owner_agency=agency)
    zone = region.zone
    start = dt.datetime.combine(per.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(per.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    users = applications.filter(closed_at__gte=start, closed_at__lt=end).count()
    rows = responses.values_list("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9").iterator(chunk_size=5000)
    result = ikm.compute(rows)
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

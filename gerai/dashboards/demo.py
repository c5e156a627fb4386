"""A year and a bit of synthetic history for the demo, up to today, so the transparency pages have something
to show: closed applications (no open ones, so the officers' queues stay as the walk-through expects), survey
answers for a third of them, and closed complaints kept unpublished. Marked as synthetic, never a person."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gerai.accounts.models import User
from gerai.applications.models import Application
from gerai.catalog.models import Service
from gerai.complaints.models import Category, Report
from gerai.dashboards.rollups import rollups_rebuild
from gerai.lib import codes
from gerai.regions.calendar import RegionCalendar
from gerai.regions.models import Area, Region
from gerai.surveys.models import SurveyResponse

MONTHS = 14
SCORES = [2, 3, 3, 3, 4, 4, 4, 4]


def _month_start(today: dt.date, back: int) -> dt.date:
    """The first day of the month `back` months before today's (30-day steps skipped February)."""
    months = today.year * 12 + today.month - 1 - back
    return dt.date(months // 12, months % 12 + 1, 1)


def demo_history(region: Region, *, per_service_month: int, seed: int = 35) -> dict:
    """Fill `region` with synthetic closed applications; does nothing if it was done before."""
    login = f"arsip@{region.slug}.demo"
    if User.objects.filter(login=login).exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 (synthetic demo figures, nothing secret)
    calendar = RegionCalendar(region)
    zone = region.zone
    now = timezone.now()
    today = timezone.localdate(now, timezone=zone)
    services = list(Service.objects.filter(region=region, is_published=True).select_related("owner_agency"))
    villages = list(Area.objects.filter(region=region, level__in=(Area.Level.DESA, Area.Level.KELURAHAN)))
    busy = rng.sample(villages, k=min(len(villages), 40))  # most applications come from a few villages
    with transaction.atomic():
        applicant = User.objects.create(login=login, full_name="Data contoh (sintetis)", password=make_password(None))
        applications, answers = [], []
        for back in range(MONTHS, -1, -1):  # up to this month: its days so far, like any month in progress
            first = _month_start(today, back)
            for service in services:
                for _ in range(max(1, int(per_service_month * rng.uniform(0.5, 1.5)))):
                    day = first + dt.timedelta(days=rng.randrange(28))
                    submitted = dt.datetime.combine(day, dt.time(rng.randrange(8, 15), rng.randrange(60)), zone)
                    took = max(0, round(rng.gauss(service.sla_working_days * 0.6, service.sla_working_days * 0.4)))
                    closed = calendar.add_working_days(submitted, took) - dt.timedelta(hours=rng.randrange(2, 9))
                    closed = max(closed, submitted + dt.timedelta(hours=1))
                    if closed > now:  # still open today: left out, the officers' queues stay as they are
                        continue
                    roll = rng.random()
                    status = "completed" if roll < 0.9 else "rejected" if roll < 0.96 else "cancelled"
                    application = Application(
                        region=region,
                        service=service,
                        applicant=applicant,
                        created_by=applicant,
                        tracking_code=codes.tracking_code(region.tracking_prefix),
                        status=status,
                        desa=rng.choice(busy) if rng.random() < 0.8 else rng.choice(villages),
                        submitted_at=submitted,
                        created_at=submitted,
                        updated_at=closed,
                        closed_at=closed,
                        due_at=calendar.add_working_days(submitted, service.sla_working_days)
                        if status == "completed"
                        else None,
                    )
                    applications.append(application)
        Application.objects.bulk_create(applications, batch_size=1000)
        for application in applications:
            if application.status == "completed" and rng.random() < 0.35:
                scores = {f"u{i}": rng.choice(SCORES) for i in range(1, 10)}
                answers.append(
                    SurveyResponse(
                        region=region,
                        service=application.service,
                        agency=application.service.owner_agency,
                        application=application,
                        answered_on=timezone.localtime(application.closed_at, zone).date(),
                        **scores,
                    )
                )
        SurveyResponse.objects.bulk_create(answers, batch_size=1000)
        reports = []
        for category in Category.objects.filter(region=region):
            for back in range(MONTHS, 0, -1):
                for _ in range(rng.randrange(2, 9)):
                    day = (today.replace(day=1) - dt.timedelta(days=30 * back)) + dt.timedelta(days=rng.randrange(28))
                    filed = dt.datetime.combine(day, dt.time(rng.randrange(7, 20)), zone)
                    answered = calendar.add_working_days(filed, rng.choice([1, 2, 3, 3, 4, 5, 6, 8])) - dt.timedelta(
                        hours=6
                    )
                    reports.append(
                        Report(
                            region=region,
                            category=category,
                            agency=category.agency,
                            tracking_code=codes.tracking_code(region.tracking_prefix + "P"),
                            title="Laporan contoh (sintetis)",
                            description="Data contoh untuk halaman transparansi; bukan laporan warga.",
                            confidential=True,  # never on the public list or map
                            status="resolved",
                            created_at=filed,
                            updated_at=answered,
                            verified_at=filed + dt.timedelta(hours=20),
                            first_response_at=answered,
                            responded_at=answered,
                            closed_at=answered + dt.timedelta(days=rng.randrange(1, 10)),
                        )
                    )
        Report.objects.bulk_create(reports, batch_size=1000)
    counts = rollups_rebuild(region)
    return {"applications": len(applications), "surveys": len(answers), "reports": len(reports)} | counts

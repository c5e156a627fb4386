"""Fill the database with synthetic applications and as many complaint reports for the load benchmark
(idempotent).

1 % of them are open, a third of those at Dispendukcapil and the rest at desa offices, the others
completed: roughly the shape of a regency's history. Each has two timeline events.
Usage: DJANGO_SETTINGS_MODULE=bench.settings python bench/fill.py ROWS"""

import datetime as dt
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gerai.accounts.models import User  # noqa: E402
from gerai.applications.models import Application  # noqa: E402
from gerai.catalog.models import Service  # noqa: E402
from gerai.regions.models import Agency, Area, Region  # noqa: E402

COLUMNS = [
    "region_id",
    "service_id",
    "applicant_id",
    "created_by_id",
    "assisted",
    "ref",
    "tracking_code",
    "status",
    "desa_id",
    "answers",
    "service_version_id",
    "step_order",
    "step_name",
    "current_agency_id",
    "due_at",
    "correction_reason",
    "decision_reason",
    "version",
    "created_at",
    "submitted_at",
    "updated_at",
    "closed_at",
]


#: how the closed ones ended: mostly completed, some rejected or given up
FINAL_STATES = ["completed"] * 93 + ["rejected"] * 5 + ["cancelled"] * 2


def code(i: int) -> str:
    return f"BWI-{i // 10000:04d}-{i % 10000:04d}"


def rows(start: int, stop: int, ctx):
    services, villages, offices, capil, users, now = ctx
    for i in range(start, stop):
        service, first_step, version_id = services[i % len(services)]
        desa = villages[i % len(villages)]
        submitted = now - dt.timedelta(minutes=(i * 7919) % (3 * 365 * 24 * 60))
        is_open = i % 100 == 0
        agency = (capil if (i // 100) % 3 == 0 else offices[desa]) if is_open else None
        status = "in_process" if is_open else FINAL_STATES[i % len(FINAL_STATES)]
        took = dt.timedelta(days=(i * 13) % 12, hours=i % 7)  # some finish after the due date
        yield (
            service.region_id,
            service.pk,
            users[i % len(users)],
            users[i % len(users)],
            False,
            f"bench{i:011d}",
            code(i),
            status,
            desa,
            "{}",
            version_id,
            first_step.order if is_open else None,
            first_step.name if is_open else "",
            agency,
            submitted + dt.timedelta(days=7) if status in ("in_process", "completed") else None,
            "",
            "",
            1,
            submitted,
            submitted,
            submitted,
            None if is_open else submitted + took,
        )


def main(total: int) -> None:
    region = Region.objects.get(slug="banyuwangi")
    have = Application.objects.filter(ref__startswith="bench").count()
    if have >= total:
        print(f"fill: {have} synthetic applications already there")
        return
    users = list(User.objects.filter(login__startswith="bench-").values_list("pk", flat=True))
    if len(users) < 1000:
        password = make_password(None)
        User.objects.bulk_create(
            [User(login=f"bench-{n}@bench.invalid", full_name=f"Warga {n}", password=password) for n in range(1000)],
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(login__startswith="bench-").values_list("pk", flat=True))
    services = [
        (s, s.steps.order_by("order").first(), s.current_version_id) for s in Service.objects.filter(region=region)
    ]
    villages = list(Area.objects.filter(region=region, level__in=(4, 5)).values_list("code", flat=True))
    offices = dict(Agency.objects.filter(region=region, kind="desa").values_list("area_id", "pk"))
    capil = Agency.objects.get(region=region, slug="dispendukcapil").pk
    ctx = (services, villages, offices, capil, users, timezone.now())
    started = time.monotonic()
    table = Application._meta.db_table
    batch = 50_000
    for start in range(have + 1, total + 1, batch):
        stop = min(start + batch, total + 1)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                raw = connection.connection
                with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows(start, stop, ctx):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", list(rows(start, stop, ctx))
                    )
        print(f"fill: {stop - 1} applications ({time.monotonic() - started:.0f} s)", flush=True)
    events = "applications_timelineevent"
    with_events = os.environ.get("BENCH_EVENTS", "1") != "0"  # the dashboards' benchmark reads none
    with transaction.atomic(), connection.cursor() as cursor:
        after = _max_event_app_id(cursor)  # events exist up to here (an earlier, partial fill)
        for kind, at, where in (
            ("submitted", "submitted_at", ""),
            ("completed", "closed_at", "AND a.closed_at IS NOT NULL"),
        ):
            if not with_events:
                break
            cursor.execute(
                f"INSERT INTO {events} (application_id, at, kind, step_name, message, internal) "
                f"SELECT a.id, a.{at}, %s, '', '', %s FROM {table} a WHERE a.ref LIKE 'bench%%' "
                f"AND a.id > %s {where}",
                [kind, False, after],
            )
    if connection.vendor == "postgresql":  # the steady state autovacuum reaches: statistics and visibility map
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute(f"VACUUM ANALYZE {events}")
    print(f"fill: done, {total} applications in {time.monotonic() - started:.0f} s", flush=True)


REPORT_COLUMNS = [
    "region_id",
    "category_id",
    "agency_id",
    "tracking_code",
    "kind",
    "title",
    "description",
    "attributes",
    "desa_id",
    "address",
    "media_url",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "anonymous",
    "confidential",
    "channel",
    "status",
    "status_notes",
    "due_at",
    "settle_by",
    "redacted",
    "public_description",
    "client_key",
    "source_digest",
    "version",
    "created_at",
    "updated_at",
    "verified_at",
    "first_response_at",
    "responded_at",
    "closed_at",
]
REPORT_STATES = ["resolved"] * 12 + ["closed"] * 4 + ["responded", "forwarded", "received", "archived"]


def report_code(i: int) -> str:
    return f"BWIP-{i // 10000:04d}-{i % 10000:04d}"


def report_rows(start: int, stop: int, ctx):
    categories, villages, now = ctx
    for i in range(start, stop):
        category_id, agency_id, region_id = categories[i % len(categories)]
        created = now - dt.timedelta(minutes=(i * 7919) % (3 * 365 * 24 * 60))
        status = REPORT_STATES[i % len(REPORT_STATES)]
        verified = status not in ("received", "archived")
        closed = status in ("resolved", "closed", "archived")
        yield (
            region_id,
            category_id,
            agency_id if verified else None,
            report_code(i),
            "complaint",
            f"Laporan warga {i}",
            "Jalan berlubang di depan sekolah, mohon segera ditangani.",
            "{}",
            villages[i % len(villages)],
            "",
            "",
            "",
            "",
            "",
            i % 3 == 0,
            i % 50 == 0,
            "web",
            status,
            "",
            None if closed else created + dt.timedelta(days=5),
            created + dt.timedelta(days=61) if verified else None,
            False,
            "",
            "",
            "",
            1,
            created,
            created + dt.timedelta(days=3),
            created + dt.timedelta(days=1) if verified else None,
            created + dt.timedelta(days=3) if status in ("resolved", "closed", "responded") else None,
            created + dt.timedelta(days=3) if status in ("resolved", "closed", "responded") else None,
            created + dt.timedelta(days=4) if closed else None,
        )


def fill_reports(total: int) -> None:
    from gerai.complaints.models import Category, Report

    region = Region.objects.get(slug="banyuwangi")
    have = Report.objects.filter(tracking_code__startswith="BWIP-0").count()
    if have >= total:
        print(f"fill: {have} synthetic reports already there")
        return
    categories = [(c.pk, c.agency_id, region.pk) for c in Category.objects.filter(region=region)]
    villages = list(Area.objects.filter(region=region, level__in=(4, 5)).values_list("code", flat=True))
    ctx = (categories, villages, timezone.now())
    table = Report._meta.db_table
    started = time.monotonic()
    for start in range(have + 1, total + 1, 50_000):
        stop = min(start + 50_000, total + 1)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                raw = connection.connection
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({', '.join(REPORT_COLUMNS)}) FROM STDIN") as copy,
                ):
                    for row in report_rows(start, stop, ctx):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(REPORT_COLUMNS))
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(REPORT_COLUMNS)}) VALUES ({marks})",
                        list(report_rows(start, stop, ctx)),
                    )
        print(f"fill: {stop - 1} reports ({time.monotonic() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _max_event_app_id(cursor) -> int:
    cursor.execute(
        "SELECT COALESCE(MAX(application_id), 0) FROM applications_timelineevent "
        "WHERE application_id IN (SELECT id FROM applications_application WHERE ref LIKE 'bench%%')"
    )
    return cursor.fetchone()[0]


def fill_surveys(total: int) -> None:
    """Survey forms (walk-in and imported ones, tied to no application), spread over the same three years."""
    from gerai.surveys.models import SurveyResponse

    region = Region.objects.get(slug="banyuwangi")
    have = SurveyResponse.objects.filter(region=region, source="import").count()
    if have >= total:
        print(f"fill: {have} synthetic survey responses already there")
        return
    services = list(Service.objects.filter(region=region).values_list("pk", "owner_agency_id"))
    today = timezone.localdate()
    scores = [None, 2, 3, 3, 4, 4, 4]

    def responses(start: int, stop: int):
        for i in range(start, stop):
            service, agency = services[i % len(services)]
            answers = [scores[(i * (k + 3)) % len(scores)] or (None if k else 3) for k in range(9)]
            day = today - dt.timedelta(days=(i * 7919) % (3 * 365))
            yield SurveyResponse(
                region=region,
                service_id=service,
                agency_id=agency,
                source="import",
                answered_on=day,
                comment="",
                **{f"u{k + 1}": a for k, a in enumerate(answers)},
            )

    for start in range(have, total, 20_000):
        SurveyResponse.objects.bulk_create(responses(start, min(start + 20_000, total)), batch_size=5_000)
    print(f"fill: {total} survey responses", flush=True)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    main(count)
    fill_reports(int(os.environ.get("BENCH_REPORTS", count)))
    if os.environ.get("BENCH_SURVEYS"):
        fill_surveys(int(os.environ["BENCH_SURVEYS"]))

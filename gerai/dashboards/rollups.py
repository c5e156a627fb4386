"""Keeping the rollups: what one application, survey response or report contributes to them, the
change of that contribution when the row changes (recorded as a pending change in the same transaction
as the change, and added to the counters by `rollups_fold` right after), and a rebuild from scratch that
computes the same numbers with GROUP BY queries.

The incremental path and the rebuild describe the same function of the data in two ways; the
agreement test (tests/test_rollups.py) holds them to it.
"""

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from gerai.applications.models import ACTIONABLE_STATUSES, QUEUE_STATUSES, Application
from gerai.complaints.models import Report
from gerai.core import events, pagecache
from gerai.core.pagetopics import FIGURES
from gerai.dashboards.models import (
    ApplicationDays,
    ApplicationMonth,
    Backlog,
    Level,
    PendingChange,
    ReportDays,
    ReportMonth,
    ServiceGrain,
    SurveyMonth,
)
from gerai.lib.tables import records
from gerai.lib.workdays import working_days_between_dates
from gerai.regions.calendar import RegionCalendar
from gerai.surveys.models import SurveyResponse

FINAL = {"completed": "completed", "rejected": "rejected", "cancelled": "cancelled"}
SCORES = [f"u{i}" for i in range(1, 10)]

#: (model, key as a tuple of (field, value) pairs) -> {counter: delta}
Deltas = dict[tuple, Counter]


def _month(moment: dt.datetime, zone) -> dt.date:
    return timezone.localtime(moment, zone).date().replace(day=1)


def _grains(desa_id) -> list[tuple]:
    """The rows a desa's figures count in: the region's, its kecamatan's (the code's first three parts)
    and its own."""
    if not desa_id:
        return [(None, Level.REGION)]
    return [(None, Level.REGION), (desa_id[:8], Level.KECAMATAN), (desa_id, Level.VILLAGE)]


# --- contributions ---------------------------------------------------------------------------------


def application_state(application) -> tuple:
    """The fields the rollups depend on; when none of them changed, nothing needs doing."""
    a = application
    flagged = a.overdue_notified_at is not None
    return (
        a.region_id,
        a.service_id,
        a.desa_id,
        a.status,
        a.submitted_at,
        a.closed_at,
        a.due_at,
        a.current_agency_id,
        flagged,
    )


def application_contribution(state: tuple, region) -> Deltas:
    region_id, service_id, desa_id, status, submitted_at, closed_at, due_at, agency_id, flagged = state
    out: Deltas = defaultdict(Counter)
    if submitted_at is None:  # a draft, or a draft given up: not a service user
        return out
    zone = region.zone
    for area, level in _grains(desa_id):
        key = (("region_id", region_id), ("service_id", service_id), ("area_id", area), ("level", level))
        if status in QUEUE_STATUSES and agency_id:
            held = out[(Backlog, (*key, ("agency_id", agency_id)))]
            held["open"] += 1
            held["waiting"] += status == "needs_correction"
            held["overdue"] += status in ACTIONABLE_STATUSES and flagged
        out[(ApplicationMonth, (*key, ("month", _month(submitted_at, zone))))]["submitted"] += 1
        if status in FINAL and closed_at is not None:
            closing = (*key, ("month", _month(closed_at, zone)))
            out[(ApplicationMonth, closing)][FINAL[status]] += 1
            if status == "completed":
                out[(ApplicationMonth, closing)]["completed_in_sla"] += due_at is not None and closed_at <= due_at
                days = _working_days(region, submitted_at, closed_at)
                out[(ApplicationDays, (*closing, ("days", days)))]["n"] += 1
    return out


def _working_days(region, start: dt.datetime, end: dt.datetime) -> int:
    zone = region.zone
    return _days_between(region, timezone.localtime(start, zone).date(), timezone.localtime(end, zone).date())


def _days_between(region, start: dt.date, end: dt.date) -> int:
    return min(working_days_between_dates(start, end, RegionCalendar(region).is_working_day), 32767)


def survey_contribution(response, desa_id) -> Deltas:
    out: Deltas = defaultdict(Counter)
    month = response.answered_on.replace(day=1)
    for area, level in _grains(desa_id):
        key = (
            ("region_id", response.region_id),
            ("service_id", response.service_id),
            ("area_id", area),
            ("level", level),
            ("month", month),
        )
        counts = out[(SurveyMonth, key)]
        counts["respondents"] += 1
        for i, score in enumerate(response.scores, start=1):
            if score is not None:
                counts[f"s{i}"] += score
                counts[f"n{i}"] += 1
    return out


def report_state(report) -> tuple:
    r = report
    return (r.region_id, r.category_id, r.status, r.created_at, r.first_response_at, r.closed_at)


def report_contribution(state: tuple, region) -> Deltas:
    region_id, category_id, status, created_at, first_response_at, closed_at = state
    out: Deltas = defaultdict(Counter)
    zone = region.zone
    key = (("region_id", region_id), ("category_id", category_id))
    out[(ReportMonth, (*key, ("month", _month(created_at, zone))))]["filed"] += 1
    if first_response_at is not None:
        answered = (*key, ("month", _month(first_response_at, zone)))
        out[(ReportMonth, answered)]["responded"] += 1
        out[(ReportDays, (*answered, ("days", _working_days(region, created_at, first_response_at))))]["n"] += 1
    if status == "resolved" and closed_at is not None:
        out[(ReportMonth, (*key, ("month", _month(closed_at, zone))))]["resolved"] += 1
    return out


# --- applying changes ------------------------------------------------------------------------------


def difference(before: Deltas, after: Deltas) -> Deltas:
    out: Deltas = defaultdict(Counter)
    for row in before.keys() | after.keys():
        delta = Counter(after.get(row, {}))
        delta.subtract(before.get(row, {}))
        delta = Counter({name: n for name, n in delta.items() if n})
        if delta:
            out[row] = delta
    return out


def add(deltas: Deltas) -> None:
    """Add the deltas to their rows. The rows of one change that move by the same amounts (the region's,
    the kecamatan's and the desa's) are written together: one INSERT … ON CONFLICT DO NOTHING that makes
    sure they exist, then one UPDATE … SET n = n + d. Two transactions creating the same row cannot both
    insert it, and neither loses its increment. Runs inside the caller's transaction; services call
    `record`, and `rollups_fold` calls this."""
    groups: dict = defaultdict(list)
    for (model, key), delta in deltas.items():
        fields = dict(key)
        grain = (fields.pop("area_id", None), fields.pop("level", None))
        groups[(model, tuple(sorted(fields.items())), tuple(sorted(delta.items())))].append(grain)
    for (model, key, delta), grains in sorted(groups.items(), key=lambda item: (item[0][0].__name__, str(item[0][1:]))):
        fields = dict(key)
        has_area = issubclass(model, ServiceGrain)
        model.objects.bulk_create(
            [model(**fields, **({"area_id": a, "level": lv} if has_area else {})) for a, lv in grains],
            ignore_conflicts=True,
        )
        rows = model.objects.filter(**fields)
        if has_area:
            areas = [a for a, _ in grains if a is not None]
            region_wide = Q(area__isnull=True) if len(areas) < len(grains) else Q(pk__in=[])
            rows = rows.filter(region_wide | Q(area_id__in=areas))
        updated = rows.update(**{name: F(name) + n for name, n in delta})
        if updated != len(grains):  # a bug, not a race: each row exists now
            raise RuntimeError(f"rollup {model.__name__}: {updated} rows updated, {len(grains)} expected")


# --- pending changes -------------------------------------------------------------------------------

MODELS = {m.__name__: m for m in (ApplicationMonth, ApplicationDays, Backlog, SurveyMonth, ReportMonth, ReportDays)}


def _encode(deltas: Deltas) -> list:
    return [
        [
            model.__name__,
            [[f, v.isoformat() if isinstance(v, dt.date) else v] for f, v in key],
            {name: int(n) for name, n in counts.items() if n},
        ]
        for (model, key), counts in deltas.items()
    ]


def _decode(rows: list) -> Deltas:
    out: Deltas = defaultdict(Counter)
    for name, key, counts in rows:
        fields = tuple((f, dt.date.fromisoformat(v) if f == "month" else v) for f, v in key)
        out[(MODELS[name], fields)].update(counts)
    return out


def _merge(total: Deltas, deltas: Deltas) -> None:
    for row, counts in deltas.items():
        total[row].update(counts)
        if not +total[row] and not -total[row]:
            del total[row]


def record(deltas: Deltas) -> None:
    """Keep a change of the counters, inside the caller's transaction: one appended row per region,
    which `rollups_fold` adds to the rollups once the transaction has committed. Inside an
    `events.batched()` block the changes are gathered first and written when it ends."""
    pending = events.buffer("rollups", factory=lambda: defaultdict(Counter), flush=_write)
    if pending is not None:
        _merge(pending, deltas)
    else:
        _write(deltas)


def _write(deltas: Deltas) -> None:
    if not deltas:
        return
    by_region: dict[int, Deltas] = defaultdict(dict)
    for (model, key), counts in deltas.items():
        by_region[dict(key)["region_id"]][(model, key)] = counts
    PendingChange.objects.bulk_create(
        [PendingChange(region_id=region_id, deltas=_encode(part)) for region_id, part in by_region.items()]
    )


def rollups_fold(*, limit: int = 1000) -> int:
    """Add pending changes to the rollups, oldest first, `limit` at a time; returns how many were added.
    Each batch is claimed with FOR UPDATE SKIP LOCKED and deleted in the transaction that adds it, so
    several workers (or a worker and a dashboard read) never add one change twice, and a crash adds none."""
    folded = 0
    while True:
        with transaction.atomic():
            batch = list(
                PendingChange.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "deltas", "region_id")[:limit]
            )
            if not batch:
                return folded
            total: Deltas = defaultdict(Counter)
            for _pk, rows, _region in batch:
                _merge(total, _decode(rows))
            add(total)
            PendingChange.objects.filter(pk__in=[pk for pk, _, _ in batch]).delete()
            for region_id in {region_id for _, _, region_id in batch}:
                pagecache.changed(region_id, FIGURES)  # the public figures moved, nothing else
        folded += len(batch)
        if len(batch) < limit:
            return folded


def application_changed(before: tuple | None, application) -> None:
    after = application_state(application)
    if before == after:
        return
    region = application.region
    old = application_contribution(before, region) if before else {}
    record(difference(old, application_contribution(after, region)))


def survey_counted(responses, desa_id: str | None = None) -> None:
    """New survey responses: one answered after an application (counted for its desa too), or staff's
    walk-in, paper and imported forms, which belong to no desa."""
    total: Deltas = defaultdict(Counter)
    for response in responses:
        _merge(total, survey_contribution(response, desa_id))
    record(total)


def survey_response_added(_before, response) -> None:
    """A survey response is only ever added; one answered after an application counts for its desa."""
    survey_counted([response], response.application.desa_id if response.application_id else None)


def report_changed(before: tuple | None, report) -> None:
    after = report_state(report)
    if before == after:
        return
    region = report.region
    old = report_contribution(before, region) if before else {}
    record(difference(old, report_contribution(after, region)))


# --- rebuilding ------------------------------------------------------------------------------------


def rollups_rebuild(region) -> dict[str, int]:
    """Recompute every rollup of a region from its applications, survey responses and reports."""
    days_between = lru_cache(maxsize=None)(lambda s, e: _days_between(region, s, e))
    months, days = _rebuilt_applications(region, days_between)
    backlog = _rebuilt_backlog(region)
    surveys = _rebuilt_surveys(region)
    report_months, report_days = _rebuilt_reports(region, days_between)
    rid = region.pk
    with transaction.atomic():
        # What is still pending is already in the counts above (run it while the region is quiet).
        PendingChange.objects.filter(region=region).delete()
        for model in MODELS.values():
            model.objects.filter(region=region).delete()
        _insert(
            ApplicationMonth,
            ({"service_id": s, "area_id": a, "level": lv, "month": m, **c} for (s, (a, lv), m), c in months.items()),
            rid,
        )
        _insert(
            ApplicationDays,
            (
                {"service_id": s, "area_id": a, "level": lv, "month": m, "days": n, **c}
                for (s, (a, lv), m, n), c in days.items()
            ),
            rid,
        )
        _insert(
            Backlog,
            (
                {"service_id": s, "agency_id": g, "area_id": a, "level": lv, **c}
                for (s, g, (a, lv)), c in backlog.items()
            ),
            rid,
        )
        _insert(
            SurveyMonth,
            ({"service_id": s, "area_id": a, "level": lv, "month": m, **c} for (s, (a, lv), m), c in surveys.items()),
            rid,
        )
        _insert(ReportMonth, ({"category_id": k, "month": m, **c} for (k, m), c in report_months.items()), rid)
        _insert(
            ReportDays, ({"category_id": k, "month": m, "days": n, **c} for (k, m, n), c in report_days.items()), rid
        )
    return {
        "application_months": len(months),
        "application_days": len(days),
        "backlog": len(backlog),
        "survey_months": len(surveys),
        "report_months": len(report_months),
        "report_days": len(report_days),
    }


def _rebuilt_applications(region, days_between) -> tuple[dict, dict]:
    """Submitted, closed and completed-within-SLA counts per service, grain and month, and the working
    days each completed application took."""
    zone = region.zone
    months: dict = defaultdict(Counter)
    days: dict = defaultdict(Counter)
    apps = Application.objects.filter(region=region, submitted_at__isnull=False)
    submitted = (
        apps.annotate(m=TruncMonth("submitted_at", tzinfo=zone))
        .values("service_id", "desa_id", "m")
        .annotate(n=Count("id"))
    )
    for row in records(submitted.iterator(chunk_size=5000)):
        for grain in _grains(row["desa_id"]):
            months[(row["service_id"], grain, _date(row["m"]))]["submitted"] += row["n"]
    closed = (
        apps.filter(status__in=list(FINAL), closed_at__isnull=False)
        .annotate(
            m=TruncMonth("closed_at", tzinfo=zone),
            in_sla=Case(When(due_at__isnull=False, closed_at__lte=F("due_at"), then=Value(1)), default=Value(0)),
        )
        .values("service_id", "desa_id", "status", "m", "in_sla")
        .annotate(n=Count("id"))
    )
    # Working days need the calendar: group by the pair of local dates, then count each pair once.
    completed = (
        apps.filter(status="completed", closed_at__isnull=False)
        .annotate(
            m=TruncMonth("closed_at", tzinfo=zone),
            start=TruncDate("submitted_at", tzinfo=zone),
            end=TruncDate("closed_at", tzinfo=zone),
        )
        .values("service_id", "desa_id", "m", "start", "end")
        .annotate(n=Count("id"))
    )
    for row in records(closed.iterator(chunk_size=5000)):
        for grain in _grains(row["desa_id"]):
            counts = months[(row["service_id"], grain, _date(row["m"]))]
            counts[FINAL[row["status"]]] += row["n"]
            if row["status"] == "completed" and row["in_sla"]:
                counts["completed_in_sla"] += row["n"]
    for row in records(completed.iterator(chunk_size=5000)):
        d = days_between(_date(row["start"]), _date(row["end"]))
        for grain in _grains(row["desa_id"]):
            days[(row["service_id"], grain, _date(row["m"]), d)]["n"] += row["n"]
    return months, days


def _rebuilt_backlog(region) -> dict:
    """The open, waiting and overdue applications each office holds now."""
    backlog: dict = defaultdict(Counter)
    held = (
        Application.objects.filter(region=region, status__in=list(QUEUE_STATUSES), current_agency__isnull=False)
        .exclude(submitted_at__isnull=True)
        .annotate(flagged=Case(When(overdue_notified_at__isnull=False, then=Value(1)), default=Value(0)))
        .values("service_id", "current_agency_id", "desa_id", "status", "flagged")
        .annotate(n=Count("id"))
    )
    for row in records(held):
        for grain in _grains(row["desa_id"]):
            counts = backlog[(row["service_id"], row["current_agency_id"], grain)]
            counts["open"] += row["n"]
            counts["waiting"] += row["n"] if row["status"] == "needs_correction" else 0
            counts["overdue"] += row["n"] if row["status"] in ACTIONABLE_STATUSES and row["flagged"] else 0
    return backlog


def _rebuilt_surveys(region) -> dict:
    surveys: dict = defaultdict(Counter)
    answers = (
        SurveyResponse.objects.filter(region=region)
        .annotate(m=TruncMonth("answered_on"))
        .values("service_id", "application__desa_id", "m")
        .annotate(
            respondents=Count("id"),
            **{f"s{i}": Sum(f"u{i}") for i in range(1, 10)},
            **{f"n{i}": Count(f"u{i}") for i in range(1, 10)},
        )
    )
    for row in records(answers.iterator(chunk_size=5000)):
        values = {k: v or 0 for k, v in row.items() if k == "respondents" or k[0] in "sn" and k[1:].isdigit()}
        for grain in _grains(row["application__desa_id"]):
            surveys[(row["service_id"], grain, _date(row["m"]))].update(values)
    return surveys


def _rebuilt_reports(region, days_between) -> tuple[dict, dict]:
    zone = region.zone
    report_months: dict = defaultdict(Counter)
    report_days: dict = defaultdict(Counter)
    reports = Report.objects.filter(region=region)
    for row in records(
        reports.annotate(m=TruncMonth("created_at", tzinfo=zone)).values("category_id", "m").annotate(n=Count("id"))
    ):
        report_months[(row["category_id"], _date(row["m"]))]["filed"] += row["n"]
    first = (
        reports.filter(first_response_at__isnull=False)
        .annotate(
            m=TruncMonth("first_response_at", tzinfo=zone),
            start=TruncDate("created_at", tzinfo=zone),
            end=TruncDate("first_response_at", tzinfo=zone),
        )
        .values("category_id", "m", "start", "end")
        .annotate(n=Count("id"))
    )
    for row in records(first):
        month = _date(row["m"])
        report_months[(row["category_id"], month)]["responded"] += row["n"]
        report_days[(row["category_id"], month, days_between(_date(row["start"]), _date(row["end"])))]["n"] += row["n"]
    settled = (
        reports.filter(status="resolved", closed_at__isnull=False)
        .annotate(m=TruncMonth("closed_at", tzinfo=zone))
        .values("category_id", "m")
        .annotate(n=Count("id"))
    )
    for row in records(settled):
        report_months[(row["category_id"], _date(row["m"]))]["resolved"] += row["n"]
    return report_months, report_days


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _insert(model, rows, region_id: int) -> None:
    """Write rebuilt rows: COPY on PostgreSQL (a large region has millions), bulk INSERTs elsewhere."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    values = ((defaults | {"region_id": region_id} | row) for row in rows)
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row([row[name] for name in names])
    else:
        model.objects.bulk_create((model(**row) for row in values), batch_size=2000)

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Lookup, Q
from django.http import Http404
from django.utils import timezone

from gerai.accounts.models import User
from gerai.accounts.selectors import staff_agency_ids
from gerai.applications.models import (
    ACTIONABLE_STATUSES,
    QUEUE_STATUSES,
    Application,
    ApplicationDocument,
    Status,
    TimelineEvent,
)
from gerai.applications.policy import staff_visibility_q
from gerai.catalog.models import Service
from gerai.core.memo import ttl_memo
from gerai.lib.codes import normalize_tracking_code
from gerai.regions.models import Area


def applications_of_citizen(region, user):
    return Application.objects.filter(region=region, applicant=user).select_related("service").order_by("-created_at")


def application_of_citizen(region, user, ref: str) -> Application:
    """The applicant's own application, or one a counter operator is filling in for a citizen who has not
    claimed it (once claimed, it is the citizen's alone: the officer handles it from the queue like any other)."""
    filling_in = Q(
        created_by=user,
        assisted=True,
        applicant__isnull=True,
        status__in=[Status.DRAFT, Status.NEEDS_CORRECTION],
    )
    own = Q(applicant=user) | filling_in
    try:
        return (
            Application.objects.filter(own, region=region)
            .select_related("region", "desa", "service", "service_version")
            .get(ref=ref)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def applications_for_staff(region, user):
    base = Application.objects.filter(region=region).exclude(status=Status.DRAFT)
    visible = staff_visibility_q(user, region)
    if visible is not None:
        # a subquery, not a join: no duplicate rows and the count stays one query
        base = base.filter(pk__in=Application.objects.filter(visible).values("pk"))
    return base


def application_for_staff(region, user, ref: str) -> Application:
    try:
        return (
            applications_for_staff(region, user)
            .select_related(
                "region", "service", "service_version", "applicant", "current_agency", "assignee", "desa__parent"
            )
            .get(ref=ref)
        )
    except Application.DoesNotExist:
        raise Http404 from None


class _InLiterals(Lookup):
    """column IN ('a', 'b'), with the values written as literals so that SQLite, like PostgreSQL, can read
    the queue off the partial index app_open_queue (whose condition is written the same way). The values
    are code constants, never input. A Lookup, not RawSQL: the column takes the alias of whatever query it
    lands in, a subquery's too, and SQLite gets the bare condition (a Func would become "(…) = 1")."""

    lookup_name = "in_literals"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        assert all(value.isidentifier() for value in self.rhs)
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(f"'{value}'" for value in self.rhs)})", params


def _in_queue() -> _InLiterals:
    return _InLiterals(F("status"), tuple(status.value for status in QUEUE_STATUSES))


QUEUE_SORTS = {
    "due": ("due_at", "pk"),
    "-due": ("-due_at", "-pk"),
    "new": ("-submitted_at", "-pk"),
    "old": ("submitted_at", "pk"),
}


def queue_for_staff(
    region,
    user,
    *,
    agencies=None,
    status: str = "",
    service: str = "",
    desa: str = "",
    mine: bool = False,
    overdue: bool = False,
    sort: str = "due",
):
    """The officer's work queue: applications waiting at the user's agencies (or the given ones), filterable."""
    if agencies is None:
        agencies = staff_agency_ids(user, region)
    qs = Application.objects.filter(region=region, current_agency_id__in=agencies)
    qs = qs.filter(status=status) if status in QUEUE_STATUSES else qs.filter(_in_queue())
    if service:
        qs = qs.filter(service__slug=service)
    if desa:
        qs = qs.filter(desa_id=desa)
    if mine:
        qs = qs.filter(assignee=user)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now(), status__in=ACTIONABLE_STATUSES)
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["due"]))


QUEUE_ROW_FIELDS = (
    "ref",
    "tracking_code",
    "status",
    "due_at",
    "service_id",
    "step_name",
    "assignee_id",
    "desa_id",
)


def queue_rows_for_staff(region, user, **filters):
    """The queue as plain rows from the application table alone: with no join, both the page and its
    count are read off the open-queue index. Names come from queue_names()."""
    return queue_for_staff(region, user, **filters).values(*QUEUE_ROW_FIELDS)


@ttl_memo
def queue_names(region_id: int) -> dict[str, dict]:
    """Names the queue shows, per region: services, villages and staff (few, and rarely changed); a row carries
    its step's name (as the version it was filed under names it)."""

    return {
        "service": dict(Service.objects.filter(region_id=region_id).values_list("pk", "name")),
        "desa": dict(Area.objects.filter(region_id=region_id).values_list("code", "name")),
        "staff": dict(User.objects.filter(staff_roles__region_id=region_id).values_list("pk", "full_name")),
    }


@dataclass
class TrackingEvent:
    at: dt.datetime
    kind: str
    step_name: str

    def get_kind_display(self) -> str:
        return str(TimelineEvent.Kind(self.kind).label)


@dataclass
class Tracking:
    """What anyone holding a tracking code may see: never the applicant, answers, documents or reasons."""

    tracking_code: str
    status: str
    service_name: str
    step_name: str | None
    due_at: dt.datetime | None
    submitted_at: dt.datetime | None
    history: list[TrackingEvent] = field(default_factory=list)

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status in QUEUE_STATUSES


def _aware(value):
    if isinstance(value, str):  # SQLite without declared-type conversion
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


_TRACKING_SQL = (
    "SELECT a.tracking_code, a.status, s.name, a.step_name, a.due_at, a.submitted_at, e.at, e.kind, e.step_name "
    "FROM {a} a JOIN {s} s ON s.id = a.service_id "
    "LEFT JOIN {e} e ON e.application_id = a.id AND e.internal = %s "
    "WHERE a.region_id = %s AND a.tracking_code = %s AND a.status <> %s ORDER BY e.at, e.id"
)


def tracking_lookup(region, raw_code: str) -> Tracking | None:
    """The public tracking view of one application in one SQL statement: the hottest public read
    (links in letters, QR codes, other systems) pays one round trip and no ORM compilation."""
    code = normalize_tracking_code(raw_code)
    if not code:
        return None
    # Only table names from model metadata are put into the text; every value is a parameter.
    tables = dict(zip("ase", (m._meta.db_table for m in (Application, Service, TimelineEvent)), strict=True))
    sql = _TRACKING_SQL.format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, region.pk, code, Status.DRAFT.value])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    tracking = Tracking(first[0], first[1], first[2], first[3] or None, _aware(first[4]), _aware(first[5]))
    tracking.history = [TrackingEvent(_aware(r[6]), r[7], r[8]) for r in rows if r[7] is not None]
    return tracking


def public_events(application):
    return application.events.filter(internal=False).select_related("agency").order_by("at", "pk")


def applicant_desa_code(application) -> str | None:
    """Where the applicant lives, if in the application's region: the application's desa (taken from the profile
    when it was started), else the profile's desa now. A desa question starts with it."""
    if application.desa_id:
        return application.desa_id
    profile = getattr(application.applicant, "citizen", None)
    if profile and profile.desa_id and profile.desa.region_id == application.region_id:
        return profile.desa_id
    return None


def document_of_citizen(region, user, ref: str, pk) -> ApplicationDocument:
    application = application_of_citizen(region, user, ref)
    return _document(application, pk)


def document_for_staff(region, user, ref: str, pk) -> ApplicationDocument:
    application = application_for_staff(region, user, ref)
    return _document(application, pk)


def _document(application, pk) -> ApplicationDocument:
    try:
        return application.documents.select_related("requirement").get(pk=pk)
    except (ApplicationDocument.DoesNotExist, ValueError):
        raise Http404 from None


def overdue_unnotified():
    return Application.objects.filter(
        status__in=ACTIONABLE_STATUSES, due_at__lt=timezone.now(), overdue_notified_at__isnull=True
    ).filter(~Q(due_at=None))


def officers_of_agencies(region, agency_ids):
    """(id, name) of the staff of these agencies of the region: whom a supervisor may assign work to."""
    staff = User.objects.filter(staff_roles__region=region, staff_roles__agency_id__in=agency_ids, is_active=True)
    return list(staff.distinct().order_by("full_name").values_list("pk", "full_name"))


def staff_member_get(region, pk):
    """A staff member of this region (an assignee), or None; whether they belong to the agency that
    holds the application is the assign service's check."""
    try:
        return User.objects.filter(staff_roles__region=region, is_active=True).distinct().get(pk=int(pk or 0))
    except (User.DoesNotExist, ValueError):
        return None


def applications_of_user(user):
    """All of a person's applications, every region (the API's "my applications")."""
    return (
        Application.objects.filter(applicant=user).select_related("service", "current_agency").order_by("-created_at")
    )


def application_by_idempotency_key(user, key: str) -> Application | None:
    """The application this user already made with this Idempotency-Key (a unique lookup, no ordering)."""
    try:
        return applications_of_user(user).get(idempotency_key=key)
    except Application.DoesNotExist:
        return None


def counter_filing_of_officer(region, user, ref: str) -> Application:
    """An application the officer filed at the counter (the one who filed it, and only in this region)."""
    try:
        return (
            Application.objects.filter(region=region, created_by=user, assisted=True, counter_filing__isnull=False)
            .select_related("region", "service", "desa__parent", "counter_filing", "created_by")
            .get(ref=ref)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def counter_drafts_of_officer(region, user):
    """The officer's counter filings not sent yet, newest first."""
    return (
        Application.objects.filter(
            region=region, created_by=user, assisted=True, counter_filing__isnull=False, status=Status.DRAFT
        )
        .select_related("service", "counter_filing")
        .order_by("-created_at")
    )

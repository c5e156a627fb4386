from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from gerai.applications.models import ACTIONABLE_STATUSES, Application, ApplicationDocument, Status
from gerai.applications.policy import staff_visibility_q
from gerai.lib.codes import normalize_tracking_code


def applications_of_citizen(region, user):
    return (
        Application.objects.filter(region=region, applicant=user)
        .select_related("service", "current_step")
        .order_by("-created_at")
    )


def application_of_citizen(region, user, ref: str) -> Application:
    """The applicant's own application, or one a counter operator is filling in for a citizen."""
    own = Q(applicant=user) | Q(created_by=user, assisted=True, status__in=[Status.DRAFT, Status.NEEDS_CORRECTION])
    try:
        return (
            Application.objects.filter(own, region=region)
            .select_related("region", "desa", "service", "current_step")
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
                "region", "service", "applicant", "current_step", "current_agency", "assignee", "desa__parent"
            )
            .get(ref=ref)
        )
    except Application.DoesNotExist:
        raise Http404 from None


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
    status: str = "",
    service: str = "",
    desa: str = "",
    mine: bool = False,
    overdue: bool = False,
    sort: str = "due",
):
    """The officer's work queue: applications waiting at the user's agencies, filterable."""
    from gerai.accounts.selectors import staff_agency_ids

    agencies = staff_agency_ids(user, region)
    qs = Application.objects.filter(region=region, current_agency_id__in=agencies)
    if status in Status.values and status != Status.DRAFT:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[*ACTIONABLE_STATUSES, Status.NEEDS_CORRECTION])
    if service:
        qs = qs.filter(service__slug=service)
    if desa:
        qs = qs.filter(desa_id=desa)
    if mine:
        qs = qs.filter(assignee=user)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now(), status__in=ACTIONABLE_STATUSES)
    return qs.select_related("service", "current_step", "assignee", "desa").order_by(
        *QUEUE_SORTS.get(sort, QUEUE_SORTS["due"])
    )


def application_by_tracking_code(region, raw_code: str) -> Application | None:
    code = normalize_tracking_code(raw_code)
    if not code:
        return None
    return (
        Application.objects.filter(region=region, tracking_code=code)
        .exclude(status=Status.DRAFT)
        .select_related("service", "current_step", "current_agency")
        .first()
    )


def public_events(application):
    return application.events.filter(internal=False).select_related("agency").order_by("at", "pk")


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

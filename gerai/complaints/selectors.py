"""Reads of reports, always scoped to a region and to what the person may see."""

import datetime as dt
import re

from django.http import Http404
from django.utils import timezone

from gerai.complaints.models import OPEN_STATUSES, PUBLISHED_STATUSES, Category, Open311Key, Report, ReportUpdate
from gerai.complaints.policy import ReportView, public_q, public_view, staff_reports_q
from gerai.lib.codes import normalize_tracking_code


def categories_active(region):
    return Category.objects.filter(region=region, is_active=True).select_related("agency")


def categories_all(region):
    return Category.objects.filter(region=region).select_related("agency").order_by("order", "name")


def category_get(region, code) -> Category | None:
    """An active category of the region by its code (what forms, Open311 and the API all send). Codes may
    be all digits ("101"), so a code is never read as a row id."""
    return categories_active(region).filter(code=str(code)[:40]).first()


def report_by_token(region, token: str) -> Report | None:
    """The report an Open311 POST answered with this token."""
    return Report.objects.filter(region=region, open311_token=token[:24]).first()


def report_by_client_key(region, client_key: str) -> Report | None:
    """The report a retried submission (same Idempotency-Key) already made."""
    if not client_key:
        return None
    return (
        Report.objects.filter(region=region, client_key=client_key[:100]).select_related("category", "agency").first()
    )


def reports_public(region):
    """What anyone may browse (the one rule: complaints/policy.py's public_q), newest first."""
    return (
        Report.objects.filter(public_q(), region=region)
        .select_related("category", "agency", "desa")
        .order_by("-created_at", "-id")
    )


def report_by_code(region, raw_code: str) -> Report | None:
    code = normalize_tracking_code(raw_code)
    return (
        Report.objects.filter(region=region, tracking_code=code)
        .select_related("category", "agency", "desa", "region")
        .first()
    )


def public_updates(report):
    return report.updates.filter(public=True, hidden=False).select_related("agency")


def report_media(view: ReportView):
    """The photos and documents this viewer may see: none before publication, hidden ones for staff only."""
    if not view.media:
        return view.report.media.none()
    return view.report.media.all() if view.hidden_media else view.report.media.filter(hidden=False)


def reports_for_staff(region, user):
    queryset = Report.objects.filter(region=region)
    visible = staff_reports_q(user, region)
    return queryset if visible is None else queryset.filter(visible)


def report_for_staff(region, user, code: str) -> Report:
    report = (
        reports_for_staff(region, user)
        .filter(tracking_code=code)
        .select_related("category", "agency", "desa", "reporter")
        .first()
    )
    if report is None:
        raise Http404
    return report


def reports_of_reporter(region, user):
    return Report.objects.filter(region=region, reporter=user).select_related("category").order_by("-created_at")


def media_visible(view: ReportView, pk):
    item = report_media(view).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = {"yang", "dan", "di", "ke", "dari", "ada", "tidak", "sudah", "belum", "ini", "itu", "untuk", "dengan", "the"}


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def similar_reports_public(region, category, desa, text: str, *, exclude=None) -> list[Report]:
    """Hints for the public (while filing, and after): public reports only, matched on what the public sees."""
    return similar_reports(reports_public(region), category, desa, text, exclude=exclude, public=True)


def similar_reports(candidates, category, desa, text: str, *, exclude=None, public=False, limit=5) -> list[Report]:
    """Light duplicate hints among `candidates` (reports_public for the public, reports_for_staff for the
    coordinator): open or recent reports of the same category and desa whose words overlap (Jaccard ≥ 0.2)."""
    since = timezone.now() - dt.timedelta(days=90)
    candidates = candidates.filter(
        category=category, status__in=OPEN_STATUSES + PUBLISHED_STATUSES, created_at__gte=since
    ).select_related("category")
    if desa is not None:
        candidates = candidates.filter(desa=desa)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    mine = _words(text)
    scored = []
    for report in candidates.order_by("-created_at")[:100]:
        seen = public_view(report) if public else report
        theirs = _words(f"{seen.title} {seen.description}")
        if mine and theirs:
            score = len(mine & theirs) / len(mine | theirs)
            if score >= 0.2:
                scored.append((score, report))
    scored.sort(key=lambda pair: -pair[0])
    return [report for _, report in scored[:limit]]


def open311_key_valid(region, raw: str) -> Open311Key | None:
    if not raw:
        return None
    return Open311Key.objects.filter(region=region, digest=Open311Key.digest_of(raw), revoked_at__isnull=True).first()


def open311_keys_of(region):
    return Open311Key.objects.filter(region=region).order_by("-created_at")


def updates_for_staff(view: ReportView) -> list[tuple[ReportUpdate, bool]]:
    """The whole timeline, internal notes included, each with whether its author may be named."""
    return [(u, view.actor_shown(u)) for u in view.report.updates.select_related("actor", "agency")]


def staff_update_get(region, user, code: str, pk) -> ReportUpdate:
    report = report_for_staff(region, user, code)
    update = report.updates.filter(pk=pk).first()
    if update is None:
        raise Http404
    return update

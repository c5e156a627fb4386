"""Reads of the innovation library. The public sees published library entries of active regions that have the
module on; the office (planners and admins, gerai/accounts/policy.py Access.PLANNING) sees all of its own region's
entries, candidates, evidence and plans. Another region's row and a missing one give the same 404."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from gerai.dashboards.selectors import Scope, dashboard
from gerai.innovation.iid import Entry, iid_model, iid_score, model_years
from gerai.innovation.models import Evidence, Innovation, RoadmapPlan

MODULE = "inovasi"


def _public():
    return (
        Innovation.objects.filter(kind=Innovation.Kind.OWN, is_published=True, region__is_active=True)
        .select_related("region")
        .order_by("name", "pk")
    )


def _module_on(region) -> bool:
    return MODULE in (region.modules or [])


def innovations_public(region=None, *, q: str = "", form: str = "", stage: str = "", digital: str = ""):
    """The published library of one region, or of every region with the module on, searched and filtered."""
    rows = _public()
    if region is not None:
        if not _module_on(region):
            return rows.none()
        rows = rows.filter(region=region)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(problem__icontains=q) | Q(approach__icontains=q))
    if form:
        rows = rows.filter(form=form)
    if stage:
        rows = rows.filter(stage=stage)
    if digital in ("1", "0"):
        rows = rows.filter(is_digital=digital == "1")
    return rows.annotate(adoption_count=Count("adoptions", distinct=True))


def regions_with_library(rows) -> list:
    """Only rows of regions that have the module on (checked in Python: JSON containment differs between SQLite
    and PostgreSQL)."""
    return [row for row in rows if _module_on(row.region)]


def innovation_get_public(region, code: str) -> Innovation:
    innovation = innovations_public(region).filter(code=code).first()
    if innovation is None:
        raise Http404
    return innovation


def innovations_of(region):
    """Everything of the region's own, for its office: the library and the candidates."""
    return (
        Innovation.objects.filter(region=region)
        .select_related("adopted_from__region")
        .prefetch_related("prerequisites", "excludes")
        .order_by("kind", "name", "pk")
    )


def candidates_of(region):
    return innovations_of(region).filter(kind=Innovation.Kind.CANDIDATE)


def innovation_get(region, code: str) -> Innovation:
    innovation = innovations_of(region).filter(code=code).first()
    if innovation is None:
        raise Http404
    return innovation


def innovations_by_codes(region, codes) -> list[Innovation]:
    return list(Innovation.objects.filter(region=region, code__in=list(codes)))


def adoptable_for(region, *, q: str = ""):
    """Other regions' published innovations, each with whether this region adopted it already."""
    rows = _public().exclude(region=region)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(problem__icontains=q))
    adopted = set(
        Innovation.objects.filter(region=region, adopted_from__isnull=False).values_list("adopted_from_id", flat=True)
    )
    out = regions_with_library(rows)
    for row in out:
        row.already_adopted = row.pk in adopted
    return out


def adoptable_get(region, code: str) -> Innovation:
    source = _public().exclude(region=region).filter(code=code).first()
    if source is None or not _module_on(source.region):
        raise Http404
    return source


def evidence_of(region, innovation: Innovation | None = None):
    rows = Evidence.objects.filter(region=region)
    return rows.filter(innovation=innovation) if innovation is not None else rows.filter(innovation__isnull=True)


def evidence_get(region, code: str) -> Evidence:
    evidence = Evidence.objects.filter(region=region, code=code).select_related("innovation").first()
    if evidence is None:
        raise Http404
    return evidence


def live_figures(region, year: int | None = None) -> dict:
    """Gerai's own figures an innovation may move, from the transparency dashboard (None where too few)."""
    year = year or timezone.localdate(timezone=region.zone).year
    headline = dashboard(Scope(region=region, year=year, public=True)).headline
    return {
        "ikm": headline.get("ikm"),
        "sla": headline.get("in_sla_pct"),
        "online": headline.get("submitted"),
        "complaints": None,  # not yet measured as a settled share
    }


def _year_end(region, year: int) -> datetime.datetime:
    """The first instant of the next year in the region's time zone: what the library held by then counts."""
    return datetime.datetime(year + 1, 1, 1, tzinfo=region.zone)


def iid_for(region, year: int | None = None, live: dict | None = None):
    """The region's IID self-score under the model in force in `year`, from the library as it stood at the end
    of that year: its published innovations of its own, the evidence uploaded under that model, adoptions by
    other regions made by then, and the public (small samples suppressed) live figures of that year."""
    year = year or timezone.localdate(timezone=region.zone).year
    model = iid_model(year)
    end = _year_end(region, year)
    own = list(
        Innovation.objects.filter(region=region, kind=Innovation.Kind.OWN, is_published=True, created_at__lt=end)
        .annotate(
            replications=Count(
                "adoptions__region",
                filter=~Q(adoptions__region=region) & Q(adoptions__adopted_at__lt=end),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )
    counted = {i.pk for i in own}
    evidence = Evidence.objects.filter(region=region, model_year=model.year, created_at__lt=end)
    region_levels: dict[str, int] = {}
    by_innovation: dict[int, dict[str, int]] = {}
    for row in evidence:
        if row.innovation_id is not None and row.innovation_id not in counted:
            continue  # a draft, a candidate, or one added after that year: not in the score
        target = region_levels if row.innovation_id is None else by_innovation.setdefault(row.innovation_id, {})
        target[row.indicator] = max(target.get(row.indicator, 0), row.level)
    entries = [
        Entry(name=i.name, levels=by_innovation.get(i.pk, {}), is_digital=i.is_digital, replications=i.replications)
        for i in own
    ]
    if live is None:
        live = live_figures(region, year)
    return iid_score(model, region_levels=region_levels, entries=entries, live=live)


def iid_public(region, year: int):
    """The IID a public page may show for a year, or None: none before the first IID model's year (no score is
    invented for a year no model scored), none where the region kept no library, and none where it had no
    published innovation of its own by the end of that year."""
    if year < model_years()[0] or not _module_on(region):
        return None
    published = Innovation.objects.filter(
        region=region, kind=Innovation.Kind.OWN, is_published=True, created_at__lt=_year_end(region, year)
    )
    return iid_for(region, year) if published.exists() else None


def plans_of(region):
    return RoadmapPlan.objects.filter(region=region).select_related("created_by").order_by("-version")


def plan_get(region, code: str) -> RoadmapPlan:
    plan = plans_of(region).filter(code=code).first()
    if plan is None:
        raise Http404
    return plan


def plan_latest(region) -> RoadmapPlan | None:
    return plans_of(region).first()


def public_detail_prefetch(rows):
    return rows.prefetch_related(
        Prefetch("services"), Prefetch("prerequisites", queryset=Innovation.objects.order_by("name"))
    )

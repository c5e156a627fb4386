"""Reads of a region's destinations and events. The public reads published rows only; the office reads its own
region's rows. A missing row, a draft and another region's row give the same 404."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gerai.regions.models import Area, Region
from gerai.tourism.models import Destination, Event, Photo

MODULE = Region.Module.TOURISM


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: the event itself, or one year of a yearly one."""

    event: Event
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


def _with_photos(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("position", "pk")))


# --- destinations ---------------------------------------------------------------------------------


def destinations_public(
    region, *, kind: str = "", kecamatan: str = "", query: str = "", free: bool = False, wheelchair: bool = False
) -> QuerySet:
    rows = Destination.objects.filter(region=region, is_published=True).select_related("area", "area__parent")
    if kind:
        rows = rows.filter(kind=kind)
    if kecamatan:
        rows = rows.filter(Q(area_id=kecamatan) | Q(area__parent_id=kecamatan))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(name_en__icontains=query) | Q(summary__icontains=query))
    if free:
        rows = rows.filter(ticket_price=0)
    if wheelchair:
        rows = rows.filter(wheelchair=True)
    return _with_photos(rows.order_by("name"))


def destination_public_get(region, slug: str) -> Destination:
    destination = _with_photos(
        Destination.objects.filter(region=region, slug=slug, is_published=True).select_related("area", "area__parent")
    ).first()
    if destination is None:
        raise Http404
    return destination


def destinations_featured(region, limit: int = 3) -> list[Destination]:
    rows = Destination.objects.filter(region=region, is_published=True, is_featured=True)
    return list(_with_photos(rows.order_by("name"))[:limit])


def destinations_of(region) -> QuerySet:
    """Every destination of the region, drafts included: the office's list."""
    return Destination.objects.filter(region=region).select_related("area").order_by("name")


def destination_get(region, slug: str) -> Destination:
    destination = _with_photos(Destination.objects.filter(region=region, slug=slug).select_related("area")).first()
    if destination is None:
        raise Http404
    return destination


def photo_get(region, code: str) -> Photo:
    photo = Photo.objects.filter(code=code, destination__region=region).select_related("destination").first()
    if photo is None:
        raise Http404
    return photo


def kecamatans_with_destinations(region) -> list:
    """The kecamatans that have a published destination (in them or in one of their desa), for the filter."""
    rows = Destination.objects.filter(region=region, is_published=True, area__isnull=False)
    codes = set()
    for level, own, parent in rows.values_list("area__level", "area_id", "area__parent_id"):
        codes.add(own if level == Area.Level.KECAMATAN else parent)
    return list(Area.objects.filter(code__in=codes).order_by("name"))


# --- events ---------------------------------------------------------------------------------------


def _events(region, *, published: bool = True) -> QuerySet:
    rows = Event.objects.filter(region=region).select_related("destination", "destination__area")
    return rows.filter(is_published=True) if published else rows


def _years(event: Event, zone, first: int, last: int):
    """The event's occurrences in the years first..last (local wall time kept; 29 February only in leap years)."""
    start = timezone.localtime(event.starts_at, zone)
    length = event.ends_at - event.starts_at
    for year in range(max(first, start.year), last + 1):
        try:
            moved = start.replace(year=year)
        except ValueError:  # 29 February
            continue
        moved = moved.replace(tzinfo=None).replace(tzinfo=zone)
        yield Occurrence(event, moved, moved + length)


def occurrences(
    region, start: dt.datetime, end: dt.datetime, *, category: str = "", published: bool = True
) -> list[Occurrence]:
    """Every occurrence that overlaps [start, end), earliest first: one-off events as they are, yearly events
    on each of their dates."""
    rows = _events(region, published=published).filter(starts_at__lt=end)
    if category:
        rows = rows.filter(category=category)
    once = rows.exclude(recurrence=Event.Recurrence.YEARLY).filter(ends_at__gt=start)
    found = [Occurrence(e, e.starts_at, e.ends_at) for e in once]
    zone = region.zone
    first, last = timezone.localtime(start, zone).year - 1, timezone.localtime(end, zone).year
    for event in rows.filter(recurrence=Event.Recurrence.YEARLY):
        found += [o for o in _years(event, zone, first, last) if o.starts_at < end and o.ends_at > start]
    return sorted(found, key=lambda o: (o.starts_at, o.event.pk))


def upcoming(
    region, *, limit: int | None = None, category: str = "", days: int = 400, after: dt.datetime | None = None
) -> list[Occurrence]:
    """What is on now (or at `after`) and next, within `days`."""
    now = after or timezone.now()
    found = occurrences(region, now, now + dt.timedelta(days=days), category=category)
    return found[:limit] if limit else found


def next_occurrence(event: Event) -> Occurrence:
    """The event's date that has not ended yet (a yearly event's next one), else its last one."""
    if not event.is_yearly:
        return Occurrence(event, event.starts_at, event.ends_at)
    now, zone = timezone.now(), event.region.zone
    year = timezone.localtime(now, zone).year
    dates = list(_years(event, zone, year - 1, year + 4))
    coming = [o for o in dates if o.ends_at > now]
    return coming[0] if coming else Occurrence(event, event.starts_at, event.ends_at)


def archive(region, *, category: str = "") -> list[Occurrence]:
    """Past occurrences, the latest first: one-off events that have ended and past years of yearly events."""
    now = timezone.now()
    first = _events(region).order_by("starts_at").values_list("starts_at", flat=True).first()
    if first is None:
        return []
    past = [o for o in occurrences(region, first, now, category=category) if o.ends_at <= now]
    return sorted(past, key=lambda o: o.starts_at, reverse=True)


def event_public_get(region, slug: str) -> Event:
    event = _events(region).filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def events_public(region, *, category: str = "") -> QuerySet:
    rows = _events(region)
    return rows.filter(category=category) if category else rows


def events_of(region) -> QuerySet:
    """Every event of the region, drafts included, the latest first: the office's list."""
    return _events(region, published=False).order_by("-starts_at", "-pk")


def event_get(region, slug: str) -> Event:
    event = _events(region, published=False).filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def venue_choices(region) -> list[tuple[int, str]]:
    return list(Destination.objects.filter(region=region).order_by("name").values_list("pk", "name"))

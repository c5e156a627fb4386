"""Public pages (destinations, the agenda, its iCalendar feeds) and the office's pages (docs/tourism.md)."""

import datetime as dt

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.policy import Access
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.core.pagetopics import TOURISM
from gerai.tourism import ical, jsonld, selectors, services
from gerai.tourism.bilingual import alt_language, alt_text, texts
from gerai.tourism.forms import DestinationFilter, DestinationForm, EventForm, PhotoForm
from gerai.tourism.models import Destination, Event
from gerai.tourism.policy import may_edit, module_required

FEED_HOURS = 1  # how long a feed or a photo index may be cached by a client


def _language() -> str:
    return translation.get_language() or "id"


def _photo_url(request, photo, width: int) -> str:
    return reverse("tourism:photo", args=[request.region.slug, photo.code, width])


def _photos(request, destination: Destination) -> list[dict]:
    """Each photo with its srcset, alt text in the page's language and its size, ready for an <img>."""
    out = []
    for photo in destination.photos.all():
        widths = photo.widths or [photo.width]
        out.append(
            {
                "photo": photo,
                "src": _photo_url(request, photo, widths[min(1, len(widths) - 1)]),
                "srcset": ", ".join(f"{_photo_url(request, photo, w)} {w}w" for w in widths),
                "alt": alt_text(photo, _language()),
                "alt_lang": alt_language(photo, _language()),
                "width": widths[min(1, len(widths) - 1)],
                "height": photo.height_for(widths[min(1, len(widths) - 1)]),
                "thumb": _photo_url(request, photo, widths[0]),
                "thumb_height": photo.height_for(widths[0]),
                "thumb_width": widths[0],
            }
        )
    return out


def _cards(request, destinations) -> list[dict]:
    language = _language()
    return [{"d": d, "t": texts(d, language), "photo": next(iter(_photos(request, d)), None)} for d in destinations]


# --- public: destinations -------------------------------------------------------------------------


@region_view
@require_GET
def destinations(request):
    region = request.region
    module_required(region)
    form = DestinationFilter(request.GET or None, kecamatans=selectors.kecamatans_with_destinations(region))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.destinations_public(
        region,
        kind=filters.get("kind", ""),
        kecamatan=filters.get("kecamatan", ""),
        query=filters.get("q", ""),
        free=filters.get("free", False),
        wheelchair=filters.get("wheelchair", False),
    )
    return render(
        request,
        "tourism/destinations.html",
        {"form": form, "cards": _cards(request, rows), "filtered": any(filters.values()) if filters else False},
    )


@region_view
@require_GET
def destination_detail(request, slug: str):
    region = request.region
    module_required(region)
    destination = selectors.destination_public_get(region, slug)
    photos = _photos(request, destination)
    url = request.build_absolute_uri()
    data = jsonld.destination(
        destination,
        url=url,
        image_urls=[request.build_absolute_uri(_photo_url(request, p["photo"], p["photo"].widths[-1])) for p in photos],
        language="id",
    )
    coming = [
        {"o": o, "t": texts(o.event, _language())}
        for o in selectors.upcoming(region, days=400)
        if o.event.destination_id == destination.pk
    ][:5]
    return render(
        request,
        "tourism/destination.html",
        {
            "d": destination,
            "t": texts(destination, _language()),
            "photos": photos,
            "jsonld": jsonld.encode(data),
            "coming": coming,
        },
    )


PHOTO_MAX_AGE = 86_400  # a day: how long an unpublished destination's photo may still be served from a cache


@region_view
@require_GET
def photo(request, code: str, width: int):
    """A stored rendition of a photo. A draft destination's photos show only to the region's editors. Its address
    stays the same when the destination is unpublished, so it is never `immutable`: shared caches keep a
    published photo for a day at most, and a draft's is not stored (an editor's browser asks again)."""
    region = request.region
    module_required(region)
    found = selectors.photo_get(region, code)
    if width not in found.widths or not (found.destination.is_published or may_edit(request, region)):
        raise Http404
    name = found.storage_name(width)
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    published = found.destination.is_published
    response["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}" if published else "private, no-store"
    return response


# --- public: the agenda ---------------------------------------------------------------------------


def _month(request, zone) -> tuple[dt.date, bool]:
    """The month asked for (?bulan=2026-11), or the current month; and whether a month given was not understood
    (9999-12, xyz), which the page says rather than silently showing another month."""
    raw = request.GET.get("bulan", "")
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        if not 1970 <= year <= 2100:
            raise ValueError(raw)
        return dt.date(year, month, 1), False
    except ValueError:
        return timezone.localtime(timezone.now(), zone).date().replace(day=1), bool(raw.strip())


def _category(request) -> str:
    category = request.GET.get("kategori", "")
    return category if category in Event.Category.values else ""


def _by_day(occurrences, zone, language: str) -> list[tuple[dt.date, list[dict]]]:
    days: dict[dt.date, list[dict]] = {}
    for o in occurrences:
        day = timezone.localtime(o.starts_at, zone).date()
        days.setdefault(day, []).append({"o": o, "e": o.event, "t": texts(o.event, language)})
    return list(days.items())


AGENDA_NEXT = 5  # the events shown under an empty month


def _month_after(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


@region_view
@require_GET
@pagecache.public_page("agenda", topics=(TOURISM,))
def agenda(request):
    """The agenda of one month (?bulan=2026-11), grouped by day, optionally of one category."""
    region = request.region
    module_required(region)
    zone = region.zone
    month, not_understood = _month(request, zone)
    category = _category(request)
    start = dt.datetime.combine(month, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(_month_after(month), dt.time(), tzinfo=zone)
    found = selectors.occurrences(region, start, end, category=category)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    coming: list = []
    if not found:  # an empty month is no answer to "what's on?": what comes next, from it or from now
        coming = selectors.upcoming(region, category=category, after=max(end, timezone.now()), limit=AGENDA_NEXT)
    next_month = timezone.localtime(coming[0].starts_at, zone).date().replace(day=1) if coming else None
    coming_days = _by_day(coming, zone, _language())
    return render(
        request,
        "tourism/agenda.html",
        {
            "month": month,
            "days": _by_day(found, zone, _language()),
            "coming": coming_days,
            "coming_first": coming_days[0][1][0] if coming_days else None,
            "coming_month": next_month,
            "category": category,
            "categories": Event.Category.choices,
            "previous": previous.strftime("%Y-%m"),
            "next": _month_after(month).strftime("%Y-%m"),
            "view": "month",
            "month_not_understood": not_understood,
        },
    )


@region_view
@require_GET
def agenda_list(request):
    """What is on from today, for a year ahead: the plain list."""
    region = request.region
    module_required(region)
    category = _category(request)
    found = selectors.upcoming(region, category=category, days=366)
    return render(
        request,
        "tourism/agenda_list.html",
        {
            "days": _by_day(found, region.zone, _language()),
            "category": category,
            "categories": Event.Category.choices,
            "view": "list",
        },
    )


@region_view
@require_GET
def agenda_archive(request):
    region = request.region
    module_required(region)
    category = _category(request)
    years: dict[int, list[dict]] = {}
    language = _language()
    for o in selectors.archive(region, category=category):
        year = timezone.localtime(o.starts_at, region.zone).year
        years.setdefault(year, []).append({"o": o, "e": o.event, "t": texts(o.event, language)})
    return render(
        request,
        "tourism/archive.html",
        {"years": list(years.items()), "category": category, "categories": Event.Category.choices, "view": "archive"},
    )


@region_view
@require_GET
def event_detail(request, slug: str):
    region = request.region
    module_required(region)
    event = selectors.event_public_get(region, slug)
    when = selectors.next_occurrence(event)
    url = request.build_absolute_uri()
    venue_url, images = "", []
    if event.destination is not None and event.destination.is_published:
        venue_url = request.build_absolute_uri(
            reverse("tourism:destination", args=[region.slug, event.destination.slug])
        )
        images = [
            request.build_absolute_uri(_photo_url(request, p, p.widths[-1])) for p in event.destination.photos.all()[:3]
        ]
    data = jsonld.event(
        event, starts_at=when.starts_at, ends_at=when.ends_at, url=url, destination_url=venue_url, image_urls=images
    )
    return render(
        request,
        "tourism/event.html",
        {
            "e": event,
            "t": texts(event, _language()),
            "when": when,
            "venue_url": venue_url,
            "jsonld": jsonld.encode(data),
        },
    )


def _ics_response(request, events, name: str, filename: str) -> HttpResponse:
    region = request.region

    def url_of(event):
        return request.build_absolute_uri(reverse("tourism:event", args=[region.slug, event.slug]))

    body = ical.calendar(region, events, name=name, url_of=url_of, host=f"{region.slug}.gerai")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={FEED_HOURS * 3600}"
    return response


@region_view
@require_GET
def agenda_ics(request):
    """The whole published calendar (past events included, so subscribers keep their history)."""
    region = request.region
    module_required(region)
    with translation.override("id"):
        return _ics_response(
            request, selectors.events_public(region), f"Agenda {region.name}", f"agenda-{region.slug}.ics"
        )


@region_view
@require_GET
def agenda_category_ics(request, category: str):
    region = request.region
    module_required(region)
    if category not in Event.Category.values:
        raise Http404
    with translation.override("id"):
        label = Event.Category(category).label
        return _ics_response(
            request,
            selectors.events_public(region, category=category),
            f"Agenda {region.name}: {label}",
            f"agenda-{region.slug}-{category}.ics",
        )


@region_view
@require_GET
def event_ics(request, slug: str):
    """One event, to add to a calendar (the same UID as in the feeds, so a calendar never holds it twice)."""
    region = request.region
    module_required(region)
    event = selectors.event_public_get(region, slug)
    with translation.override("id"):
        return _ics_response(request, [event], event.title, f"{event.slug}.ics")


# --- the office -----------------------------------------------------------------------------------


def _office_guard(request) -> None:
    module_required(request.region)


@staff_view(access=Access.CONTENT)
def office(request):
    """The region's destinations and events, drafts included, with links to change them."""
    _office_guard(request)
    return render(
        request,
        "tourism/office/home.html",
        {
            "destinations": selectors.destinations_of(request.region),
            "events": selectors.events_of(request.region),
        },
    )


def _fields(form, names) -> dict:
    return {name: form.cleaned_data.get(name) for name in names if name in form.cleaned_data}


@staff_view(access=Access.CONTENT)
def destination_new(request):
    _office_guard(request)
    region = request.region
    form = DestinationForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            destination = services.destination_create(
                actor=actor_from_request(request),
                region=region,
                slug=form.cleaned_data.get("slug", ""),
                **_fields(form, services.DESTINATION_FIELDS),
            )
        except services.TourismError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The destination is saved. Add its photos here."))
            return redirect("tourism:destination_edit", region.slug, destination.slug)
    return render(request, "tourism/office/destination_form.html", {"form": form, "d": None})


def _photo_post(request, destination: Destination, photo_form: PhotoForm) -> bool:
    actor = actor_from_request(request)
    if request.POST.get("what") == "photo_delete":
        code = request.POST.get("photo", "")
        found = destination.photos.filter(code=code).first()
        if found is None:
            raise Http404
        services.photo_delete(actor=actor, photo=found)
        messages.success(request, _("The photo is removed."))
        return True
    if not photo_form.is_valid():
        return False
    upload = photo_form.cleaned_data["photo"]
    try:
        if upload.size > services.PHOTO_MAX_BYTES:  # refused unread
            raise services.TourismError("image_too_large", _("The photo is larger than 10 MB."), field="photo")
        services.photo_add(
            actor=actor,
            destination=destination,
            data=upload.read(),
            alt=photo_form.cleaned_data["alt"],
            alt_en=photo_form.cleaned_data.get("alt_en", ""),
            credit=photo_form.cleaned_data.get("credit", ""),
        )
    except services.TourismError as exc:
        refused(request, exc, photo_form)
        return False
    messages.success(request, _("The photo is added."))
    return True


@staff_view(access=Access.CONTENT)
def destination_edit(request, slug: str):
    _office_guard(request)
    region = request.region
    destination = selectors.destination_get(region, slug)
    is_photo = request.method == "POST" and request.POST.get("what", "").startswith("photo")
    form = DestinationForm(
        request.POST if request.method == "POST" and not is_photo else None,
        instance=destination,
        region=region,
        initial={"slug": destination.slug},
    )
    photo_form = PhotoForm(request.POST if is_photo else None, request.FILES if is_photo else None)
    if is_photo and _photo_post(request, destination, photo_form):
        return redirect("tourism:destination_edit", region.slug, destination.slug)
    if request.method == "POST" and not is_photo and form.is_valid():
        try:
            destination = services.destination_update(
                actor=actor_from_request(request),
                destination=destination,
                slug=form.cleaned_data.get("slug", ""),
                **_fields(form, services.DESTINATION_FIELDS),
            )
        except services.TourismError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The destination is saved."))
            return redirect("tourism:destination_edit", region.slug, destination.slug)
    destination = selectors.destination_get(region, slug)  # as saved, with its photos
    return render(
        request,
        "tourism/office/destination_form.html",
        {"form": form, "d": destination, "photo_form": photo_form, "photos": _photos(request, destination)},
    )


@staff_view(access=Access.CONTENT)
def event_new(request):
    _office_guard(request)
    region = request.region
    with timezone.override(region.zone):  # times are typed and shown in the region's zone
        form = EventForm(request.POST or None, region=region)
        if request.method == "POST" and form.is_valid():
            try:
                event = services.event_create(
                    actor=actor_from_request(request),
                    region=region,
                    slug=form.cleaned_data.get("slug", ""),
                    **_fields(form, services.EVENT_FIELDS),
                )
            except services.TourismError as exc:
                refused(request, exc, form)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("tourism:event_edit", region.slug, event.slug)
        return render(request, "tourism/office/event_form.html", {"form": form, "e": None})


@staff_view(access=Access.CONTENT)
def event_edit(request, slug: str):
    _office_guard(request)
    region = request.region
    event = selectors.event_get(region, slug)
    with timezone.override(region.zone):
        form = EventForm(request.POST or None, instance=event, region=region, initial={"slug": event.slug})
        if request.method == "POST" and form.is_valid():
            try:
                event = services.event_update(
                    actor=actor_from_request(request),
                    event=event,
                    slug=form.cleaned_data.get("slug", ""),
                    **_fields(form, services.EVENT_FIELDS),
                )
            except services.TourismError as exc:
                refused(request, exc, form)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("tourism:event_edit", region.slug, event.slug)
        return render(request, "tourism/office/event_form.html", {"form": form, "e": selectors.event_get(region, slug)})

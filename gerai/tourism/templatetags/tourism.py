"""Template helpers of the tourism pages, and the "what's on" block that the region's home page shows."""

from django import template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS

from gerai.lib.money import format_rupiah
from gerai.tourism import selectors
from gerai.tourism.bilingual import alt_text, texts

register = template.Library()


def _day(moment) -> str:
    return f"{moment.day} {MONTHS[moment.month]} {moment.year}"


def _clock(moment) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


@register.filter
def span(occurrence, region) -> str:
    """When, in the region's zone: "7 November 2026, 19.00–22.00 WIB", or across days
    "7 November 2026, 19.00 – 9 November 2026, 22.00 WIB"."""
    zone, abbreviation = region.zone, region.zone_abbreviation
    start, end = timezone.localtime(occurrence.starts_at, zone), timezone.localtime(occurrence.ends_at, zone)
    if start.date() == end.date():
        return f"{_day(start)}, {_clock(start)}–{_clock(end)} {abbreviation}"
    return f"{_day(start)}, {_clock(start)} – {_day(end)}, {_clock(end)} {abbreviation}"


@register.filter
def iso(moment, region) -> str:
    return timezone.localtime(moment, region.zone).isoformat()


@register.filter
def rupiah(amount) -> str:
    return "" if amount is None else format_rupiah(amount)


@register.filter
def month_name(date) -> str:
    return f"{MONTHS[date.month]} {date.year}"


@register.inclusion_tag("tourism/whats_on.html", takes_context=True)
def whats_on(context, region):
    """The next events and the featured destinations, small and light: text, and one lazy, sized thumbnail each."""
    if not region.has_module(selectors.MODULE):
        return {"show": False}
    language = translation.get_language() or "id"
    coming = [{"o": o, "t": texts(o.event, language)} for o in selectors.upcoming(region, limit=4, days=120)]
    featured = []
    for destination in selectors.destinations_featured(region, limit=3):
        photo = next(iter(destination.photos.all()), None)
        thumb = None
        if photo is not None:
            width = photo.widths[0]
            thumb = {
                "src": reverse("tourism:photo", args=[region.slug, photo.code, width]),
                "width": width,
                "height": photo.height_for(width),
                "alt": alt_text(photo, language),
            }
        featured.append({"d": destination, "t": texts(destination, language), "thumb": thumb})
    return {
        "show": bool(coming or featured),
        "request": context.get("request"),
        "region": region,
        "coming": coming,
        "featured": featured,
    }

"""The event calendar as iCalendar (RFC 5545), built with the `icalendar` library: one VTIMEZONE for the region's
zone (WIB, WITA or WIT), times written in that zone, a UID per event that never changes, a SEQUENCE raised on
each change, and RRULE:FREQ=YEARLY for yearly events, so Google Calendar and Thunderbird subscribe to it and
keep it current."""

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from gerai.tourism.models import Event

if TYPE_CHECKING:
    import icalendar

PRODID = "-//Gerai//Agenda wisata//ID"


def _description(event: Event, url: str) -> str:
    parts = [event.summary]
    if event.description:
        parts.append(event.description)
    parts.append(f"Penyelenggara: {event.organiser}")
    if event.price == 0:
        parts.append("Gratis")
    elif event.price:
        parts.append(f"Harga: Rp{event.price:,}".replace(",", "."))
    parts.append(url)
    return "\n\n".join(parts)


def _vevent(event: Event, zone, url: str, host: str) -> "icalendar.Event":
    import icalendar

    item = icalendar.Event()
    item.add("uid", f"{event.uid}@{host}")
    item.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("created", event.created_at.astimezone(dt.UTC))
    item.add("sequence", event.sequence)
    item.add("dtstart", timezone.localtime(event.starts_at, zone))
    item.add("dtend", timezone.localtime(event.ends_at, zone))
    item.add("summary", event.title)
    item.add("description", _description(event, url))
    location = ", ".join(p for p in (event.place_name, event.place_address) if p)
    if location:
        item.add("location", location)
    destination = event.destination
    if destination is not None and destination.has_map:
        item.add("geo", (float(destination.latitude), float(destination.longitude)))  # type: ignore[arg-type]
    item.add("categories", [event.get_category_display()])
    item.add("url", url)
    item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT")
    if event.is_yearly:
        item.add("rrule", {"freq": "yearly"})
    return item


def calendar(region, events, *, name: str, url_of, host: str) -> bytes:
    """The calendar of `events` (published events of `region`); `url_of(event)` is an event page's full
    address, `host` the domain part of the UIDs."""
    import icalendar  # ~80 modules that only the calendar feeds need

    zone = region.zone
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", region.timezone)
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    # from 1970, so that every event, past or coming, falls within the zone's description (WIB/WITA/WIT have
    # no daylight saving: one STANDARD rule)
    cal.add_component(icalendar.Timezone.from_tzinfo(zone, first_date=dt.date(1970, 1, 1)))
    for event in events:
        cal.add_component(_vevent(event, zone, url_of(event), host))
    return cal.to_ical()

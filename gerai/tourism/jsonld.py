"""schema.org JSON-LD for destination and event pages (TouristAttraction, Event), written into the page as a data
block that no browser runs, escaped as Django's json_script escapes."""

import json

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from gerai.tourism.models import Destination, Event

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def encode(data: dict) -> SafeString:
    """The JSON for a <script type="application/ld+json"> block: "<", ">" and "&" escaped, so no text in it can
    close the block."""
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES))


def _address(region, locality: str, street: str = "") -> dict:
    address = {"@type": "PostalAddress", "addressRegion": region.name, "addressCountry": "ID"}
    if locality:
        address["addressLocality"] = locality
    if street:
        address["streetAddress"] = street
    return address


def _place(destination: Destination, url: str) -> dict:
    area = destination.area
    place: dict = {
        "@type": "TouristAttraction",
        "name": destination.name,
        "url": url,
        "address": _address(destination.region, area.name if area else "", destination.address),
    }
    if destination.has_map:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(destination.latitude),  # type: ignore[arg-type]
            "longitude": float(destination.longitude),  # type: ignore[arg-type]
        }
    return place


def destination(d: Destination, *, url: str, image_urls: list[str], language: str) -> dict:
    data = _place(d, url)
    data |= {"@context": "https://schema.org", "description": d.summary, "inLanguage": language}
    if d.name_en:
        data["alternateName"] = d.name_en
    if image_urls:
        data["image"] = image_urls
    data["isAccessibleForFree"] = d.ticket_price == 0
    if d.opening_hours:
        data["openingHours"] = d.opening_hours  # free text: schema.org's short form is not asked of editors
    if d.wheelchair:
        data["amenityFeature"] = {
            "@type": "LocationFeatureSpecification",
            "name": "Wheelchair accessible",
            "value": True,
        }
    kinds = {Destination.Kind.RELIGIOUS: "religious", Destination.Kind.CULINARY: "culinary"}
    data["touristType"] = kinds.get(d.kind, d.kind)  # type: ignore[call-overload]
    return data


def event(e: Event, *, starts_at, ends_at, url: str, destination_url: str = "", image_urls: list[str]) -> dict:
    """An Event with its times in ISO 8601 with the region's offset (2026-11-07T19:00:00+07:00)."""
    zone = e.region.zone
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "description": e.summary,
        "url": url,
        "startDate": timezone.localtime(starts_at, zone).isoformat(),
        "endDate": timezone.localtime(ends_at, zone).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": e.organiser},
        "inLanguage": "id",
    }
    if e.destination is not None:
        data["location"] = _place(e.destination, destination_url)
    else:
        data["location"] = {
            "@type": "Place",
            "name": e.venue_name,
            "address": _address(e.region, "", e.venue_address),
        }
    if e.price is not None:
        data["offers"] = {"@type": "Offer", "price": str(e.price), "priceCurrency": "IDR", "url": url}
        data["isAccessibleForFree"] = e.price == 0
    if image_urls:
        data["image"] = image_urls
    if e.title_en:
        data["alternateName"] = e.title_en
    return data

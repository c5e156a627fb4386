"""The writes of destinations, their photos and the event calendar (docs/tourism.md). Each runs in one
transaction with its audit entry; a refusal is a TourismError at the field it is about."""

import logging
import secrets
from contextlib import contextmanager
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.lib.files import FileRejected, image_renditions
from gerai.regions.models import Area
from gerai.tourism.models import Destination, Event, Photo

log = logging.getLogger(__name__)

#: words of the pages' own addresses, never a destination's or an event's
RESERVED_SLUGS = frozenset({"baru", "daftar", "arsip", "kategori", "foto"})
MAX_PHOTOS = 12
# Photos (gerai.lib.files.image_renditions): JPEG, PNG or WebP by content, re-encoded as JPEGs of these widths.
PHOTO_MAX_BYTES = 10 * 2**20  # an upload larger than this is refused unread
PHOTO_MAX_PIXELS = 40_000_000  # 40 megapixels: a modern phone's photo fits, a decompression bomb does not
PHOTO_MIN_SIDE = 200
PHOTO_WIDTHS = (320, 640, 1024)
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_QUALITY = 80

DESTINATION_FIELDS = (
    "kind",
    "name",
    "name_en",
    "summary",
    "summary_en",
    "description",
    "description_en",
    "opening_hours",
    "opening_hours_en",
    "ticket_price",
    "tickets",
    "tickets_en",
    "accessibility",
    "accessibility_en",
    "wheelchair",
    "area",
    "address",
    "latitude",
    "longitude",
    "is_featured",
    "is_published",
)
EVENT_FIELDS = (
    "category",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "description",
    "description_en",
    "starts_at",
    "ends_at",
    "recurrence",
    "destination",
    "venue_name",
    "venue_address",
    "organiser",
    "price",
    "price_note",
    "is_published",
)


class TourismError(DomainError):
    status = 422
    statuses = {"slug_taken": 409}


def _slug(model, region, slug: str, fallback: str, *, exclude_pk=None) -> str:
    """The page address asked for (or made from the name), checked: not a word of the pages' own addresses,
    and not already used by another row of this region."""
    slug = slugify(slug or "") or slugify(fallback)[:80].strip("-")
    if not slug:
        raise TourismError("slug_invalid", _("Enter an address of letters, digits and hyphens."), field="slug")
    if slug in RESERVED_SLUGS:
        raise TourismError(
            "slug_reserved",
            _("“%(slug)s” is a word of the site's own addresses: choose another.") % {"slug": slug},
            field="slug",
        )
    taken = model.objects.filter(region=region, slug=slug).exclude(pk=exclude_pk).exists()
    if taken:
        raise TourismError(
            "slug_taken",
            _("The address “%(slug)s” is already used in this region: choose another.") % {"slug": slug},
            field="slug",
        )
    return slug


@contextmanager
def _address_race():
    """_slug checks the address, then the row is written: another editor may take the same address in between.
    The unique constraint then refuses the second write; it is answered at the field, like the check's own."""
    try:
        yield
    except IntegrityError:
        raise TourismError(
            "slug_taken",
            _("Another page of this region took this address a moment ago: choose another."),
            field="slug",
        ) from None


def _clean(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed) - {"slug"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if k != "slug"}


def _destination_check(region, data: dict) -> None:
    area = data.get("area")
    if area is not None and (not isinstance(area, Area) or area.region_id != region.pk):
        raise TourismError("area_invalid", _("Choose a desa or kecamatan of this region."), field="area")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        raise TourismError("coordinates_half", _("Enter both latitude and longitude, or neither."), field="latitude")
    if latitude is not None and not (Decimal(-90) <= Decimal(latitude) <= Decimal(90)):
        raise TourismError("latitude_invalid", _("Latitude lies between -90 and 90."), field="latitude")
    if longitude is not None and not (Decimal(-180) <= Decimal(longitude) <= Decimal(180)):
        raise TourismError("longitude_invalid", _("Longitude lies between -180 and 180."), field="longitude")
    for name in ("name", "summary", "description"):
        if not data.get(name):
            raise TourismError("required", _("This field is required."), field=name)
    if data.get("kind") not in Destination.Kind.values:
        raise TourismError("kind_invalid", _("Choose a kind from the list."), field="kind")


def _changes(before: dict, after: dict) -> dict:
    return {k: str(v) for k, v in after.items() if str(before.get(k)) != str(v)}


def destination_create(*, actor: Actor, region, slug: str = "", **fields) -> Destination:
    data = _clean(fields, DESTINATION_FIELDS)
    _destination_check(region, data)
    with _address_race(), transaction.atomic():
        destination = Destination.objects.create(
            region=region, slug=_slug(Destination, region, slug, data["name"]), **data
        )
        audit_record(
            actor=actor,
            action="tourism.destination_create",
            obj=destination,
            region=region,
            changes={"slug": destination.slug, "name": destination.name, "published": destination.is_published},
        )
    return destination


def destination_update(*, actor: Actor, destination: Destination, slug: str = "", **fields) -> Destination:
    region = destination.region
    data = _clean(fields, DESTINATION_FIELDS)
    merged = {name: getattr(destination, name) for name in DESTINATION_FIELDS} | data
    _destination_check(region, merged)
    with _address_race(), transaction.atomic():
        before = {name: getattr(destination, name) for name in data} | {"slug": destination.slug}
        new_slug = _slug(Destination, region, slug or destination.slug, data.get("name", ""), exclude_pk=destination.pk)
        for name, value in data.items():
            setattr(destination, name, value)
        destination.slug, destination.updated_at = new_slug, timezone.now()
        destination.save()
        audit_record(
            actor=actor,
            action="tourism.destination_update",
            obj=destination,
            region=region,
            changes=_changes(before, data | {"slug": new_slug}),
        )
    return destination


def _image_message(code: str) -> str:
    messages = {
        "too_large": _("The photo is larger than 10 MB."),
        "not_image": _("The file is not a JPEG, PNG or WebP photo."),
        "too_many_pixels": _("The photo has too many pixels (more than 40 megapixels)."),
        "too_small": _("The photo is too small: at least 200 pixels on each side."),
    }
    return messages[code]


def photo_add(
    *, actor: Actor, destination: Destination, data: bytes, alt: str, alt_en: str = "", credit: str = ""
) -> Photo:
    """A photo for the destination, stored at several widths without its metadata. The alt text (what the
    photo shows, for those who cannot see it) is required."""
    alt, alt_en, credit = alt.strip(), alt_en.strip(), credit.strip()
    if not alt:
        raise TourismError(
            "alt_required", _("Describe what the photo shows, for visitors who cannot see it."), field="alt"
        )
    if destination.photos.count() >= MAX_PHOTOS:
        raise TourismError("too_many_photos", _("A destination has %(n)s photos at most.") % {"n": MAX_PHOTOS})
    if len(data) > PHOTO_MAX_BYTES:
        raise TourismError("image_too_large", _image_message("too_large"), field="photo")
    try:
        renditions = image_renditions(
            data,
            widths=PHOTO_WIDTHS,
            formats=PHOTO_FORMATS,
            max_pixels=PHOTO_MAX_PIXELS,
            min_side=PHOTO_MIN_SIDE,
            quality=PHOTO_QUALITY,
        )
    except FileRejected as exc:
        code = "not_image" if exc.code == "unreadable" else exc.code
        raise TourismError(f"image_{code}", _image_message(code), field="photo") from None
    code = secrets.token_urlsafe(12)
    largest = renditions[-1]
    photo = Photo(
        destination=destination,
        code=code,
        alt=alt[:200],
        alt_en=alt_en[:200],
        credit=credit[:120],
        width=largest.width,
        height=largest.height,
        widths=[r.width for r in renditions],
        position=destination.photos.count(),
    )
    stored = []
    try:
        for rendition in renditions:
            stored.append(default_storage.save(photo.storage_name(rendition.width), ContentFile(rendition.data)))
        with transaction.atomic():
            photo.save()
            audit_record(
                actor=actor,
                action="tourism.photo_add",
                obj=photo,
                region=destination.region,
                changes={"destination": destination.slug, "widths": photo.widths},
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return photo


def photo_delete(*, actor: Actor, photo: Photo) -> None:
    names = [photo.storage_name(width) for width in photo.widths]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="tourism.photo_delete",
            obj=photo,
            region=photo.destination.region,
            changes={"destination": photo.destination.slug, "alt": photo.alt},
        )
        photo.delete()
        transaction.on_commit(lambda: _files_delete(names))


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _event_check(region, data: dict) -> None:
    for name in ("title", "summary", "organiser"):
        if not data.get(name):
            raise TourismError("required", _("This field is required."), field=name)
    if data.get("category") not in Event.Category.values:
        raise TourismError("category_invalid", _("Choose a category from the list."), field="category")
    if data.get("recurrence", "") not in Event.Recurrence.values:
        raise TourismError("recurrence_invalid", _("Choose how the event repeats."), field="recurrence")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None:
        raise TourismError("required", _("This field is required."), field="starts_at")
    if ends is None:
        raise TourismError("required", _("This field is required."), field="ends_at")
    if timezone.is_naive(starts) or timezone.is_naive(ends):
        raise ValueError("event times must be aware datetimes")
    if ends < starts:
        raise TourismError("ends_before_start", _("The event ends before it starts: check the end."), field="ends_at")
    destination = data.get("destination")
    if destination is not None and (not isinstance(destination, Destination) or destination.region_id != region.pk):
        raise TourismError("venue_invalid", _("Choose a destination of this region."), field="destination")
    if destination is None and not data.get("venue_name"):
        raise TourismError(
            "venue_required", _("Choose a destination as the venue, or write the venue's name."), field="venue_name"
        )


def event_create(*, actor: Actor, region, slug: str = "", **fields) -> Event:
    data = _clean(fields, EVENT_FIELDS)
    data.setdefault("recurrence", "")
    _event_check(region, data)
    with _address_race(), transaction.atomic():
        event = Event.objects.create(region=region, slug=_slug(Event, region, slug, data["title"]), **data)
        audit_record(
            actor=actor,
            action="tourism.event_create",
            obj=event,
            region=region,
            changes={"slug": event.slug, "title": event.title, "starts_at": event.starts_at.isoformat()},
        )
    return event


def event_update(*, actor: Actor, event: Event, slug: str = "", **fields) -> Event:
    """Change an event. Its iCalendar SEQUENCE goes up, so calendars that subscribed take the new version."""
    region = event.region
    data = _clean(fields, EVENT_FIELDS)
    merged = {name: getattr(event, name) for name in EVENT_FIELDS} | data
    _event_check(region, merged)
    with _address_race(), transaction.atomic():
        before = {name: getattr(event, name) for name in data} | {"slug": event.slug}
        new_slug = _slug(Event, region, slug or event.slug, data.get("title", ""), exclude_pk=event.pk)
        for name, value in data.items():
            setattr(event, name, value)
        event.slug, event.updated_at, event.sequence = new_slug, timezone.now(), event.sequence + 1
        event.save()
        audit_record(
            actor=actor,
            action="tourism.event_update",
            obj=event,
            region=region,
            changes=_changes(before, data | {"slug": new_slug}),
        )
    return event

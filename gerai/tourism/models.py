"""Destinations and the event calendar of a region (docs/tourism.md). Text is Indonesian, with optional English
beside it (`*_en`); an English page falls back to the Indonesian text and says so."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Destination(models.Model):
    """A place to visit: a crater, a beach, a customary village, a market."""

    class Kind(models.TextChoices):
        NATURE = "alam", _("Nature")
        BEACH = "pantai", _("Beach and sea")
        CULTURE = "budaya", _("Culture and heritage")
        VILLAGE = "desa-wisata", _("Tourist village")
        CULINARY = "kuliner", _("Culinary")
        RELIGIOUS = "religi", _("Religious")
        RECREATION = "rekreasi", _("Recreation and family")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="destinations")
    slug = models.SlugField(_("address"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    summary = models.CharField(_("summary"), max_length=250)
    summary_en = models.CharField(_("summary in English"), max_length=250, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description in English"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours in English"), max_length=200, blank=True)
    ticket_price = models.PositiveIntegerField(_("ticket price (Rp)"), null=True, blank=True)  # 0: free; None: ask
    tickets = models.CharField(_("tickets"), max_length=250, blank=True)
    tickets_en = models.CharField(_("tickets in English"), max_length=250, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    accessibility_en = models.CharField(_("accessibility in English"), max_length=300, blank=True)
    wheelchair = models.BooleanField(_("wheelchair accessible"), default=False)
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("desa or kecamatan"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="tourism_destination_unique_slug")]
        indexes = [models.Index(fields=["region", "is_published", "kind"], name="tourism_dest_region_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_map(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Photo(models.Model):
    """A photo of a destination, kept as JPEGs of several widths (EXIF stripped); the original is not kept."""

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="photos")
    code = models.CharField(max_length=24, unique=True)  # in its address
    alt = models.CharField(_("description of the photo (alt text)"), max_length=200)
    alt_en = models.CharField(_("description in English"), max_length=200, blank=True)
    credit = models.CharField(_("photographer or source"), max_length=120, blank=True)
    width = models.PositiveIntegerField()  # of the largest stored rendition
    height = models.PositiveIntegerField()
    widths = models.JSONField(default=list)  # the stored renditions, e.g. [320, 640, 1024]
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.alt}"

    def storage_name(self, width: int) -> str:
        return f"tourism/{self.destination.region_id}/{self.code}-{width}.jpg"

    def height_for(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


class Event(models.Model):
    """An event of the region's calendar: a festival day, a race, a ritual. Times are stored in UTC and shown,
    typed and exported in the region's zone."""

    class Category(models.TextChoices):
        FESTIVAL = "festival", _("Festival and carnival")
        CULTURE = "budaya", _("Culture and art")
        TRADITION = "adat", _("Ritual and tradition")
        SPORT = "olahraga", _("Sport")
        MUSIC = "musik", _("Music")
        CULINARY = "kuliner", _("Culinary")
        EXHIBITION = "pameran", _("Exhibition and market")

    class Recurrence(models.TextChoices):
        NONE = "", _("Once")
        YEARLY = "yearly", _("Every year on the same date")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="tourism_events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the iCalendar UID, never changes
    slug = models.SlugField(_("address"), max_length=80)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=150)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    summary = models.CharField(_("summary"), max_length=250)
    summary_en = models.CharField(_("summary in English"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    destination = models.ForeignKey(
        Destination, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    venue_name = models.CharField(_("venue name"), max_length=150, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=250, blank=True)
    organiser = models.CharField(_("organiser"), max_length=150)
    price = models.PositiveIntegerField(_("price (Rp)"), null=True, blank=True)  # 0: free; None: not stated
    price_note = models.CharField(_("about the price"), max_length=200, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    sequence = models.PositiveIntegerField(default=0)  # the iCalendar SEQUENCE: raised on each change
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="tourism_event_unique_slug"),
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="tourism_event_ends"),
        ]
        indexes = [models.Index(fields=["region", "is_published", "starts_at"], name="tourism_event_region_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_yearly(self) -> bool:
        return self.recurrence == self.Recurrence.YEARLY

    @property
    def place_name(self) -> str:
        return self.destination.name if self.destination_id and self.destination else self.venue_name

    @property
    def place_address(self) -> str:
        if self.destination_id and self.destination:
            return self.destination.address or (self.destination.area.name if self.destination.area else "")
        return self.venue_address

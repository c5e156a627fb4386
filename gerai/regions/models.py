from zoneinfo import ZoneInfo

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Region(models.Model):
    """A kabupaten/kota running its services on the platform: the tenant."""

    class Zone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
        WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
        WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"

    class Module(models.TextChoices):
        SERVICES = "layanan", _("Public services")
        COMPLAINTS = "pengaduan", _("Complaints")
        SURVEYS = "survei", _("Satisfaction surveys")
        TRANSPARENCY = "transparansi", _("Transparency dashboard")
        INNOVATION = "inovasi", _("Innovation library")
        GOVERNANCE = "indeks", _("Governance indices")
        TOURISM = "wisata", _("Tourism and events")
        NEWS = "berita", _("News")
        PRICES = "harga", _("Food prices")

    code = models.CharField(_("Kemendagri code"), max_length=5, unique=True)  # "35.10"
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    tracking_prefix = models.CharField(_("tracking code prefix"), max_length=4, unique=True)
    timezone = models.CharField(_("time zone"), max_length=20, choices=Zone.choices, default=Zone.WIB)
    host = models.CharField(_("own host name"), max_length=200, unique=True, null=True, blank=True)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    colour_primary = models.CharField(max_length=7, default="#0b5394", validators=[hex_colour])
    colour_accent = models.CharField(max_length=7, default="#f1c232", validators=[hex_colour])
    modules = models.JSONField(_("switched-on modules"), default=list, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    is_role_model = models.BooleanField(_("role model for other regions"), default=False)
    # an optional tile server for maps (e.g. the region's own, or OpenStreetMap's under its usage policy)
    map_tiles_url = models.CharField(_("map tile URL"), max_length=300, blank=True)
    map_attribution = models.CharField(_("map attribution"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # Retention the region decides (UU PDP; applications' retention sweep). Empty: kept.
    draft_keep_days = models.PositiveIntegerField(
        _("days a draft never sent is kept"), null=True, blank=True, help_text=_("Empty: kept.")
    )
    consent_keep_days = models.PositiveIntegerField(
        _("days a counter consent's evidence is kept after the application closes"),
        null=True,
        blank=True,
        help_text=_("Empty: kept."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def zone_abbreviation(self) -> str:
        """WIB, WITA or WIT, as Indonesians write the time."""
        return self.Zone(self.timezone).name if self.timezone in self.Zone.values else ""

    @property
    def module_labels(self) -> list[str]:
        """The switched-on modules by their names in the reader's language (the codes are for addresses)."""
        labels = dict(self.Module.choices)
        return [str(labels.get(module, module)) for module in self.modules]

    def has_module(self, module: str) -> bool:
        return module in self.modules


class Area(models.Model):
    """A Kemendagri administrative area of a region on the platform: kecamatan, desa or kelurahan."""

    class Level(models.IntegerChoices):
        KECAMATAN = 3, _("kecamatan")
        KELURAHAN = 4, _("kelurahan")
        DESA = 5, _("desa")

    code = models.CharField(max_length=13, primary_key=True)  # "35.10.01.2001"
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["region", "level", "name"], name="area_region_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level in (self.Level.DESA, self.Level.KELURAHAN)


class Agency(models.Model):
    """An organisation unit that owns workflow steps: a dinas (OPD), a kecamatan or desa office."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("agency (OPD)")
        KECAMATAN = "kecamatan", _("kecamatan office")
        DESA = "desa", _("desa/kelurahan office")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="agencies")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DINAS)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="offices")
    is_active = models.BooleanField(default=True)
    unit_code = models.CharField(_("unit code for letter numbers"), max_length=30, blank=True)
    letter_number_format = models.CharField(
        _("letter number format"), max_length=100, default="{kode}/{nomor}/{unit}/{bulan}/{tahun}"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="agency_unique_slug")]

    def __str__(self) -> str:
        return self.short_name or self.name


class ServicePoint(models.Model):
    """A counter where citizens are served in person: MPP, kecamatan or desa office."""

    class Kind(models.TextChoices):
        MPP = "mpp", _("Public Service Mall (MPP)")
        KECAMATAN = "kecamatan", _("kecamatan counter")
        DESA = "desa", _("desa counter")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="service_points")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    address = models.CharField(max_length=300, blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class HolidayOverride(models.Model):
    """A region's correction to the national calendar: an extra day off, or a working day."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="holiday_overrides")
    date = models.DateField()
    is_holiday = models.BooleanField(default=True)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="holiday_override_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

"""Food prices (docs/prices.md): each region's markets and commodities, one price sheet per market and day
(entered by an enumerator, checked and published by the inflation team), the dated reference prices (HET/HAP)
per zone, the weekly rollups the public pages read, and the alerts sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PriceSettings(models.Model):
    """A region's price-monitoring settings: its reference-price zone and its alert thresholds (percent)."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="price_settings")
    zone = models.PositiveSmallIntegerField(_("reference price zone"), default=1)
    waspada_pct = models.DecimalField(_("Waspada above (%)"), max_digits=5, decimal_places=1, default=8)
    siaga_pct = models.DecimalField(_("Siaga above (%)"), max_digits=5, decimal_places=1, default=12)
    kritis_pct = models.DecimalField(_("Kritis above (%)"), max_digits=5, decimal_places=1, default=20)
    # a sharp fall (Turun tajam): Gerai's default, mirroring Waspada; no official threshold (regulations.md §8)
    fall_pct = models.DecimalField(_("Sharp fall beyond (%)"), max_digits=4, decimal_places=1, default=8)

    def __str__(self) -> str:
        return f"{self.region_id} zone {self.zone}"


class Market(models.Model):
    class Kind(models.TextChoices):
        TRADITIONAL = "tradisional", _("Traditional market")
        MODERN = "modern", _("Modern market")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="markets")
    code = models.SlugField(max_length=40)  # in addresses and import files
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRADITIONAL)
    kecamatan = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="prices_market_code")]

    def __str__(self) -> str:
        return self.name


class Commodity(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="commodities")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20)  # kg, liter, butir
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="prices_commodity_code")]

    def __str__(self) -> str:
        return self.name


class ReferencePrice(models.Model):
    """A government reference price (HET: highest retail price; HAP: purchase/acceptance reference price) in
    force in a zone from a date, with its legal source. A new regulation is a new row from its date; rows are
    never edited, so every past week is judged against the price in force then."""

    class Kind(models.TextChoices):
        HET = "het", _("HET (highest retail price)")
        HAP = "hap", _("HAP (reference price)")

    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="references")
    zone = models.PositiveSmallIntegerField(_("zone"))
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    price = models.PositiveIntegerField(_("price (Rp)"))
    valid_from = models.DateField(_("in force from"))
    source = models.CharField(_("legal source"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commodity", "zone", "valid_from"], name="prices_reference_from"),
        ]
        indexes = [models.Index(fields=["commodity", "zone", "-valid_from"], name="prices_reference_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.commodity_id} {self.price} from {self.valid_from}"


class PriceSheet(models.Model):
    """One market's prices on one day. A second enumerator on the same market and day edits this same sheet:
    their changes are corrections, each kept in PriceRevision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for checking")
        PUBLISHED = "published", _("Published")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="price_sheets")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="sheets")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)  # raised by every save: a form from an older one is stale
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["market", "day"], name="prices_sheet_market_day")]
        indexes = [models.Index(fields=["region", "status", "day"], name="prices_sheet_queue")]

    def __str__(self) -> str:
        return f"{self.market_id} {self.day}"


class PriceEntry(models.Model):
    """One commodity's price on a sheet. `price` is the latest entered; `published_price` is what the rollups
    and public pages hold (set when the inflation team publishes)."""

    sheet = models.ForeignKey(PriceSheet, on_delete=models.CASCADE, related_name="entries")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+")
    price = models.PositiveIntegerField(null=True, blank=True)
    published_price = models.PositiveIntegerField(null=True, blank=True)
    confirmed_unusual = models.BooleanField(default=False)  # the enumerator confirmed a 10x jump

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "commodity"], name="prices_entry_commodity")]

    def __str__(self) -> str:
        return f"{self.commodity_id}: {self.price}"


class PriceRevision(models.Model):
    """A change to a price already submitted: who changed it, from what, to what, and when."""

    entry = models.ForeignKey(PriceEntry, on_delete=models.CASCADE, related_name="revisions")
    old_price = models.PositiveIntegerField(null=True, blank=True)
    new_price = models.PositiveIntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.old_price} -> {self.new_price}"


class WeeklyPrice(models.Model):
    """Rollup: the published prices of one commodity at one market in one week (Monday), kept as a sum and a
    count by every publication, so that the weekly mean costs one row to read."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    total = models.BigIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "commodity", "week"], name="prices_weekly_market"),
        ]
        indexes = [models.Index(fields=["region", "commodity", "week"], name="prices_weekly_region")]

    def __str__(self) -> str:
        return f"{self.market_id} {self.commodity_id} {self.week}: {self.mean}"

    @property
    def mean(self) -> int | None:
        return round(self.total / self.days) if self.days else None


class CommodityWeek(models.Model):
    """Rollup: one commodity across the region's markets in one week (the mean of the markets' weekly means),
    with its disparity; recomputed from that week's WeeklyPrice rows whenever one of them changes."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    mean = models.PositiveIntegerField()
    minimum = models.PositiveIntegerField()
    maximum = models.PositiveIntegerField()
    markets = models.PositiveSmallIntegerField()
    cv = models.FloatField()  # coefficient of variation across markets, percent

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commodity", "week"], name="prices_commodity_week")]
        indexes = [models.Index(fields=["region", "week"], name="prices_cweek_region")]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.week}: {self.mean}"


class Alert(models.Model):
    """An early-warning alert: a week-on-week rise past a threshold, a sharp fall, or a price above the reference,
    for one commodity at one market. `AlertState` makes each level alert once until the price falls back; a week
    evaluated again keeps only the alerts of its current figures (the others are marked superseded)."""

    class Kind(models.TextChoices):
        RISE = "rise", _("Week-on-week rise")
        FALL = "fall", _("Week-on-week fall")
        REFERENCE = "reference", _("Above HET/HAP")

    class Level(models.TextChoices):
        WASPADA = "waspada", _("Watch")
        SIAGA = "siaga", _("Alert")
        KRITIS = "kritis", _("Critical")
        TURUN = "turun", _("Sharp fall")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    week = models.DateField()
    price = models.PositiveIntegerField()
    base = models.PositiveIntegerField()  # last week's mean, or the reference price
    change_pct = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the same commodity, market and week is evaluated again (a corrected sheet re-published) and this
    # alert no longer states that week: kept for the record (it was sent), never listed.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["region", "-created_at"], name="prices_alert_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.level} {self.commodity_id}@{self.market_id} {self.week}"

    @property
    def fall_pct(self) -> float:
        """How many percent a fall is, as a positive number ("fell 25 %")."""
        return -self.change_pct


class AlertState(models.Model):
    """The highest level already alerted for a commodity at a market (per kind), until it falls back to
    normal: rising 8, 12, 20 % alerts Waspada, Siaga and Kritis once each."""

    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    level = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commodity", "market", "kind"], name="prices_alert_state"),
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id}@{self.market_id} {self.kind}: {self.level}"


class SummaryLog(models.Model):
    """The weekly summary for the Monday inflation meeting, sent once per region and week."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="prices_summary_once")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.week}"


class DailyPrice(models.Model):
    """Rollup: one commodity's published prices across the region's markets on one day (sum and count), for
    the public page's prices of the latest day."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    total = models.BigIntegerField(default=0)
    markets = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commodity", "day"], name="prices_daily_commodity")]
        indexes = [models.Index(fields=["region", "day"], name="prices_daily_region")]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.day}: {self.mean}"

    @property
    def mean(self) -> int | None:
        return round(self.total / self.markets) if self.markets else None

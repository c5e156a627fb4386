"""Reads of the price monitoring, scoped to a region (another region's market or sheet is the same 404 as a
missing one). The public figures come from the rollups only, over a bounded window of weeks and days, so a page
reads the same few rows after ten years of prices as after one."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.core.errors import DomainError
from gerai.prices import warning
from gerai.prices.models import (
    Alert,
    Commodity,
    CommodityWeek,
    DailyPrice,
    Market,
    PriceEntry,
    PriceRevision,
    PriceSettings,
    PriceSheet,
    ReferencePrice,
    WeeklyPrice,
)

LATEST_DAYS = 14  # the public page's "latest prices" look this far back
TREND_WEEKS = 26


#: A level in words (colour is never the only sign): the EWS's levels for rises and the sharp fall. The Indonesian
#: page says Waspada, Siaga, Kritis and Turun tajam; an English page says all four in English.
LEVEL_LABELS = {
    warning.NORMAL: gettext_lazy("Normal"),
    warning.WASPADA: gettext_lazy("Watch"),
    warning.SIAGA: gettext_lazy("Alert"),
    warning.KRITIS: gettext_lazy("Critical"),
    warning.TURUN: gettext_lazy("Sharp fall"),
}


def markets_of(region, *, active_only: bool = True):
    qs = Market.objects.filter(region=region).select_related("kecamatan", "desa")
    return qs.filter(is_active=True) if active_only else qs


def commodities_of(region):
    return Commodity.objects.filter(region=region, is_active=True)


def market_get(region, code: str) -> Market:
    market = Market.objects.filter(region=region, code=code, is_active=True).first()
    if market is None:
        raise Http404
    return market


def commodity_get(region, code: str) -> Commodity:
    commodity = Commodity.objects.filter(region=region, code=code, is_active=True).first()
    if commodity is None:
        raise Http404
    return commodity


def sheet_find(market: Market, day: dt.date) -> PriceSheet | None:
    return PriceSheet.objects.filter(market=market, day=day).select_related("entered_by").first()


def sheet_get(region, market_code: str, day: dt.date) -> PriceSheet:
    sheet = (
        PriceSheet.objects.filter(region=region, market__code=market_code, day=day)
        .select_related("market", "entered_by", "published_by")
        .first()
    )
    if sheet is None:
        raise Http404
    return sheet


def sheet_prices(sheet: PriceSheet | None) -> dict[str, PriceEntry]:
    if sheet is None:
        return {}
    return {e.commodity.code: e for e in sheet.entries.select_related("commodity")}


def sheet_revisions(sheet: PriceSheet):
    return (
        PriceRevision.objects.filter(entry__sheet=sheet)
        .select_related("entry__commodity", "changed_by")
        .order_by("-changed_at")
    )


def sheets_waiting(region):
    return (
        PriceSheet.objects.filter(region=region, status=PriceSheet.Status.SUBMITTED)
        .select_related("market", "entered_by")
        .order_by("day", "market__name")[:100]
    )


def sheets_on(region, day: dt.date) -> dict[int, PriceSheet]:
    return {s.market_id: s for s in PriceSheet.objects.filter(region=region, day=day)}


def settings_of(region) -> PriceSettings:
    return PriceSettings.objects.filter(region=region).first() or PriceSettings(region=region)


def thresholds_of(region) -> tuple[warning.Thresholds, int]:
    row = settings_of(region)
    thresholds = warning.Thresholds(
        float(row.waspada_pct), float(row.siaga_pct), float(row.kritis_pct), float(row.fall_pct)
    )
    return thresholds, row.zone


def references_of(region):
    return (
        ReferencePrice.objects.filter(commodity__region=region)
        .select_related("commodity")
        .order_by("commodity__order", "commodity__name", "zone", "-valid_from")
    )


def _references_in_force(region, zone: int, day: dt.date) -> dict[int, ReferencePrice]:
    out: dict[int, ReferencePrice] = {}
    rows = ReferencePrice.objects.filter(commodity__region=region, zone=zone, valid_from__lte=day).order_by(
        "-valid_from"
    )
    for row in rows:
        out.setdefault(row.commodity_id, row)
    return out


def alerts_recent(region, *, limit: int = 20, commodity: Commodity | None = None):
    qs = (
        Alert.objects.filter(region=region, superseded_at__isnull=True)
        .select_related("commodity", "market")
        .order_by("-created_at")
    )
    if commodity is not None:
        qs = qs.filter(commodity=commodity)
    return qs[:limit]


def latest_week(region) -> dt.date | None:
    row = CommodityWeek.objects.filter(region=region).order_by("-week").values_list("week", flat=True).first()
    return row


def commodity_overview(region, *, week: dt.date | None = None, today: dt.date | None = None) -> list[dict]:
    """Per commodity: the latest day's mean price across markets, the week's mean, its week-on-week change and
    level, the reference price in force and how far above it the mean is, and the disparity across markets."""
    week = week or latest_week(region)
    commodities = list(commodities_of(region))
    thresholds, zone = thresholds_of(region)
    weeks: dict[tuple, CommodityWeek] = {}
    if week is not None:
        rows = CommodityWeek.objects.filter(region=region, week__in=[week, week - dt.timedelta(days=7)])
        weeks = {(w.commodity_id, w.week): w for w in rows}
    latest: dict[int, DailyPrice] = {}
    end = today or (week + dt.timedelta(days=6) if week else timezone.localdate(timezone.now(), region.zone))
    daily = DailyPrice.objects.filter(
        region=region, day__gt=end - dt.timedelta(days=LATEST_DAYS), day__lte=end, markets__gt=0
    ).order_by("-day")
    for row in daily:
        latest.setdefault(row.commodity_id, row)
    references = _references_in_force(region, zone, end)
    out = []
    for c in commodities:
        this = weeks.get((c.pk, week)) if week else None
        before = weeks.get((c.pk, week - dt.timedelta(days=7))) if week else None
        change = warning.pct_change(this.mean, before.mean if before else None) if this else None
        reference = references.get(c.pk)
        day = latest.get(c.pk)
        out.append(
            {
                "commodity": c,
                "latest": day.mean if day else None,
                "latest_day": day.day if day else None,
                "mean": this.mean if this else None,
                "previous": before.mean if before else None,
                "change": change,
                "level": thresholds.status(change),
                "level_label": LEVEL_LABELS[thresholds.status(change)],
                "reference": reference,
                "above": warning.above_reference(this.mean, reference.price if reference else None) if this else None,
                "cv": this.cv if this else None,
                "max_min": (this.maximum / this.minimum) if this and this.minimum else None,
                "markets": this.markets if this else 0,
            }
        )
    return out


def commodity_trend(region, commodity: Commodity, *, weeks: int = TREND_WEEKS) -> list[CommodityWeek]:
    latest = latest_week(region)
    if latest is None:
        return []
    start = latest - dt.timedelta(weeks=weeks - 1)
    return list(CommodityWeek.objects.filter(commodity=commodity, week__gte=start, week__lte=latest).order_by("week"))


def commodity_markets(region, commodity: Commodity, week: dt.date | None) -> list[dict]:
    """Each market's mean price of the week, its change on the week before and its level."""
    if week is None:
        return []
    thresholds, _zone = thresholds_of(region)
    rows = WeeklyPrice.objects.filter(
        region=region, commodity=commodity, week__in=[week, week - dt.timedelta(days=7)], days__gt=0
    ).select_related("market")
    by_market: dict[int, dict] = {}
    for row in rows:
        item = by_market.setdefault(row.market_id, {"market": row.market, "mean": None, "previous": None})
        item["mean" if row.week == week else "previous"] = row.mean
    out = []
    for item in sorted(by_market.values(), key=lambda i: i["market"].name):
        if item["mean"] is None:
            continue
        item["change"] = warning.pct_change(item["mean"], item["previous"])
        item["level"] = thresholds.status(item["change"])
        out.append(item)
    return out


MAX_API_WEEKS = 520


class SeriesRangeError(DomainError):
    """A window of weekly prices that is backwards or longer than MAX_API_WEEKS (never clipped silently)."""

    status = 422


def weekly_series(region, *, commodity: Commodity | None, start: dt.date | None, end: dt.date | None):
    """CommodityWeek rows of the weeks from `start` to `end`. Without `end`: up to the latest published week (or
    today); without `start`: the 52 weeks before `end`. A window that ends before it starts, or spans more than
    MAX_API_WEEKS weeks, is refused (SeriesRangeError), never cut short: the caller asks for fewer weeks."""
    end = end or latest_week(region) or timezone.localdate(timezone.now(), region.zone)
    start = start or max(end - dt.timedelta(weeks=52), warning.EARLIEST_DAY)
    if start > end:
        raise SeriesRangeError("range_backwards", _("`from` must not be after `to`."), field="from")
    weeks = (warning.week_of(end) - warning.week_of(start)).days // 7 + 1
    if weeks > MAX_API_WEEKS:
        raise SeriesRangeError(
            "range_too_long",
            _("At most %(max)s weeks per request (this asks for %(weeks)s): give `from` and `to` closer together.")
            % {"max": MAX_API_WEEKS, "weeks": weeks},
            field="to",
        )
    qs = CommodityWeek.objects.filter(region=region, week__gte=warning.week_of(start), week__lte=end)
    if commodity is not None:
        qs = qs.filter(commodity=commodity)
    return qs.select_related("commodity").order_by("commodity__order", "commodity__name", "week")

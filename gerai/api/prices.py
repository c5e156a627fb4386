"""GET /api/v1/regions/<region>/prices: the region's weekly food prices from the rollups (public)."""

import datetime as dt

from django.http import Http404
from ninja import Field, P, Router, Schema
from ninja.params import QueryEx

from gerai.api.api import answers
from gerai.prices import selectors, warning
from gerai.regions.selectors import region_get_by_slug

router = Router(tags=["prices"])
EARLIEST, LATEST = warning.EARLIEST_DAY, dt.date(2100, 12, 31)


class WeeklyPriceOut(Schema):
    commodity: str
    commodity_name: str
    unit: str
    week: dt.date
    mean: int
    minimum: int
    maximum: int
    markets: int
    cv_pct: float


@router.get(
    "/regions/{region}/prices",
    response=answers({200: list[WeeklyPriceOut]}, 404, 422),
    summary="Weekly mean food prices across the region's markets (published prices only)",
    description=(
        "One row per commodity and week (weeks start on Monday): the mean of the markets' weekly means, the "
        "lowest and highest market, how many markets, and the coefficient of variation across them. `from` and "
        "`to` are dates from 2000-01-01 (default: `to` the latest published week, `from` 52 weeks before `to`). "
        "A window where `from` is after `to` (`range_backwards`), or that spans more than 520 weeks "
        "(`range_too_long`), is refused with 422 and never cut short: ask for fewer weeks in several requests."
    ),
)
def region_prices(
    request,
    region: str,
    commodity: QueryEx[str | None, P(max_length=40)] = None,
    from_: QueryEx[dt.date | None, P(alias="from", ge=EARLIEST, le=LATEST)] = None,
    to: QueryEx[dt.date | None, P(ge=EARLIEST, le=LATEST)] = None,
):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module("harga"):
        raise Http404
    commodity_obj = selectors.commodity_get(region_obj, commodity) if commodity else None
    rows = selectors.weekly_series(region_obj, commodity=commodity_obj, start=from_, end=to)
    return [
        {
            "commodity": w.commodity.code,
            "commodity_name": w.commodity.name,
            "unit": w.commodity.unit,
            "week": w.week,
            "mean": w.mean,
            "minimum": w.minimum,
            "maximum": w.maximum,
            "markets": w.markets,
            "cv_pct": round(w.cv, 2),
        }
        for w in rows
    ]


class PriceAlertOut(Schema):
    commodity: str
    commodity_name: str
    market: str
    market_name: str
    kind: str = Field(
        description="rise (week-on-week rise past a threshold), fall (a sharp week-on-week fall: farmers' prices"
        " collapsing) or reference (the weekly mean above HET/HAP)."
    )
    level: str = Field(description="waspada, siaga, kritis (rises; above HET/HAP is waspada) or turun (a sharp fall).")
    week: dt.date = Field(description="Monday of the week the alert speaks of.")
    price: int = Field(description="The market's weekly mean price (Rp).")
    base: int = Field(description="Last week's mean (rise, fall) or the reference price in force (reference).")
    change_pct: float = Field(description="Percent change on `base`: negative for a fall.")
    created_at: dt.datetime


@router.get(
    "/regions/{region}/prices/alerts",
    response=answers({200: list[PriceAlertOut]}, 404, 422),
    summary="The region's latest food price alerts: sharp rises, sharp falls and prices above HET/HAP",
    description=(
        "Newest first, at most `limit` (default 50). A level alerts once per commodity and market until the price is "
        "normal again. Thresholds are the region's (by default: rise above 8 / 12 / 20 % Waspada / Siaga / Kritis; a "
        "fall of more than 8 % is Turun tajam, `turun`)."
    ),
)
def region_price_alerts(request, region: str, limit: QueryEx[int, P(ge=1, le=200)] = 50):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module("harga"):
        raise Http404
    return [
        {
            "commodity": a.commodity.code,
            "commodity_name": a.commodity.name,
            "market": a.market.code,
            "market_name": a.market.name,
            "kind": a.kind,
            "level": a.level,
            "week": a.week,
            "price": a.price,
            "base": a.base,
            "change_pct": round(a.change_pct, 2),
            "created_at": a.created_at,
        }
        for a in selectors.alerts_recent(region_obj, limit=limit)
    ]

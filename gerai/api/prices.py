"""GET /api/v1/regions/<region>/prices: the region's weekly food prices from the rollups (public)."""

import datetime as dt

from django.http import Http404
from ninja import P, Router, Schema
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

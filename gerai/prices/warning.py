"""The arithmetic of the early warning, with no Django in it (tests/test_prices_warning.py checks it with
hypothesis): reading a price as an enumerator types it, the week-on-week change, the change against the
reference price (HET/HAP), the alert level for a change, and the disparity of one commodity's price across the
region's markets. Prices are whole rupiah (int); changes and ratios are floats used for display and levels only.

- Week-on-week change = (P_t - P_{t-1}) / P_{t-1} x 100 (BPS/Kemendag, as satudata.kebumenkab.go.id states it).
- Levels (BI Jawa Barat's EWS): above 8 % Waspada, above 12 % Siaga, above 20 % Kritis; each region may set
  its own thresholds (strictly increasing).
- A sharp fall is its own level, Turun tajam: a fall of more than 8 % on the week before by default (Gerai's
  choice, mirroring Waspada: regulations.md §8 gives no fall threshold; configurable per region). Farm-gate
  prices collapsing is what the TPID watches too (HAP, the reference purchase price at farmer level).
- Disparity: the coefficient of variation (population standard deviation / mean x 100) and max/min. No official
  threshold exists for it (regulations.md §8), so it is shown, never alerted on."""

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: A number typed below this is read in thousands of rupiah, as market prices are said ("12,5" is Rp12.500,
#: "45" is Rp45.000). No staple in the list costs less than Rp1.000 per unit.
SHORTHAND_BELOW = 1000
MAX_PRICE = 100_000_000  # Rp100 million per unit: anything above is a typing slip
SUSPICIOUS_FACTOR = 10  # a price 10x the last one (or a tenth of it) asks the enumerator to confirm
#: No price, sheet, import row or reference price is dated before this (the API's lower bound too): the
#: monitoring has no earlier data, and date arithmetic near year 1 overflows.
EARLIEST_DAY = dt.date(2000, 1, 1)

NORMAL, WASPADA, SIAGA, KRITIS = "normal", "waspada", "siaga", "kritis"
LEVELS = (NORMAL, WASPADA, SIAGA, KRITIS)  # in rising order
TURUN = "turun"  # a sharp fall: alerted once until the price is normal again, like Waspada
_RANK = {NORMAL: 0, WASPADA: 1, SIAGA: 2, KRITIS: 3, TURUN: 1}


class PriceInputError(ValueError):
    """A typed price that cannot be a price; `code` is one of not_a_number, zero, negative, too_large."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_CLEAN = re.compile(r"(?i)^\s*(rp\.?)?\s*|\s*(/\s*\w+)?\s*$")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 12.500 or 1.250.000


def parse_number(text: str) -> Decimal | None:
    """A number as Indonesians write it: '.' groups thousands and ',' marks decimals ("12.500", "12,5",
    "1.250.000,50"); "Rp" and a trailing "/kg" are allowed; an empty text is None. A lone '.' that does not
    group thousands ("12.5") is a decimal point, as on a phone keypad without a comma."""
    raw = _CLEAN.sub("", text or "").replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if raw.startswith("-"):
        raise PriceInputError("negative")
    if "," in raw:
        whole, _sep, decimals = raw.rpartition(",")
        if not decimals.isdigit() or (whole and not (whole.isdigit() or _THOUSANDS.match(whole))):
            raise PriceInputError("not_a_number")
        raw = whole.replace(".", "") + "." + decimals
    elif _THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", raw):
        raise PriceInputError("not_a_number")
    try:
        return Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only decimals
        raise PriceInputError("not_a_number") from exc


def parse_price(text: str) -> int | None:
    """Whole rupiah from what an enumerator typed (see parse_number), None for an empty field. Below
    SHORTHAND_BELOW the number is in thousands. Zero, a negative number or an absurd one is refused."""
    value = parse_number(text)
    if value is None:
        return None
    if value == 0:
        raise PriceInputError("zero")
    if value < SHORTHAND_BELOW:
        value *= 1000
    if value > MAX_PRICE:
        raise PriceInputError("too_large")
    return int(value.quantize(Decimal(1)))


def is_suspicious(new: int, last: int | None, factor: int = SUSPICIOUS_FACTOR) -> bool:
    """Is `new` at least `factor` times the last price, or at most its `factor`-th part? (A slip of a zero.)"""
    if not last or new <= 0:
        return False
    return new >= last * factor or new * factor <= last


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s week: weekly figures are labelled by it (ISO weeks)."""
    return day - dt.timedelta(days=day.weekday())


def pct_change(new: float, old: float | None) -> float | None:
    """(new - old) / old x 100, or None without a positive base."""
    if old is None or old <= 0:
        return None
    return (new - old) / old * 100.0


@dataclass(frozen=True)
class Thresholds:
    """Percent rises above which a change is Waspada, Siaga and Kritis (strictly above, as the EWS says), and the
    percent fall beyond which it is a sharp fall (Turun tajam)."""

    waspada: float = 8.0
    siaga: float = 12.0
    kritis: float = 20.0
    fall: float = 8.0

    def __post_init__(self):
        if not 0 < self.waspada < self.siaga < self.kritis:
            raise ValueError("thresholds must rise: 0 < waspada < siaga < kritis")
        if not 0 < self.fall < 100:
            raise ValueError("a fall threshold is a percentage between 0 and 100")

    def level(self, change: float | None) -> str:
        """The level of a rise of `change` percent (a fall or no change is normal)."""
        if change is None or math.isnan(change):
            return NORMAL
        if change > self.kritis:
            return KRITIS
        if change > self.siaga:
            return SIAGA
        if change > self.waspada:
            return WASPADA
        return NORMAL

    def fall_level(self, change: float | None) -> str:
        """TURUN for a fall of more than `fall` percent on the week before (strictly), else normal."""
        if change is None or math.isnan(change) or change >= -self.fall:
            return NORMAL
        return TURUN

    def status(self, change: float | None) -> str:
        """What a week shows: the rise's level, or TURUN for a sharp fall, or normal."""
        rise = self.level(change)
        return rise if rise != NORMAL else self.fall_level(change)


def level_rank(level: str) -> int:
    return _RANK.get(level, 0)


def above_reference(price: float, reference: int | None) -> float | None:
    """How many percent `price` is above the reference price (HET/HAP); None when it is not above it or
    there is no reference."""
    if not reference or price <= reference:
        return None
    return (price - reference) / reference * 100.0


@dataclass(frozen=True)
class Disparity:
    markets: int
    mean: float
    minimum: int
    maximum: int
    cv: float  # coefficient of variation, percent (population standard deviation / mean x 100)
    max_min: float  # max / min


def disparity(prices: list[int]) -> Disparity | None:
    """The spread of one commodity's price across markets (None for no prices)."""
    values = [p for p in prices if p > 0]
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / n
    return Disparity(
        markets=n,
        mean=mean,
        minimum=min(values),
        maximum=max(values),
        cv=math.sqrt(variance) / mean * 100.0,
        max_min=max(values) / min(values),
    )

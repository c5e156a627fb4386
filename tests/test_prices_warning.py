"""The early warning's arithmetic (gerai/prices/warning.py, no Django): reading typed prices, week-on-week
change, thresholds, the reference comparison and disparity across markets, checked with hypothesis."""

import datetime as dt
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gerai.prices import warning
from gerai.prices.warning import KRITIS, NORMAL, SIAGA, WASPADA, PriceInputError, Thresholds

prices = st.integers(min_value=1_000, max_value=10_000_000)


def indonesian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(prices)
def test_an_indonesian_price_reads_back(n):
    assert warning.parse_price(indonesian(n)) == n
    assert warning.parse_price(str(n)) == n
    assert warning.parse_price(f"Rp {indonesian(n)}") == n
    assert warning.parse_price(f"Rp{indonesian(n)}/kg") == n


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("12.500", 12_500),
        ("12500", 12_500),
        ("12,5", 12_500),  # said in thousands at the market
        ("45", 45_000),
        ("1.250.000", 1_250_000),
        ("12.500,00", 12_500),
        ("Rp 27.000", 27_000),
        ("", None),
        ("  ", None),
    ],
)
def test_typed_prices(typed, rupiah):
    assert warning.parse_price(typed) == rupiah


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc", "not_a_number"),
        ("12.50.0", "not_a_number"),
        ("0", "zero"),
        ("0,0", "zero"),
        ("-500", "negative"),
        ("1e5", "not_a_number"),
        ("999.999.999", "too_large"),
    ],
)
def test_typed_prices_refused(typed, code):
    with pytest.raises(PriceInputError) as caught:
        warning.parse_price(typed)
    assert caught.value.code == code


@given(st.text(max_size=20))
def test_anything_typed_is_a_price_none_or_a_refusal(text):
    try:
        value = warning.parse_price(text)
    except PriceInputError as exc:
        assert exc.code in ("not_a_number", "zero", "negative", "too_large")
    else:
        assert value is None or 0 < value <= warning.MAX_PRICE


@given(prices, st.floats(min_value=-90, max_value=500))
def test_change_is_the_percent_applied(old, pct):
    new = old * (1 + pct / 100)
    assert warning.pct_change(new, old) == pytest.approx(pct, abs=1e-6)


@given(prices, prices)
def test_change_sign_follows_the_price(old, new):
    change = warning.pct_change(new, old)
    assert change is not None
    assert (change > 0) == (new > old) and (change < 0) == (new < old)


def test_change_without_a_base():
    assert warning.pct_change(100, None) is None
    assert warning.pct_change(100, 0) is None


thresholds = (
    st.tuples(
        st.floats(min_value=0.5, max_value=30),
        st.floats(min_value=0.5, max_value=30),
        st.floats(min_value=0.5, max_value=30),
    )
    .map(sorted)
    .filter(lambda t: t[0] < t[1] < t[2])
)


@given(thresholds, st.floats(min_value=-100, max_value=300), st.floats(min_value=-100, max_value=300))
def test_level_rises_with_the_change(limits, a, b):
    t = Thresholds(*limits)
    low, high = sorted((a, b))
    assert warning.level_rank(t.level(low)) <= warning.level_rank(t.level(high))


@given(thresholds)
def test_levels_are_strictly_above_each_threshold(limits):
    t = Thresholds(*limits)
    assert t.level(t.waspada) == NORMAL
    assert t.level(math.nextafter(t.waspada, math.inf)) == WASPADA
    assert t.level(t.siaga) == WASPADA
    assert t.level(math.nextafter(t.siaga, math.inf)) == SIAGA
    assert t.level(t.kritis) == SIAGA
    assert t.level(math.nextafter(t.kritis, math.inf)) == KRITIS
    assert t.level(None) == NORMAL and t.level(-50) == NORMAL


def test_default_thresholds_are_the_ews_ones():
    t = Thresholds()
    assert (t.level(8), t.level(8.1), t.level(12.1), t.level(20.1)) == (NORMAL, WASPADA, SIAGA, KRITIS)


@given(st.floats(min_value=0.5, max_value=99), st.floats(min_value=-100, max_value=300))
def test_a_sharp_fall_is_strictly_beyond_its_threshold_and_never_a_rise(fall, change):
    t = Thresholds(fall=fall)
    assert t.fall_level(-fall) == NORMAL
    assert t.fall_level(math.nextafter(-fall, -math.inf)) == warning.TURUN
    assert t.fall_level(None) == NORMAL and t.fall_level(math.nan) == NORMAL
    if change >= 0:  # a rise or no change is never a fall, and a fall never a rise level
        assert t.fall_level(change) == NORMAL
    if t.fall_level(change) == warning.TURUN:
        assert t.level(change) == NORMAL and t.status(change) == warning.TURUN
    assert t.status(change) in (t.level(change), t.fall_level(change))


def test_default_fall_threshold_is_8_percent():
    t = Thresholds()
    assert (t.status(-8), t.status(-8.1), t.status(8.1)) == (NORMAL, warning.TURUN, WASPADA)
    with pytest.raises(ValueError):
        Thresholds(fall=0)


@pytest.mark.parametrize("limits", [(8, 8, 20), (12, 8, 20), (0, 12, 20), (8, 25, 20)])
def test_thresholds_must_rise(limits):
    with pytest.raises(ValueError):
        Thresholds(*limits)


@given(prices, prices)
def test_above_reference(price, reference):
    above = warning.above_reference(price, reference)
    if price <= reference:
        assert above is None
    else:
        assert above == pytest.approx((price - reference) / reference * 100)
    assert warning.above_reference(price, None) is None


@given(st.lists(prices, min_size=1, max_size=30))
def test_disparity_bounds(values):
    d = warning.disparity(values)
    assert d is not None
    assert d.cv >= 0 and d.max_min >= 1
    assert d.minimum <= d.mean + 1e-9 and d.mean <= d.maximum + 1e-9
    assert d.markets == len(values)


@given(prices, st.integers(min_value=1, max_value=30))
def test_disparity_of_equal_prices_is_none(price, n):
    d = warning.disparity([price] * n)
    assert d is not None and d.cv == pytest.approx(0, abs=1e-9) and d.max_min == 1


@given(st.lists(prices, min_size=2, max_size=20), st.integers(min_value=2, max_value=9))
def test_disparity_does_not_depend_on_the_price_level(values, k):
    assume(len(set(values)) > 1)
    a, b = warning.disparity(values), warning.disparity([v * k for v in values])
    assert a is not None and b is not None
    assert b.cv == pytest.approx(a.cv, rel=1e-9) and b.max_min == pytest.approx(a.max_min, rel=1e-9)


def test_disparity_known_values():
    d = warning.disparity([10_000, 12_000, 14_000])
    assert d is not None
    assert d.mean == 12_000 and d.max_min == pytest.approx(1.4)
    assert d.cv == pytest.approx(math.sqrt(8_000_000 / 3) / 12_000 * 100)
    assert warning.disparity([]) is None


@given(prices, prices)
def test_suspicious_is_a_tenfold_slip(new, last):
    assert warning.is_suspicious(new, last) == (new >= 10 * last or 10 * new <= last)
    assert warning.is_suspicious(new, None) is False


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_week_of_is_the_monday(day):
    monday = warning.week_of(day)
    assert monday.weekday() == 0 and 0 <= (day - monday).days < 7

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from gerai.lib.workdays import add_working_days, working_days_left
from gerai.regions.calendar import national_days_off

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def national(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in national_days_off(day.year)


moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=dt.datetime(2027, 12, 1),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


@given(start=moments, days=st.integers(0, 40))
def test_deadline_falls_on_a_working_day_at_end_of_day(start, days):
    due = add_working_days(start, days, tz=WIB, is_working_day=national)
    assert national(due.date())
    assert due.time() == dt.time.max
    assert due > start


@given(start=moments, days=st.integers(0, 40))
def test_days_left_inverts_add(start, days):
    due = add_working_days(start, days, tz=WIB, is_working_day=national)
    left = working_days_left(start, due, tz=WIB, is_working_day=national)
    assert add_working_days(start, left, tz=WIB, is_working_day=national) == due


@given(start=moments, a=st.integers(0, 30), b=st.integers(0, 30))
def test_more_days_never_means_an_earlier_deadline(start, a, b):
    lo, hi = sorted((a, b))
    assert add_working_days(start, lo, tz=WIB, is_working_day=national) <= add_working_days(
        start, hi, tz=WIB, is_working_day=national
    )


@given(start=moments, days=st.integers(1, 30))
def test_exactly_n_working_days_lie_between(start, days):
    due = add_working_days(start, days, tz=WIB, is_working_day=national)
    day, count = start.astimezone(WIB).date(), 0
    while day < due.date():
        day += dt.timedelta(days=1)
        count += national(day)
    assert count == days


def test_2026_cuti_bersama_and_nyepi_are_skipped():
    # Friday 13 March 2026. 18 (cuti bersama), 19 (Nyepi), 20, 23, 24 (cuti bersama Idul Fitri) are days off,
    # so three working days are Mon 16, Tue 17 and Wed 25 March.
    start = dt.datetime(2026, 3, 13, 10, tzinfo=WIB)
    assert add_working_days(start, 3, tz=WIB, is_working_day=national) == dt.datetime.combine(
        dt.date(2026, 3, 25), dt.time.max, tzinfo=WIB
    )
    assert add_working_days(start, 2, tz=WIB, is_working_day=national).date() == dt.date(2026, 3, 17)


def test_the_regions_time_zone_decides_the_day():
    # 23:30 WIB on Friday is already Saturday 01:30 in WIT: a WIT region starts counting from Monday.
    moment = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC)
    assert add_working_days(moment, 0, tz=WIB, is_working_day=national).date() == dt.date(2026, 11, 27)
    assert add_working_days(moment, 0, tz=WIT, is_working_day=national).date() == dt.date(2026, 11, 30)


def test_the_national_holiday_table_is_what_the_installed_package_says():
    """Workers read Indonesia's holidays from a table (importing `holidays` costs ~19 MB per worker); after an
    upgrade of the package, write it again: .venv/bin/python -m gerai.lib.national_holidays"""
    import subprocess
    import sys

    from gerai.lib import national_holidays

    for year in national_holidays.YEARS:
        assert national_holidays.days_off(year) == national_holidays.computed(year), year
    assert dt.date(2026, 8, 17) in national_days_off(2026) and dt.date(2026, 8, 18) not in national_days_off(2026)
    fresh = (
        "import sys; from gerai.lib.national_holidays import days_off; days_off(2026); print('holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", fresh], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "holidays" not in out.split()

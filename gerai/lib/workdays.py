"""Working-day arithmetic for SLAs.

A deadline of N working days from a moment is the end (23:59:59.999999, local time) of the N-th
working day after the moment's local date. N = 0 means the end of that same day if it is a working
day, else of the next working day. Which days are working days is asked of `is_working_day`, so the
rules (weekends, national holidays, cuti bersama, a region's overrides) live in one place elsewhere.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

IsWorkingDay = Callable[[dt.date], bool]

_DAY = dt.timedelta(days=1)
#: No calendar in Indonesia has this many non-working days in a row; guards against a bad override.
_MAX_GAP = 60


def _next_working_day(day: dt.date, is_working_day: IsWorkingDay) -> dt.date:
    for _ in range(_MAX_GAP):
        day += _DAY
        if is_working_day(day):
            return day
    raise ValueError("no working day within 60 days; check the holiday overrides")


def end_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=tz)


def add_working_days(start: dt.datetime, days: int, *, tz: ZoneInfo, is_working_day: IsWorkingDay) -> dt.datetime:
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if days < 0:
        raise ValueError("days must not be negative")
    day = start.astimezone(tz).date()
    if days == 0:
        if not is_working_day(day):
            day = _next_working_day(day, is_working_day)
        return end_of_day(day, tz)
    for _ in range(days):
        day = _next_working_day(day, is_working_day)
    return end_of_day(day, tz)


def working_days_left(now: dt.datetime, due: dt.datetime, *, tz: ZoneInfo, is_working_day: IsWorkingDay) -> int:
    """Working days strictly after now's local date, up to and including due's local date.

    The inverse of add_working_days: add_working_days(now, working_days_left(now, due)) == due
    for any due produced by add_working_days from a moment on or before now's date.
    """
    return working_days_between_dates(now.astimezone(tz).date(), due.astimezone(tz).date(), is_working_day)


def working_days_between(start: dt.datetime, end: dt.datetime, *, tz: ZoneInfo, is_working_day: IsWorkingDay) -> int:
    """Working days after start's local date up to and including end's local date (0 if end <= start)."""
    if end <= start:
        return 0
    return working_days_left(start, end, tz=tz, is_working_day=is_working_day)


def working_days_between_dates(start: dt.date, end: dt.date, is_working_day: IsWorkingDay) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start): a service that
    finishes on the day it was asked for took 0 working days, one finished the next working day took 1."""
    count = 0
    day = start
    while day < end:
        day += _DAY
        if is_working_day(day):
            count += 1
    return count

"""A region's working-day calendar: Monday–Friday, minus national holidays and cuti bersama
(the `holidays` package, categories public and government, read from a table: gerai.lib.national_holidays),
corrected by the region's overrides."""

import datetime as dt

from gerai.core.memo import ttl_memo
from gerai.lib import national_holidays, workdays
from gerai.regions.models import HolidayOverride, Region


def national_days_off(year: int) -> frozenset[dt.date]:
    return national_holidays.days_off(year)


@ttl_memo
def holiday_overrides(region_id: int) -> dict[dt.date, bool]:
    """A region's corrections to the national calendar; a change applies everywhere within
    GERAI_REGION_CACHE_SECONDS (and immediately in the process that made it)."""
    return dict(HolidayOverride.objects.filter(region_id=region_id).values_list("date", "is_holiday"))


class RegionCalendar:
    def __init__(self, region: Region, overrides: dict[dt.date, bool] | None = None):
        self.region = region
        self.tz = region.zone
        self.overrides = holiday_overrides(region.pk) if overrides is None else overrides

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return not self.overrides[day]
        if day.weekday() >= 5:
            return False
        return day not in national_days_off(day.year)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return workdays.add_working_days(start, days, tz=self.tz, is_working_day=self.is_working_day)

    def working_days_left(self, now: dt.datetime, due: dt.datetime) -> int:
        return workdays.working_days_left(now, due, tz=self.tz, is_working_day=self.is_working_day)

"""A region's working-day calendar: Monday–Friday, minus national holidays and cuti bersama
(the `holidays` package, categories public and government), corrected by the region's overrides."""

import datetime as dt
from functools import lru_cache

import holidays

from gerai.lib import workdays
from gerai.regions.models import HolidayOverride, Region


@lru_cache(maxsize=64)
def national_days_off(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year, categories=("public", "government")))


class RegionCalendar:
    def __init__(self, region: Region, overrides: dict[dt.date, bool] | None = None):
        self.region = region
        self.tz = region.zone
        if overrides is None:
            overrides = dict(HolidayOverride.objects.filter(region=region).values_list("date", "is_holiday"))
        self.overrides = overrides

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

"""Rollups: monthly counters kept up to date as applications, surveys and reports change, so that
dashboards and open data never scan the history.

Application and survey counters exist at three grains: the whole region (area is null), one kecamatan
and one desa or kelurahan. All three are written by the same change, so a region-wide chart sums a few
hundred rows however many applications exist, a breakdown by kecamatan reads only kecamatan rows, and a
drill-down into one kecamatan reads only its villages' rows. Durations are kept as
histograms (one row per whole number of working days), so the median and the 90th percentile are exact.
"""

from django.db import models
from django.db.models import Q


class Level(models.IntegerChoices):
    REGION = 0
    KECAMATAN = 3
    VILLAGE = 5


def _grains(prefix: str, fields: list[str]) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(fields=fields, condition=Q(area__isnull=True), name=f"{prefix}_region"),
        models.UniqueConstraint(fields=[*fields, "area"], condition=Q(area__isnull=False), name=f"{prefix}_area"),
    ]


class Monthly(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month, in the region's time zone

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.region_id} {self.month:%Y-%m}"


class ServiceGrain(models.Model):
    """One service's counters at one grain: the whole region (area null), a kecamatan or a desa."""

    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("regions.Area", null=True, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.REGION)

    class Meta:
        abstract = True


class ApplicationMonth(Monthly, ServiceGrain):
    submitted = models.IntegerField(default=0)  # by month of submission
    completed = models.IntegerField(default=0)  # the rest by month of closing
    completed_in_sla = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)

    class Meta:
        constraints = _grains("appmonth", ["region", "service", "month"])
        indexes = [
            models.Index(fields=["region", "level", "month"], name="appmonth_level"),
            models.Index(fields=["region", "area", "month"], name="appmonth_by_area"),
        ]


class ApplicationDays(Monthly, ServiceGrain):
    """How many applications completed in a month took this many working days from submission."""

    days = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = _grains("appdays", ["region", "service", "month", "days"])
        indexes = [
            models.Index(fields=["region", "level", "month"], name="appdays_level"),
            models.Index(fields=["region", "area", "month"], name="appdays_by_area"),
        ]


class SurveyMonth(Monthly, ServiceGrain):
    """Per-element sums and answer counts, enough to compute the IKM of any set of months exactly."""

    respondents = models.IntegerField(default=0)
    s1 = models.IntegerField(default=0)
    s2 = models.IntegerField(default=0)
    s3 = models.IntegerField(default=0)
    s4 = models.IntegerField(default=0)
    s5 = models.IntegerField(default=0)
    s6 = models.IntegerField(default=0)
    s7 = models.IntegerField(default=0)
    s8 = models.IntegerField(default=0)
    s9 = models.IntegerField(default=0)
    n1 = models.IntegerField(default=0)
    n2 = models.IntegerField(default=0)
    n3 = models.IntegerField(default=0)
    n4 = models.IntegerField(default=0)
    n5 = models.IntegerField(default=0)
    n6 = models.IntegerField(default=0)
    n7 = models.IntegerField(default=0)
    n8 = models.IntegerField(default=0)
    n9 = models.IntegerField(default=0)

    class Meta:
        constraints = _grains("surveymonth", ["region", "service", "month"])
        indexes = [
            models.Index(fields=["region", "level", "month"], name="surveymonth_level"),
            models.Index(fields=["region", "area", "month"], name="surveymonth_by_area"),
        ]


class ReportMonth(Monthly):
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    filed = models.IntegerField(default=0)  # by month filed
    responded = models.IntegerField(default=0)  # by month of the first response
    resolved = models.IntegerField(default=0)  # by month settled

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "category", "month"], name="reportmonth_key")]


class ReportDays(Monthly):
    """Working days from filing to the agency's first response, per month of that response."""

    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "category", "month", "days"], name="reportdays_key")]


class Backlog(ServiceGrain):
    """The open applications now, per service and the office holding them: open, waiting for the
    citizen, and past their due date (as flagged by the SLA sweep, which runs every minute)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("regions.Agency", on_delete=models.CASCADE, related_name="+")
    open = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints = _grains("backlog", ["region", "service", "agency"])
        indexes = [
            models.Index(fields=["region", "level"], name="backlog_level"),
            models.Index(fields=["region", "area"], name="backlog_by_area"),
        ]

    def __str__(self) -> str:
        return f"backlog {self.region_id} {self.agency_id}"


class PendingChange(models.Model):
    """Counter changes written by a service in its own transaction and added to the rollups afterwards
    by `rollups_fold` (the worker's pulse; a dashboard read never folds). Appending a row
    locks nothing that another transaction needs: many submissions to the same popular service commit
    side by side, and the fold adds hundreds of them to the busy counter rows with one UPDATE each."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    deltas = models.JSONField()  # [[model, [[field, value], …], {counter: delta}], …]

    def __str__(self) -> str:
        return f"pending change {self.pk} of region {self.region_id}"

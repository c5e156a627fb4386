"""Complaint statistics per agency and category: volume, time to first response, time to settlement,
and the share handled within the deadlines (verification and follow-up in working days, settlement in
calendar days)."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import HttpResponse

from gerai.complaints.models import OPEN_STATUSES
from gerai.complaints.services import policy_of
from gerai.lib.spreadsheets import csv_writer
from gerai.regions.calendar import RegionCalendar

CSV_HEADER = [
    "instansi",
    "kategori",
    "jumlah",
    "masih_terbuka",
    "median_jam_tanggapan_pertama",
    "median_hari_penyelesaian",
    "persen_tepat_waktu",
]


@dataclass
class Row:
    agency: str
    category: str
    total: int = 0
    open: int = 0
    response_hours: list = field(default_factory=list)
    settle_days: list = field(default_factory=list)
    judged: int = 0
    on_time: int = 0

    @property
    def median_response_hours(self):
        return round(statistics.median(self.response_hours), 1) if self.response_hours else None

    @property
    def median_settle_days(self):
        return round(statistics.median(self.settle_days), 1) if self.settle_days else None

    @property
    def on_time_share(self):
        return round(100 * self.on_time / self.judged, 1) if self.judged else None


def report_statistics(region, reports) -> list[Row]:
    policy = policy_of(region)
    calendar = RegionCalendar(region)
    rows: dict = defaultdict(lambda: None)
    values = reports.values_list(
        "category__agency__name",
        "category__name",
        "status",
        "created_at",
        "verified_at",
        "first_response_at",
        "closed_at",
        "settle_by",
    )
    for agency, category, status, created, verified, first, closed, settle_by in values.iterator(chunk_size=2000):
        row = rows[(agency, category)] or Row(agency, category)
        rows[(agency, category)] = row
        row.total += 1
        row.open += status in OPEN_STATUSES
        if first:
            row.response_hours.append((first - created).total_seconds() / 3600)
        if closed and status in ("resolved", "closed"):
            row.settle_days.append((closed - created).total_seconds() / 86400)
        if verified and first:  # a report that reached the agency and was answered can be judged
            row.judged += 1
            in_time = (
                verified <= calendar.add_working_days(created, policy.verify_days)
                and first <= calendar.add_working_days(verified, policy.follow_up_days)
                and (closed is None or settle_by is None or closed <= settle_by)
            )
            row.on_time += in_time
    return sorted((r for r in rows.values() if r), key=lambda r: (r.agency, r.category))


def csv_row(row: Row) -> list:
    return [
        row.agency,
        row.category,
        row.total,
        row.open,
        row.median_response_hours if row.median_response_hours is not None else "",
        row.median_settle_days if row.median_settle_days is not None else "",
        row.on_time_share if row.on_time_share is not None else "",
    ]


def csv_response(region, table: list[Row]) -> HttpResponse:
    """The statistics as a CSV download, one line per agency and category, under the header above."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-pengaduan-{region.slug}.csv"'
    writer = csv_writer(response)
    writer.writerow(CSV_HEADER)
    for row in table:
        writer.writerow(csv_row(row))
    return response

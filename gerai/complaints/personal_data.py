"""What complaints keeps about a person (as reporter), for their "download my data" page."""

from gerai.complaints.models import Report


def reports_of(user) -> list[dict]:
    return [
        {
            "region": report.region.slug,
            "tracking_code": report.tracking_code,
            "title": report.title,
            "description": report.description,
            "address": report.address,
            "anonymous": report.anonymous,
        }
        for report in Report.objects.filter(reporter=user).select_related("region").order_by("pk")
    ]

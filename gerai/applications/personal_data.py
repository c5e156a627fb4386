"""What applications keeps about a person (as applicant), for their "download my data" page."""

from gerai.applications.models import Application


def applications_of(user) -> list[dict]:
    rows = (
        Application.objects.filter(applicant=user)
        .select_related("service", "region")
        .prefetch_related("documents")
        .order_by("pk")
    )
    return [
        {
            "region": application.region.slug,
            "service": application.service.name,
            "tracking_code": application.tracking_code,
            "status": application.status,
            "answers": application.answers,
            "documents": [
                {"name": document.original_name, "type": document.content_type, "sha256": document.sha256}
                for document in application.documents.all()
            ],
        }
        for application in rows
    ]

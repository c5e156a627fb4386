from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.lib.codes import reference


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROCESS = "in_process", _("In process")
    NEEDS_CORRECTION = "needs_correction", _("Needs correction")
    APPROVED = "approved", _("Approved")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROCESS, Status.NEEDS_CORRECTION, Status.APPROVED)
ACTIONABLE_STATUSES = (Status.SUBMITTED, Status.IN_PROCESS, Status.APPROVED)
FINAL_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.CANCELLED)
#: What an agency's work queue holds, in one fixed order: the partial index below and the queue's filter
#: must spell the same condition (SQLite uses a partial index only when the query repeats its WHERE
#: literally; a bound parameter cannot prove it).
QUEUE_STATUSES = ("submitted", "in_process", "needs_correction", "approved")


def _upload_path(instance, filename):
    # no personal data and no original name in the stored path
    return f"applications/{instance.application.region_id}/{instance.application.ref}/{reference()}"


class Application(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications_created"
    )
    assisted = models.BooleanField(default=False)  # filed at a counter by an operator for the citizen
    ref = models.CharField(max_length=16, unique=True, default=reference)  # opaque, for private URLs
    tracking_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    desa = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT)
    answers = models.JSONField(default=dict, blank=True)
    current_step = models.ForeignKey("catalog.WorkflowStep", null=True, blank=True, on_delete=models.PROTECT)
    current_agency = models.ForeignKey(
        "regions.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="queue"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    sla_days_left = models.SmallIntegerField(null=True, blank=True)  # kept while the clock is paused
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)
    decision_reason = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                name="application_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"], name="app_queue"),
            # The work queue: open applications of one agency in due-date order, read straight off the index
            # (status IN (...) on the composite index above makes PostgreSQL sort every open row).
            models.Index(
                fields=["region", "current_agency", "due_at", "id"],
                name="app_open_queue",
                condition=models.Q(status__in=QUEUE_STATUSES),
            ),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant"),
            models.Index(fields=["region", "status", "due_at"], name="app_region_status"),
        ]

    def __str__(self) -> str:
        return self.tracking_code or f"draft {self.ref}"

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.status in ACTIONABLE_STATUSES and self.due_at < timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey("catalog.DocumentRequirement", on_delete=models.PROTECT)
    file = models.FileField(upload_to=_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)  # a replaced upload stays for the record

    class Meta:
        ordering = ["requirement__order", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class TimelineEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("Draft started")
        SUBMITTED = "submitted", _("Submitted")
        CLAIMED = "claimed", _("Taken up by an officer")
        ASSIGNED = "assigned", _("Assigned")
        STEP_DONE = "step_done", _("Step completed")
        FORWARDED = "forwarded", _("Forwarded")
        CORRECTION = "correction", _("Correction requested")
        RESUBMITTED = "resubmitted", _("Corrected and resubmitted")
        APPROVED = "approved", _("Approved")
        SIGNED = "signed", _("Signed electronically")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        NOTE = "note", _("Internal note")
        REMINDER = "reminder", _("Overdue reminder sent")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    step_name = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey("regions.Agency", null=True, blank=True, on_delete=models.SET_NULL)
    message = models.TextField(blank=True)
    internal = models.BooleanField(default=False)  # never shown to the citizen or the public

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="event_app_at")]

    def __str__(self) -> str:
        return self.kind

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.accounts.models import nik_index
from gerai.catalog.workflow import Step, filed_under
from gerai.lib.codes import reference
from gerai.lib.letters import mask_name
from gerai.lib.nik import mask as mask_nik
from gerai.lib.pii import EncryptedJSONField, EncryptedTextField


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROCESS = "in_process", _("In process")
    NEEDS_CORRECTION = "needs_correction", _("Needs correction")
    APPROVED = "approved", _("Approved")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: The open applications, which are what an agency's work queue holds, in one fixed order: the partial
#: index below and the queue's filter must spell the same condition (SQLite uses a partial index only
#: when the query repeats its WHERE literally; a bound parameter cannot prove it).
QUEUE_STATUSES = (Status.SUBMITTED, Status.IN_PROCESS, Status.NEEDS_CORRECTION, Status.APPROVED)
ACTIONABLE_STATUSES = (Status.SUBMITTED, Status.IN_PROCESS, Status.APPROVED)
FINAL_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.CANCELLED)


def _upload_path(instance, filename):
    # no personal data and no original name in the stored path
    return f"applications/{instance.application.region_id}/{instance.application.ref}/{reference()}"


class Application(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="applications")
    # the published version of the service it was filed under (its form, documents and workflow then)
    service_version = models.ForeignKey(
        "catalog.ServiceVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    # None: filed at a counter for a citizen without an account, until they claim it (see CounterFiling)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications_created"
    )
    assisted = models.BooleanField(default=False)  # filed at a counter by an operator for the citizen
    ref = models.CharField(max_length=16, unique=True, default=reference)  # opaque, for private URLs
    tracking_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    desa = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT)
    answers = EncryptedJSONField(default=dict, blank=True)  # personal answers sealed one by one (FormField.is_personal)
    # the step it is at, by its number in the workflow it was filed under (gerai/catalog/workflow.py), and the
    # step's name as it was then (the queue and the tracking page show it without reading the workflow)
    step_order = models.PositiveSmallIntegerField(null=True, blank=True)
    step_name = models.CharField(max_length=150, blank=True)
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
    def current_step(self) -> Step | None:
        """The step it is at, of the workflow of the version it was filed under."""
        return filed_under(self).step(self.step_order) if self.step_order is not None else None

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.status in ACTIONABLE_STATUSES and self.due_at < timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status in QUEUE_STATUSES

    @property
    def applicant_name(self) -> str:
        """The applicant's name: their account's, or the one taken at the counter for a citizen without one."""
        if self.applicant is not None:
            return self.applicant.full_name
        filing = getattr(self, "counter_filing", None)
        return filing.name if filing else ""

    @property
    def applicant_nik(self) -> str:
        filing = getattr(self, "counter_filing", None)
        if filing is not None:
            return filing.nik
        profile = getattr(self.applicant, "citizen", None) if self.applicant is not None else None
        return profile.nik if profile else ""


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


def _consent_path(instance, filename):
    # no personal data and no original name in the stored path
    return f"consents/{instance.application.region_id}/{instance.application.ref}/{reference()}"


class CounterFiling(models.Model):
    """Who an application filed at a counter is for: the citizen's name, NIK and phone as the officer took
    them (most people at a village counter have no account), the one-time code that confirms their
    consent, and the claim code printed on the receipt with which they can later attach it to an account.
    Here codes are stored only as keyed hashes; the text that takes the consent code to the citizen holds it
    until it is sent, then has it blanked out."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="counter_filing")
    name = models.CharField(max_length=150)
    # encrypted at rest (lib/pii.py); a NIK is compared through its blind index
    nik = EncryptedTextField()
    nik_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    in_person = models.BooleanField(default=False)  # the officer saw the citizen and their KTP at the counter
    otp_hash = models.CharField(max_length=64, blank=True)
    otp_channel = models.CharField(max_length=10, blank=True)  # sms | whatsapp | email
    otp_expires_at = models.DateTimeField(null=True, blank=True)
    otp_attempts = models.PositiveSmallIntegerField(default=0)
    otp_sent_count = models.PositiveSmallIntegerField(default=0)
    claim_hash = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"counter filing {self.application_id}"

    def save(self, *args, **kwargs):
        self.nik_index = nik_index(self.nik)
        fields = kwargs.get("update_fields")
        if fields is not None and "nik" in fields:
            kwargs["update_fields"] = {*fields, "nik_index"}
        super().save(*args, **kwargs)

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)


class CounterConsent(models.Model):
    """The citizen's consent to an application filed for them at a counter, recorded in the filing's
    transaction: a one-time code they received, or a signed paper form scanned as evidence."""

    class Method(models.TextChoices):
        OTP = "otp", _("One-time code sent to the citizen")
        PAPER = "paper", _("Signed paper form, scanned")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="counter_consent")
    method = models.CharField(max_length=10, choices=Method.choices)
    channel = models.CharField(max_length=10, blank=True)  # where the code went: sms | whatsapp | email
    # the phone or email the code went to (typed by the officer): masked to show, and a keyed hash to find
    # the same address confirming consent for another NIK
    destination_masked = models.CharField(max_length=254, blank=True)
    destination_hash = models.CharField(max_length=64, blank=True, db_index=True)
    witnessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    evidence = models.FileField(upload_to=_consent_path, max_length=200, blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.method} consent {self.application_id}"

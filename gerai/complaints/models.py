"""Complaints, reports and aspirations in the SP4N-LAPOR! way: received, verified by the region's
coordinator, sent to the agency that owns the category, followed up, closed — each step with a
working-day deadline — and published without the person who raised it."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.lib.codes import random_symbols
from gerai.lib.pii import EncryptedTextField


class ComplaintPolicy(models.Model):
    """A region's deadlines; the LAPOR! defaults when a region has set none."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="complaint_policy")
    verify_days = models.PositiveSmallIntegerField(_("verify and forward within (working days)"), default=3)
    follow_up_days = models.PositiveSmallIntegerField(_("agency follow-up within (working days)"), default=5)
    auto_close_days = models.PositiveSmallIntegerField(
        _("close after an unanswered follow-up (working days)"), default=10
    )
    settle_days = models.PositiveSmallIntegerField(_("settle within (calendar days)"), default=60)

    def __str__(self) -> str:
        return f"{self.region_id}"


class Category(models.Model):
    """A kind of report, owned by an agency; Open311's service."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="complaint_categories")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="complaint_categories")
    # Open311 attributes: [{"code", "description", "datatype", "required", "values": [{"key", "name"}]}]
    attributes = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", _("Awaiting verification")
    INFO_REQUESTED = "info_requested", _("More information requested")
    FORWARDED = "forwarded", _("Verified, with the agency")
    RESPONDED = "responded", _("Answered by the agency")
    RESOLVED = "resolved", _("Settled")
    CLOSED = "closed", _("Closed")
    NOT_AUTHORITY = "not_authority", _("Not the region's authority")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged into another report")


OPEN_STATUSES = ("received", "info_requested", "forwarded", "responded")
CLOSED_STATUSES = ("resolved", "closed", "not_authority", "archived", "merged")
# verified and not closed without an answer; who may see a report is decided in complaints/policy.py
PUBLISHED_STATUSES = ("forwarded", "responded", "resolved", "closed")


class Report(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        ASPIRATION = "aspiration", _("Aspiration")
        INFORMATION = "information", _("Request for information")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("JSON API")
        OPEN311 = "open311", "Open311"
        COUNTER = "counter", _("Counter")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="reports")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey(
        "regions.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )  # set when the coordinator forwards it
    tracking_code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("what happened"), max_length=4000)
    attributes = models.JSONField(default=dict, blank=True)
    desa = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(max_length=500, blank=True)  # Open311 clients link their own media
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reporter_name = models.CharField(max_length=150, blank=True)  # without an account
    reporter_email = EncryptedTextField(blank=True)  # encrypted at rest (lib/pii.py); never looked up by value
    reporter_phone = EncryptedTextField(blank=True)
    anonymous = models.BooleanField(_("hide my identity from the agency"), default=False)
    confidential = models.BooleanField(_("do not publish this report"), default=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RECEIVED)
    status_notes = models.CharField(max_length=500, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # the current step's deadline
    settle_by = models.DateTimeField(null=True, blank=True)  # 60 calendar days after verification
    escalated_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    redacted = models.BooleanField(default=False)  # staff hid text or photos after publication
    public_description = models.TextField(blank=True)  # what the public sees when redacted
    client_key = models.CharField(max_length=100, blank=True)  # Idempotency-Key / Open311 retry key
    open311_token = models.CharField(max_length=24, unique=True, null=True, blank=True)
    source_digest = models.CharField(max_length=64, blank=True)  # flood/duplicate check, never the address
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["region", "-created_at", "id"], name="report_region_created"),
            models.Index(fields=["region", "category", "-created_at"], name="report_region_category"),
            models.Index(fields=["region", "status", "due_at"], name="report_region_status"),
            models.Index(fields=["agency", "status", "due_at"], name="report_agency_queue"),
            models.Index(fields=["region", "client_key"], name="report_client_key"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.status in OPEN_STATUSES else "closed"

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


def _media_path(instance, filename):
    return f"reports/{instance.report.region_id}/{instance.report.tracking_code}/{random_symbols(12).lower()}"


class ReportMedia(models.Model):
    """A photo or document; photos are re-encoded without EXIF (location, camera) before storage."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to=_media_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    hidden = models.BooleanField(default=False)  # redacted by staff
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.pk}"


class ReportUpdate(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFIED = "verified", _("Verified and sent to the agency")
        INFO_REQUESTED = "info_requested", _("More information requested")
        REPORTER_REPLY = "reporter_reply", _("The reporter answered")
        RESPONSE = "response", _("The agency answered")
        RESOLVED = "resolved", _("Settled")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened by the reporter")
        NOT_AUTHORITY = "not_authority", _("Not the region's authority")
        ARCHIVED = "archived", _("Archived")
        MERGED = "merged", _("Merged")
        ESCALATED = "escalated", _("Escalated to the supervisor")
        REDACTED = "redacted", _("Redacted")
        NOTE = "note", _("Internal note")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    agency = models.ForeignKey("regions.Agency", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=4000)
    public = models.BooleanField(default=True)  # shown on the public page (internal notes are not)
    hidden = models.BooleanField(default=False)  # redacted after publication

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["report", "at"], name="report_update_at")]

    def __str__(self) -> str:
        return self.kind


class Follower(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_reports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="follower_once")]

    def __str__(self) -> str:
        return f"{self.user_id}→{self.report_id}"


class Open311Key(models.Model):
    """An integrator's api_key for Open311 POST. Only a digest is stored; revocable."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="open311_keys")
    name = models.CharField(_("integrator"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(("open311:" + key).encode()).hexdigest()

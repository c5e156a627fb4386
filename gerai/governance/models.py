"""A region's governance self-assessments (SPBE/Pemdi and the SAKIP LKE) per model and year, their answers and
evidence, the performance indicators (IKU) of its agencies, and official results published by the evaluators.
The index models themselves are data (gerai/governance/frameworks.py); rows keep the model's code."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.lib.codes import random_symbols


class Assessment(models.Model):
    """One region's sheet for one index model and year. Drafted by the agencies, reviewed by the region's
    assessor, then locked; a locked sheet is reopened only with a reason (gerai/governance/policy.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        LOCKED = "locked", _("Locked")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="assessments")
    framework = models.CharField(max_length=30)  # the model's code, e.g. "spbe-2020"
    kind = models.CharField(max_length=10)  # spbe, pemdi, sakip: the model's kind, for history across models
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20, unique=True)  # in page addresses, never the integer key
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)  # compare-and-set for transitions
    # the computed index as of the last change (recomputed by every write), for lists, history and the API
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    predicate = models.CharField(max_length=40, blank=True)
    reopen_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "framework", "year"], name="assessment_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.framework} {self.year}"


class Answer(models.Model):
    """One indicator of a sheet: its value (a maturity level 0–5, or the LKE's percentage), the justification,
    and what became of Gerai's live-data proposal (accepted or overridden with a reason)."""

    class Decision(models.TextChoices):
        NONE = "", _("No proposal used")
        ACCEPTED = "accepted", _("Proposal accepted")
        OVERRIDDEN = "overridden", _("Proposal overridden")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    justification = models.TextField(blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default="")
    decision_reason = models.CharField(max_length=500, blank=True)
    # the live figure as it stood when the assessor decided: kept, because the data go on changing
    live_source = models.CharField(max_length=30, blank=True)
    live_figure = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    live_period = models.CharField(max_length=40, blank=True)
    live_url = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="answer_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.indicator}={self.value}"


def _evidence_path(instance, filename):
    assessment = instance.answer.assessment
    return f"governance/{assessment.region_id}/{assessment.code}/{random_symbols(12).lower()}"


class Evidence(models.Model):
    """A document behind an answer (a PDF or a scan), checked by its bytes."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    code = models.CharField(max_length=20, unique=True)
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PerformanceIndicator(models.Model):
    """An agency's key performance indicator (IKU) for a year: target, realisation and which way is better.
    With `live_source` set, Gerai proposes the realisation from its own figures (the agency's IKM)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="performance_indicators")
    agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="performance_indicators")
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    realisation = models.DecimalField(_("realisation"), max_digits=14, decimal_places=2, null=True, blank=True)
    live_source = models.CharField(max_length=30, blank=True)  # "ikm": proposed from the agency's IKM
    decision = models.CharField(max_length=12, choices=Answer.Decision.choices, blank=True, default="")
    decision_reason = models.CharField(max_length=500, blank=True)
    live_figure = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    live_period = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "name"]
        indexes = [models.Index(fields=["region", "year"], name="iku_region_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.name}"


class PublishedResult(models.Model):
    """An official result announced by the evaluator (KemenPANRB, Kemendagri), recorded beside the region's
    own self-assessment with where it was published."""

    class Kind(models.TextChoices):
        SPBE = "spbe", _("SPBE index")
        PEMDI = "pemdi", _("Digital government index (Pemdi)")
        SAKIP = "sakip", _("SAKIP")
        IID = "iid", _("Regional innovation index (IID)")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="published_results")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    predicate = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=300)
    source_url = models.URLField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "year"], name="published_unique_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.year} {self.value}"

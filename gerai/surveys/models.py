import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(24)


class SurveyResponse(models.Model):
    """One respondent's answers: nine scores 1–4 (None when left unanswered) and a comment."""

    class Source(models.TextChoices):
        WEB = "web", _("Online, after the application")
        WALK_IN = "walk_in", _("At the counter")
        PAPER = "paper", _("Paper form")
        IMPORT = "import", _("Imported file")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="survey_responses")
    agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="survey_responses")
    application = models.OneToOneField(
        "applications.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_response"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    answered_on = models.DateField()  # the day of the service experience counted in the period
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["region", "answered_on"], name="survey_region_day"),
            models.Index(fields=["service", "answered_on"], name="survey_service_day"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.pk}"

    @property
    def scores(self) -> list[int | None]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]


class SurveyInvitation(models.Model):
    """The link a citizen gets when their application completes: one response, until it expires."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="survey_invitation"
    )
    token = models.CharField(max_length=40, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.application_id}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a subscription may ask for. docs/webhooks.md says which write sends which."""

    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_STATUS_CHANGED = "application.status_changed", _("Application status changed")
    APPLICATION_COMPLETED = "application.completed", _("Application completed")
    REPORT_RECEIVED = "report.received", _("Report received")
    REPORT_ANSWERED = "report.answered", _("Report answered")


class Subscription(models.Model):
    """A URL of an integrator that wants some of a region's events. The secret signs every delivery;
    it is shown once when the subscription is made."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="webhook_subscriptions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, unique=True)  # in page and API addresses, never the integer key
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=100, blank=True)
    events = models.CharField(max_length=300)  # comma-separated Event values
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["region", "is_active"], name="webhook_sub_region_active")]

    def __str__(self) -> str:
        return f"{self.code} {self.url}"

    @property
    def event_list(self) -> list[str]:
        return [e for e in self.events.split(",") if e]

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels.get(e, e)) for e in self.event_list]


class Delivery(models.Model):
    """One event for one subscription: the exact JSON body, sent by the worker's pulse and retried
    with backoff until it is answered with a 2xx or gives up."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    code = models.CharField(max_length=20, unique=True)
    event_id = models.CharField(max_length=40)  # the same for every subscription, and for a resend
    event_type = models.CharField(max_length=40)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.code} {self.state}"


class Attempt(models.Model):
    """One HTTP request of a delivery and what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # None: no HTTP answer at all
    response_body = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A message waiting to be sent. Written in the same transaction as the change it reports,
    sent by the task worker; a mail server that is down delays it, never loses it."""

    class State(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"  # gave up after MAX_ATTEMPTS; an operator can retry

    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(max_length=10, default="email")  # email | whatsapp | sms
    event = models.CharField(max_length=40, blank=True)  # what it reports, e.g. "completed", "digest"
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # what the gateway said: its id for the message, then delivery reports through its callback
    provider = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    delivery_status = models.CharField(max_length=12, blank=True)  # sent | delivered | read | failed
    delivery_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["provider", "provider_id"], name="outbox_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.state}"


class DigestLog(models.Model):
    """One daily digest per officer and day: the worker checks every minute and sends once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE)
    day = models.DateField()
    message = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write: who, what, on which object, which fields changed, when, from where.

    Entries form one hash chain per region (and one for platform-wide entries): `seq` counts from 1,
    `prev_hash` is the previous entry's `hash`, and `hash` covers this entry's content and `prev_hash`
    (gerai/audit/chain.py). An edited, deleted or reordered entry breaks the chain; a cut tail is caught by
    the signed checkpoints."""

    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_ref = models.CharField(max_length=40, blank=True, editable=False)  # the actor's id, kept if they go
    via = models.CharField(max_length=10)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    chain = models.CharField(max_length=20, default="", editable=False)
    seq = models.PositiveBigIntegerField(null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["region", "-at"], name="audit_region_at")]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The head of one chain: the last entry's number and hash. Writers lock this row
    (SELECT ... FOR UPDATE), so two writers in one region take turns and the chain never forks."""

    chain = models.CharField(max_length=20, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement "chain X had N entries ending in hash H at time T". The signature is an
    HMAC-SHA256 under the chain's key, derived from GERAI_AUDIT_SECRET, which is never in the database:
    whoever can only write the database cannot cut the tail of the chain and sign the shorter head."""

    chain = models.CharField(max_length=20)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)
    signature = models.CharField(max_length=64)
    verified = models.BooleanField(default=True)
    problem = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit checkpoint")
        indexes = [models.Index(fields=["chain", "-seq"], name="audit_checkpoint_chain_seq")]

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"

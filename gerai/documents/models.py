"""Official documents: each service's letter template, the agencies' letter-number sequences, the
signing certificates, and every document issued with its verification code and state."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.lib.codes import random_symbols


def verification_code() -> str:
    """20 Crockford symbols = 100 bits: printed in the QR code, never guessable."""
    return random_symbols(20)


class DocumentTemplate(models.Model):
    """The letter a service issues: HTML and CSS inside the region's letterhead, with placeholders."""

    class Paper(models.TextChoices):
        A4 = "A4", "A4 (210 × 297 mm)"
        F4 = "F4", "F4 (215 × 330 mm)"

    service = models.OneToOneField("catalog.Service", on_delete=models.CASCADE, related_name="document_template")
    title = models.CharField(_("document title"), max_length=150)  # "SURAT KETERANGAN USAHA"
    classification = models.CharField(_("classification code"), max_length=20, default="470")
    paper = models.CharField(_("paper size"), max_length=2, choices=Paper.choices, default=Paper.F4)
    body = models.TextField(_("letter body"))
    css = models.TextField(_("extra CSS"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class LetterSequence(models.Model):
    """The last letter number given per (agency, classification, year). Rows are locked while a
    document is signed, so numbers are handed out without duplicates or gaps."""

    agency = models.ForeignKey("regions.Agency", on_delete=models.CASCADE, related_name="letter_sequences")
    classification = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "classification", "year"], name="letter_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.classification}/{self.year}: {self.last_number}"


class SigningAuthority(models.Model):
    """A certificate authority whose signatures this region trusts: the demo's own CA per region, or
    the national one (BSrE) in production. Public certificate only; any private key lives in the key
    store on disk, encrypted."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="signing_authorities")
    name = models.CharField(max_length=200)
    certificate_der = models.BinaryField()
    key_file = models.CharField(max_length=200, blank=True)  # relative to the key store; empty if not ours
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class SignerCertificate(models.Model):
    """A signer's certificate (kepala desa/lurah, camat, kepala dinas). The key stays in the key store
    as an encrypted PKCS#12 file; the database holds only the public certificate and the file's name."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="signer_certificates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_certificates")
    authority = models.ForeignKey(SigningAuthority, on_delete=models.PROTECT, related_name="issued")
    certificate_der = models.BinaryField()
    key_file = models.CharField(max_length=200)
    serial = models.CharField(max_length=64)
    not_after = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "region", "is_active"], name="signer_cert_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.serial}"


def _document_path(instance, filename):
    return f"documents/{instance.region_id}/{instance.code}/{filename}"


class IssuedDocument(models.Model):
    class State(models.TextChoices):
        SIGNING = "signing", _("awaiting further signatures")
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")
        REPLACED = "replaced", _("replaced by a corrected document")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="issued_documents")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="issued_documents"
    )
    agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="issued_documents")
    title = models.CharField(max_length=150)
    number = models.CharField(max_length=80)
    code = models.CharField(max_length=20, unique=True, default=verification_code)
    file = models.FileField(upload_to=_document_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SIGNING)
    signers = models.JSONField(default=list, blank=True)  # [{"name", "title", "at"}] in signing order
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    reason = models.TextField(blank=True)  # why it was revoked or corrected
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="document_unique_number")]

    def __str__(self) -> str:
        return self.number

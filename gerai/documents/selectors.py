"""Reads of documents, always scoped to a region and, for private reads, to the citizen or officer."""

import re

from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from gerai.accounts.models import StaffRole
from gerai.documents.models import DocumentTemplate, IssuedDocument, SignerCertificate, SigningAuthority

PUBLISHED = (IssuedDocument.State.VALID, IssuedDocument.State.REVOKED, IssuedDocument.State.REPLACED)


def document_template_of(service) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(service=service).first()


def document_public(region, code: str) -> IssuedDocument | None:
    """What the QR code points at: an issued document of this region (never one still being signed)."""
    code = "".join(ch for ch in code.upper() if ch.isalnum())[:20]
    return (
        IssuedDocument.objects.filter(region=region, code=code, state__in=PUBLISHED)
        .select_related("agency", "application__service", "application__applicant", "replaced_by")
        .first()
    )


def document_by_hash(region, sha256: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(region=region, sha256=sha256, state__in=PUBLISHED)
        .select_related("agency", "application__applicant", "replaced_by")
        .first()
    )


def documents_of_application(application):
    return application.issued_documents.filter(state__in=PUBLISHED).select_related("agency", "replaced_by")


def document_published_of(application, code: str) -> IssuedDocument:
    """A published letter of an application its reader was allowed to open (the applications policy decides
    that, in the page that asks): the citizen's download."""
    return _one(documents_of_application(application), code)


def document_issued_of(application, code: str) -> IssuedDocument:
    """Any letter issued for an application its officer was allowed to open: the office's download."""
    return _one(application.issued_documents.select_related("agency", "application__region"), code)


def _one(queryset, code: str) -> IssuedDocument:
    document = queryset.filter(code=code).first()
    if document is None or not document.file:
        raise Http404
    return document


def document_in_progress(application) -> IssuedDocument | None:
    return application.issued_documents.filter(state=IssuedDocument.State.SIGNING).first()


def authorities_of_region(region):
    return SigningAuthority.objects.filter(region=region).order_by("pk")


def signer_certificate_active(user, region) -> SignerCertificate | None:
    return (
        SignerCertificate.objects.filter(user=user, region=region, is_active=True)
        .select_related("authority")
        .order_by("-created_at")
        .first()
    )


def signers_of_region(region):
    """Supervisors (the people who sign) with their active certificate, for the region admin."""
    roles = StaffRole.objects.filter(region=region, role=StaffRole.Role.SUPERVISOR).select_related("user", "agency")
    active = {
        c.user_id: c for c in SignerCertificate.objects.filter(region=region, is_active=True).order_by("created_at")
    }
    return [(role, active.get(role.user_id)) for role in roles.order_by("agency__name", "user__full_name")]


def signer_role_get(region, pk):
    return StaffRole.objects.filter(region=region, role=StaffRole.Role.SUPERVISOR, pk=pk).select_related("user").first()


def template_review_texts(service) -> list[tuple[str, str]]:
    """The letter template's words, for the review of an adoption (gerai/catalog/lineage.REVIEW_TEXTS): its title
    and its body as text (markup and CSS left out: a region's name in them is no text of the letter)."""
    template = DocumentTemplate.objects.filter(service=service).only("title", "body").first()
    if template is None:
        return []
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", template.body, flags=re.S | re.I)
    return [(_("Letter template: title"), template.title), (_("Letter template: body"), strip_tags(body))]

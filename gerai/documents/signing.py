"""Signing backends. `local` signs with the signer's certificate from the key store (the demo, or a
region running its own CA); `bsre` sends the PDF to a national e-signature service in the BSrE shape
(the signer's NIK and passphrase per signature, over HTTP basic auth). Both return the signed PDF or
raise SigningError with a message for the officer. Passphrases are passed through and never stored
or logged."""

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from gerai.documents import keystore
from gerai.documents.selectors import authorities_of_region

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

log = logging.getLogger(__name__)


class SigningError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Placement:
    """Where a signer's visible block goes: the bottom margin of the last page, right to left, two a row."""

    field_name: str
    box: tuple[int, int, int, int]

    @classmethod
    def for_signer(cls, index: int, page_width: float) -> "Placement":
        width, height, right = 180, 55, int(page_width) - 57
        row, column = divmod(index, 2)
        x2 = right - column * (width + 5)
        y1 = 20 + row * (height + 5)
        return cls(field_name=f"ttd-{index + 1}", box=(x2 - width, y1, x2, y1 + height))


@dataclass(frozen=True)
class SignRequest:
    pdf: bytes
    placement: Placement
    signer_name: str
    signer_title: str
    nik: str = ""  # the BSrE service identifies signers by NIK
    passphrase: str = ""
    location: str = ""
    signed_at: str = ""  # in the region's own time, e.g. "28-11-2026 21:41 WIB"


STAMP = "Ditandatangani secara elektronik oleh\n%(signer)s\n{title}\n{at}"


def _timestamper():
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    url = settings.GERAI_TSA_URL
    return RequestsHTTPTimeStamper(url, timeout=10) if url else None


class LocalBackend:
    """Signs with the PKCS#12 key of the signer's active certificate (SignerCertificate)."""

    needs_passphrase = False

    def sign(self, request: SignRequest, *, key_file: str) -> bytes:
        # pyHanko is loaded by the first signature, not by every process that imports this module (issue #20)
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import TextStampStyle

        try:
            data, passphrase = keystore.read_pkcs12(key_file)
            signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase)
        except (OSError, ValueError) as exc:
            log.error("signing key unreadable: %s (%s)", key_file, type(exc).__name__)
            raise SigningError("key_unavailable", _("The signing key cannot be read. Ask the administrator.")) from exc
        meta = signers.PdfSignatureMetadata(
            field_name=request.placement.field_name,
            reason=_("Issuing an official document"),
            location=request.location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        # pyHanko fills %(signer)s from the certificate; a % in our own text must not be read as one
        text = STAMP.format(title=request.signer_title.replace("%", "%%"), at=request.signed_at.replace("%", "%%"))
        style = TextStampStyle(stamp_text=text)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            timestamper=_timestamper(),
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(request.placement.field_name, on_page=-1, box=request.placement.box),
        )
        try:
            return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(request.pdf))).getvalue()
        except Exception as exc:  # a TSA that is down, a malformed intermediate: never a half-signed file
            log.error("local signing failed: %s", type(exc).__name__)
            raise SigningError("signing_failed", _("Signing failed; nothing was issued. Try again.")) from exc


class BsreBackend:
    """A BSrE-style e-signature service: POST /api/sign/pdf (multipart: file, nik, passphrase, visible
    signature placement) answers the signed PDF, or JSON {"error", "status_code"}."""

    needs_passphrase = True
    WRONG_PASSPHRASE = {2011, 2031}  # the service's codes for a wrong passphrase / unknown signer

    def sign(self, request: SignRequest, *, key_file: str = "") -> bytes:
        if not request.passphrase:
            raise SigningError("passphrase_required", _("Enter your signing passphrase."))
        import requests  # only when a BSrE signature is asked: no web worker loads it otherwise

        x1, y1, x2, y2 = request.placement.box
        try:
            response = requests.post(
                settings.GERAI_BSRE_URL.rstrip("/") + "/api/sign/pdf",
                auth=(settings.GERAI_BSRE_USER, settings.GERAI_BSRE_PASSWORD),
                files={"file": ("dokumen.pdf", request.pdf, "application/pdf")},
                data={
                    "nik": request.nik,
                    "passphrase": request.passphrase,
                    "tampilan": "visible",
                    "page": "-1",
                    "xAxis": x1,
                    "yAxis": y1,
                    "width": x2 - x1,
                    "height": y2 - y1,
                    "reason": "Penerbitan dokumen resmi",
                    "location": request.location,
                },
                timeout=settings.GERAI_BSRE_TIMEOUT,
            )
        except requests.RequestException as exc:
            log.warning("BSrE unreachable: %s", type(exc).__name__)
            raise SigningError(
                "service_down", _("The e-signature service cannot be reached. Try again later.")
            ) from exc
        if response.status_code == 200 and response.content.startswith(b"%PDF-"):
            return response.content
        try:
            detail = response.json()
        except ValueError:
            detail = {}
        status = detail.get("status_code") if isinstance(detail, dict) else None
        log.warning("BSrE refused: http %s, code %s", response.status_code, status)  # never the passphrase
        if status in self.WRONG_PASSPHRASE:
            raise SigningError("wrong_passphrase", _("The e-signature service refused the passphrase or NIK."))
        raise SigningError("service_error", _("The e-signature service did not sign the document. Try again later."))


def backend():
    return BsreBackend() if settings.GERAI_SIGNING_BACKEND == "bsre" else LocalBackend()


def trust_roots(region) -> list["asn1_x509.Certificate"]:
    from asn1crypto import x509 as asn1_x509  # with the verification that needs it

    """The certificates this region's documents are validated against: its own authorities plus any
    national roots configured in GERAI_SIGNING_TRUST_ROOTS (PEM files)."""
    roots = [asn1_x509.Certificate.load(bytes(a.certificate_der)) for a in authorities_of_region(region)]
    for path in settings.GERAI_SIGNING_TRUST_ROOTS:
        from cryptography import x509 as crypto_x509
        from cryptography.hazmat.primitives.serialization import Encoding

        with open(path, "rb") as handle:
            for cert in crypto_x509.load_pem_x509_certificates(handle.read()):
                roots.append(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
    return roots

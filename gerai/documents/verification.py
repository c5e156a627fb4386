"""Is this PDF one we issued, untouched? The answer comes from two independent checks: the file's
SHA-256 against the issued documents of the region, and pyHanko's validation of every embedded
signature against the region's trusted roots (no network fetching)."""

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

from gerai.documents.selectors import document_by_hash, document_public
from gerai.documents.signing import trust_roots

log = logging.getLogger(__name__)

AUTHENTIC, CHANGED, UNKNOWN, UNREADABLE = "authentic", "changed", "unknown", "unreadable"
_CODE = re.compile(rb"gerai:([0-9A-Z]{20})")  # as written in the PDF's Keywords


@dataclass
class SignatureCheck:
    signer: str
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signed_at: str = ""


@dataclass
class Verdict:
    outcome: str
    sha256: str
    document: object = None
    signatures: list[SignatureCheck] = field(default_factory=list)


def _claimed_code(reader) -> str:
    """The verification code the file says it has (its Keywords entry, as we write it)."""
    try:
        keywords = str(reader.trailer_view["/Info"].get("/Keywords", ""))
    except (KeyError, TypeError, ValueError):
        return ""
    match = _CODE.search(keywords.encode())
    return match.group(1).decode() if match else ""


def _read(data: bytes, region) -> tuple[list[SignatureCheck], str]:
    from pyhanko.pdf_utils.reader import PdfFileReader  # loaded by the first verification (issue #20)
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    code = _claimed_code(reader)
    context = ValidationContext(trust_roots=trust_roots(region), allow_fetching=False)
    checks = []
    for embedded in reader.embedded_signatures:
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # a mangled signature dictionary is a failed check, not a crash
            log.info("signature validation failed: %s", type(exc).__name__)
            checks.append(SignatureCheck(signer="?", intact=False, trusted=False, covers_whole_file=False))
            continue
        signed_at = embedded.self_reported_timestamp
        checks.append(
            SignatureCheck(
                signer=status.signing_cert.subject.native.get("common_name", "?"),
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                signed_at=signed_at.isoformat() if signed_at else "",
            )
        )
    return checks, code


def verify_pdf(region, data: bytes) -> Verdict:
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"%PDF-"):
        return Verdict(UNREADABLE, sha256)
    document = document_by_hash(region, sha256)
    code = ""
    try:
        signatures, code = _read(data, region)
    except Exception as exc:  # pyHanko's reader raises several kinds on broken files
        log.info("unreadable PDF uploaded for verification: %s", type(exc).__name__)
        signatures = None
    if document is not None:
        # our exact bytes; the signatures must still check out (they do unless our own store was altered)
        sound = bool(signatures and all(s.intact and s.trusted for s in signatures))
        return Verdict(AUTHENTIC if sound else CHANGED, sha256, document, signatures or [])
    # not our bytes: does it claim to be one of ours (its code, or a signature from our authorities)?
    claimed = document_public(region, code) if code else None
    ours = bool(signatures and any(s.trusted for s in signatures))
    if claimed is not None or ours:
        return Verdict(CHANGED, sha256, claimed, signatures or [])
    if signatures is None:
        return Verdict(UNREADABLE, sha256)
    return Verdict(UNKNOWN, sha256, None, signatures)

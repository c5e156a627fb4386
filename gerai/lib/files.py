"""Check an upload by its bytes, not its name."""

from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy

#: kind -> (MIME type, accepted name endings)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    mime: str


class FileRejected(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


#: What to tell the person whose upload was refused, by FileRejected.code; `name` is the file's (or the
#: document's) name, `types` the accepted kinds, `limit` the largest size.
REJECTED_MESSAGES = {
    "empty": gettext_lazy("%(name)s: the file is empty."),
    "too_large": gettext_lazy("%(name)s: the file is larger than %(limit)s."),
    "type_not_allowed": gettext_lazy("%(name)s: the file must be one of: %(types)s."),
    "content_mismatch": gettext_lazy(
        "%(name)s: the file's content is not what its name says. Upload a real %(types)s file."
    ),
    "unreadable": gettext_lazy("%(name)s cannot be read as a %(types)s file. Scan or save it again."),
    "too_many_pixels": gettext_lazy("%(name)s: the picture is too large (more than 50 megapixels)."),
    "active_content": gettext_lazy(
        "%(name)s: the PDF contains scripts, attached files or actions. Print it to a new PDF and upload that."
    ),
}


def rejection_message(rejected: FileRejected, *, name: str, allowed: list[str], max_size: int) -> str:
    """The refusal in plain words, in the active language: 'KTP: the file is larger than 2 MB.'"""
    megabytes, kilobytes = divmod(max_size, 2**20)
    limit = f"{megabytes} MB" if megabytes and not kilobytes else f"{max_size // 1024} KB"
    types = ", ".join(kind.upper() for kind in allowed)
    return REJECTED_MESSAGES[rejected.code] % {"name": name, "types": types, "limit": limit}


def sniff(head: bytes, *, name: str, allowed: list[str], size: int, max_size: int) -> Sniffed:
    """Return the file's real kind, or raise FileRejected with code
    'empty', 'too_large', 'type_not_allowed' or 'content_mismatch'."""
    if size == 0:
        raise FileRejected("empty")
    if size > max_size:
        raise FileRejected("too_large")
    guessed = filetype.guess(head)
    real_kind = next((k for k, (mime, _) in KINDS.items() if guessed and guessed.mime == mime), None)
    lowered = name.lower()
    named_kind = next((k for k, (_, ends) in KINDS.items() if lowered.endswith(ends)), None)
    if named_kind is None or named_kind not in allowed:
        raise FileRejected("type_not_allowed")
    if real_kind != named_kind:
        raise FileRejected("content_mismatch")
    return Sniffed(real_kind, KINDS[real_kind][0])


# ---- proving the content: decode it, not just look at it ----

#: The most pixels a photo or scan may have (50 megapixels: the largest phone cameras; 200 MB decoded).
MAX_PIXELS = 50_000_000
#: PDF names that run something or carry another file: refused, never served.
PDF_ACTIVE = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
}
PDF_MAX_OBJECTS = 200_000


def reencoded_image(data: bytes, kind: str) -> bytes:
    """The picture decoded (at most MAX_PIXELS, checked before decoding) and encoded afresh, without EXIF
    or whatever else rode along after the image data (a JPEG with HTML behind it comes out a JPEG only).
    Raises FileRejected('too_many_pixels' or 'unreadable')."""
    import io

    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG" if kind == "jpg" else "PNG"]) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise FileRejected("too_many_pixels")
            opened.load()
            image = ImageOps.exif_transpose(opened)  # upright once the orientation tag is gone
            if kind == "jpg" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG" if kind == "jpg" else "PNG", quality=88, optimize=True)
    except FileRejected:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, past twice its limit, before ours
        raise FileRejected("too_many_pixels") from None
    except Exception:  # Pillow raises many kinds for a broken or hostile file
        raise FileRejected("unreadable") from None
    return out.getvalue()


def _pdf_active_name(reader) -> str | None:
    """The first active-content name reachable from the PDF's trailer, walking every object once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        if len(seen) > PDF_MAX_OBJECTS:
            raise FileRejected("unreadable")
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in PDF_ACTIVE or (key == "/S" and value in PDF_ACTIVE):
                    return str(key if key in PDF_ACTIVE else value)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def checked_pdf(data: bytes) -> None:
    """Parse the PDF (pypdf) and refuse active content: FileRejected('active_content' or 'unreadable')."""
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRejected("unreadable")
        len(reader.pages)
        found = _pdf_active_name(reader)
    except FileRejected:
        raise
    except Exception:  # any parse failure is a file we cannot vouch for
        raise FileRejected("unreadable") from None
    if found:
        raise FileRejected("active_content")


def proven(data: bytes, kind: str) -> bytes:
    """The bytes to store for a file whose kind `sniff` named: pictures re-encoded, PDFs parsed and
    refused when active. Raises FileRejected."""
    if kind in ("jpg", "png"):
        return reencoded_image(data, kind)
    if kind == "pdf":
        checked_pdf(data)
    return data


def private_file_response(fileobj, *, content_type: str, filename: str):
    """A file somebody uploaded, as a download: never rendered by the browser as a page (attachment,
    nosniff, a sandbox CSP), never kept by shared caches. <img> still shows a picture served this way."""
    from django.http import FileResponse

    response = FileResponse(fileobj, content_type=content_type, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

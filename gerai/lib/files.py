"""Check an upload by its bytes, not its name; decode pictures and encode them afresh without metadata."""

import io
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:  # Pillow is loaded by the first picture, not by every web process
    from PIL import Image

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


#: Pillow's names of the formats each kind is decoded as.
PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
#: What rides along in a picture's info and could say where, when or with what it was taken: never written out.
PICTURE_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "adobe", "mp", "mpinfo")


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def decoded_image(
    data: bytes, *, formats: Iterable[str], max_pixels: int = MAX_PIXELS, min_side: int = 1
) -> "Image.Image":
    """The picture decoded and turned upright (its EXIF orientation applied), without its metadata (EXIF, GPS,
    XMP, comments) in what it carries. The pixel count is read from the header and checked before decoding (a
    small file that unpacks into gigabytes is refused unread; Pillow's own bomb warning is an error too). Raises
    FileRejected('too_many_pixels', 'too_small' or 'unreadable')."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(formats)) as opened:
                width, height = opened.size
                if width * height > max_pixels:
                    raise FileRejected("too_many_pixels")
                opened.load()
                image = ImageOps.exif_transpose(opened)  # upright once the orientation tag is gone
        except FileRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's guard, before ours
            raise FileRejected("too_many_pixels") from None
        except Exception:  # Pillow raises many kinds for a broken or hostile file
            raise FileRejected("unreadable") from None
    if min(image.size) < min_side:
        raise FileRejected("too_small")
    for key in PICTURE_METADATA:
        image.info.pop(key, None)
    return image


def reencoded_image(data: bytes, kind: str, *, max_pixels: int = MAX_PIXELS) -> bytes:
    """The picture decoded (at most `max_pixels`, checked before decoding) and encoded afresh in its own
    kind, without EXIF or whatever else rode along after the image data (a JPEG with HTML behind it comes out a
    JPEG only). Raises FileRejected('too_many_pixels' or 'unreadable')."""
    image = decoded_image(data, formats=[PILLOW_FORMATS[kind]], max_pixels=max_pixels)
    if kind == "jpg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=PILLOW_FORMATS[kind], quality=88, optimize=True)
    return out.getvalue()


def _flattened(image: "Image.Image") -> "Image.Image":
    """RGB, a transparent background made white (a JPEG has no transparency; black would hide dark logos)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def image_renditions(
    data: bytes,
    *,
    widths: Iterable[int],
    formats: Iterable[str] = ("JPEG", "PNG"),
    max_pixels: int = MAX_PIXELS,
    min_side: int = 1,
    quality: int = 82,
) -> list[Rendition]:
    """A photo for pages: decoded as `decoded_image` does, flattened to RGB and re-encoded as progressive JPEGs
    at each of `widths` it reaches, and at its own width when it is narrower than the widest (it is never shown
    smaller than it is), narrowest first. Nothing of the original's metadata is written (no EXIF, GPS, XMP).
    Raises FileRejected('too_many_pixels', 'too_small' or 'unreadable')."""
    from PIL import Image

    image = _flattened(decoded_image(data, formats=formats, max_pixels=max_pixels, min_side=min_side))
    out = []
    for width in sorted({min(w, image.width) for w in widths}):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)  # no exif=: none written
        out.append(Rendition(width, height, buffer.getvalue()))
    return out


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

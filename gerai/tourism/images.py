"""Photos of destinations: checked by their bytes, decoded with a ceiling on pixels (a small file that unpacks into
gigabytes is refused before it is decoded), turned upright, and re-encoded as JPEGs of several widths without any
metadata (EXIF, GPS, camera serials). Pure: bytes in, bytes out."""

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is loaded by the first photo, not by every web process (issue #20)
    from PIL import Image

MAX_BYTES = 10 * 2**20  # an upload larger than this is refused unread
MAX_PIXELS = 40_000_000  # 40 megapixels: a modern phone's photo fits, a decompression bomb does not
MIN_SIDE = 200
WIDTHS = (320, 640, 1024)
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
QUALITY = 80


class ImageRejected(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # too_large, not_image, too_many_pixels, too_small


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def _decode(data: bytes) -> "Image.Image":
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise ImageRejected("too_large")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:  # reads the header only
                if probe.format not in FORMATS:
                    raise ImageRejected("not_image")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ImageRejected("too_many_pixels")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ImageRejected("not_image") from None
    if min(image.size) < MIN_SIDE:
        raise ImageRejected("too_small")
    return image


def _flatten(image: "Image.Image") -> "Image.Image":
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def renditions(data: bytes) -> list[Rendition]:
    """The photo at each of WIDTHS that is not wider than it (and at its own width when it is narrower than the
    largest), narrowest first. Raises ImageRejected."""
    from PIL import Image

    image = _flatten(_decode(data))
    out = []
    for width in sorted({min(w, image.width) for w in WIDTHS}):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)  # no exif=: none written
        out.append(Rendition(width, height, buffer.getvalue()))
    return out

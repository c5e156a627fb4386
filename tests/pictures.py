"""Pictures for the upload tests: a phone's photo that says where it was taken, and the check that a stored
picture no longer does."""

import io

from PIL import Image

XMP_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="8,12.5S"'
    b' exif:GPSLongitude="114,22.1E"/></rdf:RDF></x:xmpmeta>'
)


def photo_with_gps(size=(1600, 1000), kind="JPEG") -> bytes:
    """A phone's photo: its EXIF names the camera and the place (GPS IFD), its XMP the place again, and it is
    stored on its side (orientation 6: turn it a quarter to stand upright)."""
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0112] = 6  # Orientation
    exif[0x8825] = {1: "S", 2: (8.0, 12.0, 30.0), 3: "E", 4: (114.0, 22.0, 6.0)}  # GPS latitude and longitude
    out = io.BytesIO()
    extra = {"xmp": XMP_GPS} if kind == "JPEG" else {}
    Image.new("RGB", size, (20, 120, 60)).save(out, kind, exif=exif, **extra)
    return out.getvalue()


def assert_no_metadata(data: bytes) -> None:
    assert b"KameraRahasia" not in data and b"GPSLatitude" not in data and b"Exif\x00\x00" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)
        assert not {"exif", "xmp", "XML:com.adobe.xmp"} & set(image.info)

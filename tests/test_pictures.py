"""gerai.lib.files' pictures: one decoder for every upload (complaints, applications, news, tourism), and
renditions for pages that carry nothing of the original's metadata (a phone's photo says where it was taken)."""

import io

import pytest
from PIL import Image

from gerai.lib.files import FileRejected, image_renditions, reencoded_image
from tests.pictures import assert_no_metadata, photo_with_gps


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_renditions_lose_exif_gps_and_xmp_and_stand_upright(kind):
    renditions = image_renditions(photo_with_gps(kind=kind), widths=(320, 640, 1200))
    # stored on its side, 1600 x 1000: upright it is 1000 wide, so 320, 640 and its own 1000 (never upscaled)
    assert [r.width for r in renditions] == [320, 640, 1000]
    for rendition in renditions:
        assert_no_metadata(rendition.data)
        with Image.open(io.BytesIO(rendition.data)) as image:
            assert image.format == "JPEG" and image.size == (rendition.width, rendition.height)
            assert image.height > image.width


def test_a_picture_reencoded_in_its_own_kind_loses_its_gps_too():
    assert_no_metadata(reencoded_image(photo_with_gps(), "jpg"))


def test_transparency_becomes_white_not_black():
    out = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(out, "PNG")
    [rendition] = image_renditions(out.getvalue(), widths=(320,))
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.convert("L").getextrema()[0] > 240


@pytest.mark.parametrize(
    ("data", "limits", "code"),
    [
        (b"%PDF-1.4 not a picture", {}, "unreadable"),
        (photo_with_gps()[:300], {}, "unreadable"),
        (photo_with_gps((150, 900)), {"min_side": 200}, "too_small"),
        (photo_with_gps((2000, 2000)), {"max_pixels": 3_000_000}, "too_many_pixels"),
    ],
)
def test_what_cannot_be_a_photo_is_refused_with_a_reason(data, limits, code):
    with pytest.raises(FileRejected) as refused:
        image_renditions(data, widths=(320,), **limits)
    assert refused.value.code == code


def test_webp_only_where_asked_for():
    out = io.BytesIO()
    Image.new("RGB", (400, 300)).save(out, "WEBP")
    with pytest.raises(FileRejected):
        image_renditions(out.getvalue(), widths=(320,))
    assert image_renditions(out.getvalue(), widths=(320,), formats=("JPEG", "PNG", "WEBP"))

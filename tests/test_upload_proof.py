"""Uploads are proven by decoding them, not by their first bytes: polyglots, pixel bombs, PDFs with
scripts or attached files and SVGs with scripts are refused or cleaned; citizens' files are downloads."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from gerai.lib.files import FileRejected, checked_pdf, proven, reencoded_image, sniff
from tests.conftest import PDF


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=20000, height=20000) -> bytes:
    """A 20000 x 20000 PNG (400 megapixels; 1.6 GB decoded) whose file is a few hundred bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compressobj(9)
    body = rows.compress(b"\x00" * (width + 1) * 50) + rows.flush()  # the first rows; enough to start decoding
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def jpeg(size=(32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 90, 30)).save(out, format="JPEG")
    return out.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def pdf_with(extra) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    extra(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action_js(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _launch(writer):
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})


def _names_javascript(writer):
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x()")})
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(script)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def test_a_jfif_header_followed_by_html_is_refused():
    polyglot = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + HTML
    assert sniff(polyglot[:262], name="ktp.jpg", allowed=["jpg"], size=len(polyglot), max_size=10**6).kind == "jpg"
    with pytest.raises(FileRejected) as refused:
        proven(polyglot, "jpg")
    assert refused.value.code == "unreadable"


def test_a_real_jpeg_with_html_behind_it_comes_out_a_jpeg_only():
    stored = proven(jpeg() + HTML, "jpg")
    assert b"<script" not in stored and stored.startswith(b"\xff\xd8")
    assert Image.open(io.BytesIO(stored)).size == (32, 24)


def test_a_pixel_bomb_is_refused_before_it_is_decoded():
    bomb = png_bomb()
    assert len(bomb) < 2000
    with pytest.raises(FileRejected) as refused:
        reencoded_image(bomb, "png")
    assert refused.value.code == "too_many_pixels"
    with pytest.raises(FileRejected) as refused:  # under Pillow's own guard (179 MP), over ours (50 MP)
        reencoded_image(png_bomb(8000, 8000), "png")
    assert refused.value.code == "too_many_pixels"


def test_exif_is_gone_after_re_encoding():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    Image.new("RGB", (10, 10)).save(out, format="JPEG", exif=exif.tobytes())
    assert b"KameraRahasia" in out.getvalue()
    assert b"KameraRahasia" not in proven(out.getvalue(), "jpg")


@pytest.mark.parametrize(
    "extra",
    [
        _open_action_js,
        _names_javascript,
        lambda w: w.add_attachment("invoice.exe", b"MZ" + b"\x00" * 64),
        _launch,
    ],
    ids=["openaction-javascript", "names-javascript", "embedded-file", "launch-action"],
)
def test_a_pdf_with_active_content_is_refused(extra):
    with pytest.raises(FileRejected) as refused:
        checked_pdf(pdf_with(extra))
    assert refused.value.code == "active_content"


def test_a_hand_written_pdf_with_an_openaction_script_is_refused():
    hostile = PDF.replace(b"/Type /Catalog\n", b"/Type /Catalog\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n")
    with pytest.raises(FileRejected):
        checked_pdf(hostile)


def test_a_plain_pdf_passes_unchanged():
    assert proven(PDF, "pdf") == PDF
    assert proven(pdf_with(lambda w: None), "pdf").startswith(b"%PDF")


def test_a_pdf_that_does_not_parse_is_refused():
    with pytest.raises(FileRejected) as refused:
        checked_pdf(b"%PDF-1.4\n" + HTML)
    assert refused.value.code == "unreadable"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>'


@pytest.mark.parametrize("name", ["peta.svg", "peta.png", "peta.jpg", "peta.pdf"])
def test_an_svg_with_a_script_is_refused_whatever_its_name(name):
    with pytest.raises(FileRejected):
        kind = sniff(SVG, name=name, allowed=["jpg", "png", "pdf"], size=len(SVG), max_size=10**6).kind
        proven(SVG, kind)


# ---- through the pages ----


def _application(personas, upload):
    from tests.factories import make_application

    return make_application(personas.citizen, personas.service, upload=upload)


def test_a_pdf_with_javascript_is_refused_on_the_application_page(personas):
    from gerai.applications.services import ApplicationError

    hostile = pdf_with(_open_action_js)
    with pytest.raises(ApplicationError) as refused:
        _application(personas, lambda name="ktp.pdf": SimpleUploadedFile(name, hostile))
    assert "PDF" in str(refused.value.message) or "scripts" in str(refused.value.message)


def test_a_citizens_file_is_served_as_a_private_download(personas):
    from gerai.applications.models import ApplicationDocument

    application = _application(personas, lambda name="ktp.pdf": SimpleUploadedFile(name, PDF))
    document = ApplicationDocument.objects.get(application=application, is_current=True)
    url = f"/{personas.a.region.slug}/permohonan/{application.ref}/berkas/{document.pk}/"
    response = personas.client("citizen").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "public" not in response["Cache-Control"] and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF

"""Letter templates: a region admin writes the body in HTML with placeholders (Django template syntax,
a safe subset); the platform wraps it in the region's letterhead and renders the PDF with WeasyPrint.
Nothing in a template can reach the network or the file system: only data: URIs are fetched."""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import cast

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType, VariableNode
from django.template.defaulttags import ForNode
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe

#: The placeholders a template may use, and what they hold (shown to admins beside the editor).
PLACEHOLDERS = {
    "nomor": "Nomor surat",
    "tanggal": "Tanggal surat",
    "judul": "Judul dokumen",
    "pemohon.nama": "Nama pemohon",
    "pemohon.nik": "NIK pemohon",
    "pemohon.tempat_tanggal_lahir": "Tanggal lahir pemohon",
    "pemohon.jenis_kelamin": "Jenis kelamin pemohon",
    "pemohon.alamat": "Alamat pemohon",
    "pemohon.desa": "Desa/kelurahan pemohon",
    "pemohon.kecamatan": "Kecamatan pemohon",
    "jawaban.<kunci>": "Jawaban formulir menurut kunci pertanyaan",
    "layanan.nama": "Nama layanan",
    "instansi.nama": "Instansi penerbit",
    "daerah.nama": "Nama daerah",
    "penanda_tangan.nama": "Nama penanda tangan pertama",
    "penanda_tangan.jabatan": "Jabatan penanda tangan pertama",
    "kode_pelacakan": "Kode pelacakan permohonan",
}
_ROOTS = {name.split(".")[0] for name in PLACEHOLDERS}
_ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "comment", "endcomment", "now"}
_ENGINE = Engine(loaders=[], autoescape=True, debug=False, string_if_invalid="")


class TemplateProblem(ValueError):
    def __init__(self, message: str, name: str = ""):
        super().__init__(message)
        self.name = name


def check_template(body: str, *, answer_keys: set[str]) -> None:
    """Refuse tags outside the safe subset and placeholders the platform does not know, naming them."""
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = token.contents.split()[0] if token.contents.split() else ""
            if tag not in _ALLOWED_TAGS:
                raise TemplateProblem("tag", tag)
    try:
        template = _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateProblem("syntax", str(exc)) from exc
    loop_names: set[str] = set()
    # get_nodes_by_type returns nodes of the type asked for; the stubs type them all as Node
    for for_node in cast(list[ForNode], template.nodelist.get_nodes_by_type(ForNode)):
        loop_names.update(for_node.loopvars)
    for node in cast(list[VariableNode], template.nodelist.get_nodes_by_type(VariableNode)):
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if not lookups:
            continue  # a literal
        root = lookups[0]
        if root in loop_names or root == "forloop":
            continue
        if root not in _ROOTS:
            raise TemplateProblem("placeholder", ".".join(lookups))
        if root == "jawaban" and len(lookups) > 1 and lookups[1] not in answer_keys:
            raise TemplateProblem("placeholder", ".".join(lookups))
        if root != "jawaban" and len(lookups) > 1 and ".".join(lookups[:2]) not in PLACEHOLDERS:
            raise TemplateProblem("placeholder", ".".join(lookups))


def render_body(body: str, context: dict) -> str:
    return _ENGINE.from_string(body).render(Context(context, autoescape=True))


@dataclass
class Letter:
    """Everything printed on one document."""

    region: object
    agency: object
    title: str
    paper: str
    body: str
    css: str
    context: dict
    verify_url: str
    code: str


PAGE_WIDTH_PT = {"A4": 595.28, "F4": 609.45}


def _qr_data_uri(url: str) -> str:
    import segno  # only pages with a QR code need it

    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def pdf_fetcher():
    """Only data: URIs (the QR code, inline images): no network, no files, whatever a template says."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def letter_html(letter: Letter) -> str:
    with translation.override("id"):
        return render_to_string(
            "documents/pdf/letter.html",
            {
                "letter": letter,
                "body": mark_safe(render_body(letter.body, letter.context)),
                "css": letter.css,
                "qr": _qr_data_uri(letter.verify_url),
            },
        )


def letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = letter_html(letter)
    return HTML(string=html, url_fetcher=pdf_fetcher(), base_url="about:blank").write_pdf(
        pdf_variant="pdf/a-3b", pdf_identifier=hashlib.sha256(letter.code.encode()).digest()[:16]
    )


def long_date(value: dt.date) -> str:
    with translation.override("id"):
        return formats.date_format(value, "j F Y")

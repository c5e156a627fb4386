"""Letter numbers (nomor surat) from an agency's format, e.g. ``{kode}/{nomor}/{unit}/{bulan}/{tahun}``
→ ``470/0123/429.110/XI/2026``. Tokens: ``kode`` (classification), ``nomor`` (the sequence, four digits
at least), ``unit`` (the agency's unit code), ``bulan`` (month in Roman numerals), ``tahun`` (year)."""

import datetime as dt
import re

TOKENS = ("kode", "nomor", "unit", "bulan", "tahun")
DEFAULT_FORMAT = "{kode}/{nomor}/{unit}/{bulan}/{tahun}"
_TOKEN = re.compile(r"\{([^{}]*)\}")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class FormatError(ValueError):
    """kind: "unbalanced" braces, an "unknown" token, or the "missing" {nomor}."""

    def __init__(self, kind: str, token: str = ""):
        super().__init__(f"{kind} {token}".strip())
        self.kind = kind
        self.token = token


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def check_format(fmt: str) -> None:
    """Raise FormatError naming the first unknown token, or when {nomor} is missing."""
    if fmt.count("{") != fmt.count("}"):
        raise FormatError("unbalanced")
    names = _TOKEN.findall(fmt)
    for name in names:
        if name not in TOKENS:
            raise FormatError("unknown", name)
    if "nomor" not in names:
        raise FormatError("missing", "nomor")


def render(fmt: str, *, sequence: int, classification: str, unit: str, date: dt.date) -> str:
    values = {
        "kode": classification,
        "nomor": f"{sequence:04d}",
        "unit": unit,
        "bulan": roman_month(date.month),
        "tahun": str(date.year),
    }
    return _TOKEN.sub(lambda m: values[m.group(1)], fmt)


def mask_name(name: str) -> str:
    """'Siti Aminah' → 'S*** A*****': enough to match a paper in hand, not to identify a stranger."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)

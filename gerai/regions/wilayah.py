"""The Kemendagri region code list shipped with Gerai (data/kode_wilayah_kemendagri_2025.csv).

Source: Kepmendagri No 300.2.2-2138 Tahun 2025, compiled by cahyadsn/wilayah (MIT licence,
data/LICENSE-wilayah.txt)."""

import csv
from collections.abc import Iterator
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).parent / "data" / "kode_wilayah_kemendagri_2025.csv"


def rows() -> Iterator[tuple[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


@cache
def kecamatan_codes() -> frozenset[str]:
    """Every kecamatan code in Indonesia: the NIK may come from anywhere, not only this region."""
    return frozenset(code for code, _ in rows() if code.count(".") == 2)


def kecamatan_exists(code: str) -> bool:
    return code in kecamatan_codes()


def regency_name(code: str) -> str | None:
    return next((name for c, name in rows() if c == code), None)


def level_of(code: str) -> int:
    """3 kecamatan, 4 kelurahan, 5 desa (matching Area.Level), 1 province, 2 regency."""
    parts = code.split(".")
    if len(parts) < 4:
        return len(parts)
    return 4 if parts[3].startswith("1") else 5


WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
# Keppres 41/1987 (Indonesia's three time zones) by province code of the Kemendagri list: all of Sumatra, Java,
# Kalimantan Barat and Tengah are WIB; Bali, the Nusa Tenggara, Kalimantan Selatan, Timur and Utara and all of
# Sulawesi (Gorontalo too) are WITA; Maluku, Maluku Utara and every Papua province are WIT.
_WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def province_codes() -> list[str]:
    return [code for code, _name in rows() if "." not in code]


def zone_of(code: str) -> str:
    """The IANA time zone of a province, regency or area code ("63.01" -> Asia/Makassar)."""
    province = code.split(".")[0]
    if province in _WIT_PROVINCES:
        return WIT
    return WITA if province in _WITA_PROVINCES else WIB


def regency_codes(province: str) -> list[str]:
    return [code for code, _name in rows() if code.count(".") == 1 and code.startswith(province + ".")]

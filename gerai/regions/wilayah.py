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

"""NIK (Nomor Induk Kependudukan) parsing and validation.

Layout (regulations.md §7): PP KK CC DDMMYY SSSS. PPKKCC is the kecamatan of first registration;
DD is the day of birth, plus 40 for women; MM the month; YY the last two digits of the year;
SSSS a serial from 0001. Whether the kecamatan exists is asked of a callable, so this module
stays free of I/O.
"""

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class NikError(StrEnum):
    LENGTH = "length"
    DIGITS = "digits"
    REGION = "region"
    DAY = "day"
    MONTH = "month"
    DATE = "date"
    SERIAL = "serial"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    SEX_MISMATCH = "sex_mismatch"


class NikInvalid(ValueError):
    def __init__(self, code: NikError):
        super().__init__(code.value)
        self.code = code


@dataclass(frozen=True)
class Nik:
    value: str
    kecamatan_code: str  # dotted Kemendagri code, e.g. "35.10.01"
    birth_day: int
    birth_month: int
    birth_year_2: int
    female: bool
    serial: int

    def birth_date_candidates(self) -> list[dt.date]:
        """The birth dates the digits allow (two centuries), that exist in the calendar."""
        found = []
        for century in (1900, 2000):
            with contextlib.suppress(ValueError):
                found.append(dt.date(century + self.birth_year_2, self.birth_month, self.birth_day))
        return found


def normalize(raw: str) -> str:
    return "".join(raw.split())


def parse(raw: str, *, kecamatan_exists: Callable[[str], bool]) -> Nik:
    value = normalize(raw)
    if not value.isdigit():
        raise NikInvalid(NikError.DIGITS)
    if len(value) != 16:
        raise NikInvalid(NikError.LENGTH)
    kecamatan = f"{value[0:2]}.{value[2:4]}.{value[4:6]}"
    if not kecamatan_exists(kecamatan):
        raise NikInvalid(NikError.REGION)
    day = int(value[6:8])
    month = int(value[8:10])
    year2 = int(value[10:12])
    serial = int(value[12:16])
    female = day > 40
    if female:
        day -= 40
    if not 1 <= day <= 31:
        raise NikInvalid(NikError.DAY)
    if not 1 <= month <= 12:
        raise NikInvalid(NikError.MONTH)
    if serial == 0:
        raise NikInvalid(NikError.SERIAL)
    nik = Nik(value, kecamatan, day, month, year2, female, serial)
    if not nik.birth_date_candidates():
        raise NikInvalid(NikError.DATE)
    return nik


def check_person(nik: Nik, *, birth_date: dt.date, female: bool) -> None:
    """Raise when the birth date or sex that a person gives disagree with digits 7–12."""
    if birth_date not in nik.birth_date_candidates():
        raise NikInvalid(NikError.BIRTH_DATE_MISMATCH)
    if female != nik.female:
        raise NikInvalid(NikError.SEX_MISMATCH)


def regency_code(value: str) -> str:
    """The Kemendagri code of the regency that issued a NIK ("35.10" for 3510…): its first four digits."""
    value = normalize(value)
    return f"{value[0:2]}.{value[2:4]}"


def mask(value: str) -> str:
    """3510 **** **** 0001: enough for a person to recognise their own number, useless to others."""
    value = normalize(value)
    if len(value) != 16:
        return "*" * len(value)
    return f"{value[:4]}********{value[-4:]}"


def compose(*, kecamatan_code: str, birth_date: dt.date, female: bool, serial: int) -> str:
    """Build a NIK from its parts (demo data and tests)."""
    day = birth_date.day + (40 if female else 0)
    return kecamatan_code.replace(".", "") + f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"

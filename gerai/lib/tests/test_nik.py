import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gerai.lib import nik

KNOWN = {"35.10.15", "62.07.01", "11.01.01"}
exists = KNOWN.__contains__

dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2026, 11, 28))


@given(birth=dates, female=st.booleans(), serial=st.integers(1, 9999), kec=st.sampled_from(sorted(KNOWN)))
def test_composed_nik_parses_back_to_its_parts(birth, female, serial, kec):
    value = nik.compose(kecamatan_code=kec, birth_date=birth, female=female, serial=serial)
    parsed = nik.parse(value, kecamatan_exists=exists)
    assert parsed.kecamatan_code == kec
    assert parsed.female is female
    assert birth in parsed.birth_date_candidates()
    nik.check_person(parsed, birth_date=birth, female=female)  # agrees: no exception


@given(birth=dates, female=st.booleans())
def test_the_other_sex_is_refused(birth, female):
    parsed = nik.parse(
        nik.compose(kecamatan_code="35.10.15", birth_date=birth, female=female, serial=1), kecamatan_exists=exists
    )
    with pytest.raises(nik.NikInvalid) as err:
        nik.check_person(parsed, birth_date=birth, female=not female)
    assert err.value.code == nik.NikError.SEX_MISMATCH


@given(birth=dates, shift=st.integers(1, 400))
@example(birth=dt.date(2000, 2, 29), shift=1)  # 29 February 2000 has no twin in 1900
def test_another_birth_date_is_refused(birth, shift):
    other = birth + dt.timedelta(days=shift)
    parsed = nik.parse(
        nik.compose(kecamatan_code="35.10.15", birth_date=birth, female=True, serial=7), kecamatan_exists=exists
    )
    if (other.day, other.month, other.year % 100) == (birth.day, birth.month, birth.year % 100):
        return  # same digits a century apart (compared as digits: 29 February has no twin in 1900)
    with pytest.raises(nik.NikInvalid) as err:
        nik.check_person(parsed, birth_date=other, female=True)
    assert err.value.code == nik.NikError.BIRTH_DATE_MISMATCH


@given(st.text(max_size=20))
def test_arbitrary_text_is_either_valid_or_a_named_error(text):
    try:
        parsed = nik.parse(text, kecamatan_exists=exists)
    except nik.NikInvalid as exc:
        assert exc.code in nik.NikError
    else:
        assert len(parsed.value) == 16 and parsed.value.isdigit()


@pytest.mark.parametrize(
    "value, code",
    [
        ("351015520390001", nik.NikError.LENGTH),
        ("35101552039000012", nik.NikError.LENGTH),
        ("35101552O3900001", nik.NikError.DIGITS),
        ("9999995203900001", nik.NikError.REGION),
        ("3510153203900001", nik.NikError.DAY),  # 32
        ("3510157203900001", nik.NikError.DAY),  # 72 - 40 = 32
        ("3510150013900001", nik.NikError.DAY),
        ("3510151213900001", nik.NikError.MONTH),
        ("3510153102900001", nik.NikError.DATE),  # 31 February
        ("3510151203900000", nik.NikError.SERIAL),
    ],
)
def test_invalid_niks_name_their_fault(value, code):
    with pytest.raises(nik.NikInvalid) as err:
        nik.parse(value, kecamatan_exists=exists)
    assert err.value.code == code


def test_spaces_are_ignored_and_masking_hides_the_middle():
    parsed = nik.parse("3510 1552 0390 0001", kecamatan_exists=exists)
    assert parsed.value == "3510155203900001"
    assert parsed.female and parsed.birth_day == 12 and parsed.birth_month == 3
    assert nik.mask(parsed.value) == "3510********0001"

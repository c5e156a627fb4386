import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gerai.lib import letters


@given(
    sequence=st.integers(min_value=1, max_value=999_999),
    month=st.integers(min_value=1, max_value=12),
    year=st.integers(min_value=2000, max_value=2100),
)
def test_default_format_reads_back(sequence, month, year):
    number = letters.render(
        letters.DEFAULT_FORMAT, sequence=sequence, classification="470", unit="429.110", date=dt.date(year, month, 1)
    )
    kode, nomor, unit, bulan, tahun = number.split("/")
    assert (kode, int(nomor), unit, tahun) == ("470", sequence, "429.110", str(year))
    assert len(nomor) >= 4 and bulan == letters.roman_month(month)


def test_roman_months():
    assert [letters.roman_month(m) for m in (1, 4, 9, 11, 12)] == ["I", "IV", "IX", "XI", "XII"]


@pytest.mark.parametrize(
    ("fmt", "kind", "token"),
    [("{kode}/{nomer}", "unknown", "nomer"), ("{kode}/{tahun}", "missing", "nomor"), ("{nomor", "unbalanced", "")],
)
def test_bad_formats_name_the_problem(fmt, kind, token):
    with pytest.raises(letters.FormatError) as err:
        letters.check_format(fmt)
    assert (err.value.kind, err.value.token) == (kind, token)


@given(st.text(alphabet=st.characters(whitelist_categories=("L", "Zs")), min_size=1, max_size=40))
def test_masked_names_keep_initials_and_length(name):
    masked = letters.mask_name(name)
    words = name.split()
    assert masked.split() == [w[0] + "*" * (len(w) - 1) for w in words]

"""The IKM computation against PermenPANRB 14/2017: the worked example, grade boundaries, unanswered
elements, and properties that must hold for any set of answers."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gerai.lib import ikm

score = st.integers(min_value=1, max_value=4)
response = st.lists(score, min_size=9, max_size=9)


def _responses_with_totals(totals, n):
    """n responses whose per-element sums are `totals` (each total between n and 4n)."""
    rows = [[1] * 9 for _ in range(n)]
    for element, total in enumerate(totals):
        extra = total - n
        for row in rows:
            add = min(3, extra)
            row[element] += add
            extra -= add
    return rows


def test_the_regulations_worked_example():
    rows = _responses_with_totals([68, 65, 60, 75, 66, 70, 72, 64, 62], 20)
    result = ikm.compute(rows)
    assert result.nrr[0] == Fraction(340, 100) and result.nrr[3] == Fraction(375, 100)
    assert result.skm == Fraction(3010, 900)
    assert (result.ikm, result.mutu, result.kinerja) == (Decimal("83.61"), "B", "Baik")


@pytest.mark.parametrize(
    ("value", "mutu"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(value, mutu):
    assert ikm.grade(Decimal(value))[0] == mutu


def test_exact_weight_not_the_printed_0_11():
    # Σ NRR = 31.8 → 31.8/9×25 = 88.333… → 88.33 A; with 0.11 it would be 87.45 B
    rows = _responses_with_totals([71, 70, 71, 71, 71, 70, 71, 71, 70], 20)
    nrr = [v for v in ikm.compute(rows).nrr if v is not None]
    assert len(nrr) == 9 and sum(nrr) == Fraction(636, 20)
    assert ikm.compute(rows).mutu == "A"


def test_unanswered_elements_average_over_those_who_answered():
    rows: list[list[int | None]] = [[4, 4, 4, 4, 4, 4, 4, 4, None], [2, 2, 2, 2, 2, 2, 2, 2, 3]]
    result = ikm.compute(rows)
    assert result.answered[8] == 1 and result.nrr[8] == 3
    assert result.nrr[0] == 3
    assert result.ikm == Decimal("75.00") and result.mutu == "C"


def test_no_ikm_until_every_element_has_an_answer():
    result = ikm.compute([[4, 4, 4, 4, 4, 4, 4, 4, None]])
    assert result.ikm is None and result.mutu is None
    assert ikm.compute([]).ikm is None


def test_bad_scores_are_refused():
    with pytest.raises(ValueError):
        ikm.compute([[5, 4, 4, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ValueError):
        ikm.compute([[4, 4]])


@given(st.lists(response, min_size=1, max_size=60))
def test_ikm_is_the_mean_of_the_element_averages_times_25(rows):
    result = ikm.compute(rows)
    assert result.ikm is not None
    averages = [Fraction(sum(r[i] for r in rows), len(rows)) for i in range(9)]
    exact = sum(averages, Fraction(0)) / 9 * 25
    assert abs(result.ikm - Decimal(exact.numerator) / Decimal(exact.denominator)) <= Decimal("0.005")
    assert Decimal("25") <= result.ikm <= Decimal("100")
    assert result.mutu == ikm.grade(result.ikm)[0]


@given(st.lists(response, min_size=1, max_size=30), st.randoms())
def test_the_order_of_respondents_does_not_matter(rows, rnd):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert ikm.compute(rows).ikm == ikm.compute(shuffled).ikm


@given(st.lists(response, min_size=1, max_size=30), st.integers(min_value=0, max_value=8))
def test_a_better_answer_never_lowers_the_index(rows, element):
    better = [r[:] for r in rows]
    better[0][element] = 4
    after, before = ikm.compute(better).ikm, ikm.compute(rows).ikm
    assert after is not None and before is not None and after >= before


def test_krejcie_morgan_samples():
    assert ikm.required_sample(100) == 80
    assert ikm.required_sample(1000) == 278
    assert ikm.required_sample(1001) == 306  # conservative between the table's rows
    assert ikm.required_sample(7) == 7  # never more than the users themselves
    assert ikm.required_sample(10_000_000) == 384
    assert ikm.required_sample(0) == 0


@given(st.integers(min_value=1, max_value=200_000), st.integers(min_value=1, max_value=200_000))
def test_a_larger_population_never_needs_a_smaller_sample(a, b):
    low, high = sorted((a, b))
    assert ikm.required_sample(low) <= ikm.required_sample(high)

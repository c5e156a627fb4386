"""Indeks Kepuasan Masyarakat exactly as PermenPANRB 14/2017 prescribes (Lampiran):

- NRR of an element = the sum of its scores ÷ the number of respondents who answered that element;
- SKM = Σ NRR_i × 1/9 (the exact weight, not the printed 0,11), on the 1–4 scale;
- IKM = SKM × 25, rounded half-up to 2 decimals, then classified on its lower bounds:
  ≥ 88.31 A "Sangat baik", ≥ 76.61 B "Baik", ≥ 65.00 C "Kurang baik", otherwise D "Tidak baik".

Scores are kept as exact fractions until the final rounding. The Krejcie–Morgan table (1970, as commonly
reproduced) is shipped as data and answers whether a period's sample is large enough to count."""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

#: The nine elements (unsur) in the regulation's order.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
)
WEIGHT = Fraction(1, len(ELEMENTS))
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Result:
    respondents: int
    answered: tuple[int, ...]  # per element: respondents who answered it
    nrr: tuple[Fraction | None, ...]  # per element; None when nobody answered it
    ikm: Decimal | None  # None until every element has at least one answer
    mutu: str | None
    kinerja: str | None

    @property
    def skm(self) -> Fraction | None:
        return None if any(v is None for v in self.nrr) else sum(v for v in self.nrr if v is not None) * WEIGHT


def grade(ikm: Decimal) -> tuple[str, str]:
    for lower, mutu, kinerja in GRADES:
        if ikm >= lower:
            return mutu, kinerja
    raise ValueError("an IKM lies between 25 and 100")


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


def compute(responses: Iterable[Sequence[int | None]]) -> Result:
    """IKM of a set of responses, each nine scores 1–4 in element order (None: left unanswered)."""
    totals = [0] * len(ELEMENTS)
    counts = [0] * len(ELEMENTS)
    respondents = 0
    for response in responses:
        if len(response) != len(ELEMENTS):
            raise ValueError("a response has one score per element")
        respondents += 1
        for i, score in enumerate(response):
            if score is None:
                continue
            if score not in (1, 2, 3, 4):
                raise ValueError("scores run from 1 to 4")
            totals[i] += score
            counts[i] += 1
    return from_totals(respondents, totals, counts)


def from_totals(respondents: int, totals: Sequence[int], counts: Sequence[int]) -> Result:
    """IKM from per-element sums of scores and numbers of answers (what the dashboards' rollups keep):
    the same result as `compute` over the responses those sums came from."""
    nrr = tuple(Fraction(t, c) if c else None for t, c in zip(totals, counts, strict=True))
    if respondents == 0 or any(v is None for v in nrr):
        return Result(respondents, tuple(counts), nrr, None, None, None)
    ikm = _round(sum(v for v in nrr if v is not None) * WEIGHT * 25)
    mutu, kinerja = grade(ikm)
    return Result(respondents, tuple(counts), nrr, ikm, mutu, kinerja)


@cache
def _sample_table() -> tuple[tuple[int, int], ...]:
    path = Path(__file__).with_name("data") / "krejcie_morgan.csv"
    with path.open(newline="") as handle:
        return tuple((int(row["population"]), int(row["sample"])) for row in csv.DictReader(handle))


def required_sample(population: int) -> int:
    """The Krejcie–Morgan sample for a period with `population` service users: the table's value for the
    smallest tabulated population at least this large (conservative between rows), never more than the
    population itself."""
    if population <= 0:
        return 0
    for tabulated, sample in _sample_table():
        if population <= tabulated:
            return min(sample, population)
    return _sample_table()[-1][1]

"""Percentiles of whole-number durations kept as a histogram {value: count}."""

from collections.abc import Mapping


def percentile(histogram: Mapping[int, int], pct: int) -> int | None:
    """The nearest-rank percentile: the smallest value with at least pct% of the counts at or below it."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    rank = -(-pct * total // 100)  # ceil without floats
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)

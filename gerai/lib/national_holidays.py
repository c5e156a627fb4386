"""Indonesia's national holidays and cuti bersama (the `holidays` package, categories public and government),
read from a table written from that package, so that a web worker never imports it.

Importing `holidays` loads every country it knows (~300 modules, ~19 MB in each worker) to answer for one.
The table (`data/national_holidays_id.json`) holds the years most dates fall in; another year is asked of the
package itself. tests/test_workdays.py checks the table against the installed package: after upgrading
`holidays`, write it again with

    .venv/bin/python -m gerai.lib.national_holidays
"""

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "national_holidays_id.json"
YEARS = range(2000, 2051)
CATEGORIES = ("public", "government")


def computed(year: int) -> frozenset[dt.date]:
    """Asked of the `holidays` package (slow to import, large in memory)."""
    import holidays

    return frozenset(holidays.country_holidays("ID", years=year, categories=CATEGORIES))


@lru_cache(maxsize=1)
def _table() -> dict[int, frozenset[dt.date]]:
    data = json.loads(TABLE.read_text())
    return {int(year): frozenset(map(dt.date.fromisoformat, days)) for year, days in data["years"].items()}


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[dt.date]:
    table = _table()
    return table[year] if year in table else computed(year)


def write_table() -> None:
    import holidays

    lines = [f'"{year}": {json.dumps(sorted(day.isoformat() for day in computed(year)))}' for year in YEARS]
    TABLE.write_text(f'{{"holidays": "{holidays.__version__}", "years": {{\n' + ",\n".join(lines) + "\n}}\n")


if __name__ == "__main__":
    write_table()

"""The food-price benchmark: the public price page (/<region>/harga/, and one commodity's page) of a region with
one year of weekly prices for 20 markets and of a region with ten years, both in one database and measured in
turns (the machine's slow moments fall on both alike). It prints the cost of each page at ten years as a ratio to
its cost at one year (target at most 1.5: the pages read the rollups in a window of weeks, never the history)
and the queries each page makes.

    python bench/prices.py [--requests 300] [--rounds 10] [--markets 20] [--commodities 12]

SQLite in var/bench-prices by default; DATABASE_URL selects another database (it must be empty or a database
this script filled). The history is written with bulk inserts shaped as publishing writes them (one published
sheet per market and week, its WeeklyPrice, DailyPrice and CommodityWeek rows): publishing 10,400 sheets one by
one through the services would take an hour and measure the write path, which tests/test_prices.py covers."""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench-prices"
TARGET = 1.5


def setup() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerai.settings")
    os.environ["GERAI_VAR_DIR"] = str(VAR)
    os.environ.setdefault("GERAI_HTTPS", "false")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # served in-process by the test client: the static files by name (no collectstatic needed)
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def region_make(slug: str, code: str, args):
    """A region with the price module, `args.markets` markets and `args.commodities` commodities, and no
    prices (an earlier run's are deleted)."""
    from gerai.core.actors import Actor
    from gerai.prices import services
    from gerai.prices.models import CommodityWeek, DailyPrice, PriceSheet, WeeklyPrice
    from gerai.regions.models import Region
    from gerai.regions.services import region_create

    region = Region.objects.filter(code=code).first()
    actor = Actor.system()
    if region is None:
        prefix = "H" + code.replace(".", "")[-3:]
        region = region_create(
            actor=actor, code=code, name=f"Kabupaten {slug}", slug=slug, tracking_prefix=prefix, modules=["harga"]
        )
    for model in (PriceSheet, CommodityWeek, DailyPrice, WeeklyPrice):
        model.objects.filter(region=region).delete()
    for i in range(region.commodities.count(), args.commodities):
        services.commodity_create(actor=actor, region=region, code=f"komoditas-{i}", name=f"Komoditas {i}", unit="kg")
    for i in range(region.markets.count(), args.markets):
        services.market_create(actor=actor, region=region, code=f"pasar-{i}", name=f"Pasar {i}")
    return region


def fill(region, weeks: list[dt.date]) -> None:
    """One published sheet per market and week (on the Monday), with its rollup rows."""
    from django.db import transaction

    from gerai.prices import warning
    from gerai.prices.models import CommodityWeek, DailyPrice, PriceEntry, PriceSheet, WeeklyPrice

    rng = random.Random(len(weeks))
    markets = list(region.markets.all())
    commodities = list(region.commodities.all())
    now = dt.datetime.now(dt.UTC)
    for start in range(0, len(weeks), 26):
        chunk = weeks[start : start + 26]
        with transaction.atomic():
            sheets = PriceSheet.objects.bulk_create(
                PriceSheet(region=region, market=m, day=w, status="published", submitted_at=now, published_at=now)
                for w in chunk
                for m in markets
            )
            entries, weekly, daily, cweeks = [], [], [], []
            for w in chunk:
                by_commodity: dict[int, list[int]] = {}
                for sheet in (s for s in sheets if s.day == w):
                    for c in commodities:
                        price = rng.randrange(10_000, 60_000, 100)
                        entries.append(PriceEntry(sheet=sheet, commodity=c, price=price, published_price=price))
                        weekly.append(
                            WeeklyPrice(region=region, market=sheet.market, commodity=c, week=w, total=price, days=1)
                        )
                        by_commodity.setdefault(c.pk, []).append(price)
                for commodity_id, prices in by_commodity.items():
                    spread = warning.disparity(prices)
                    assert spread is not None
                    daily.append(
                        DailyPrice(
                            region=region, commodity_id=commodity_id, day=w, total=sum(prices), markets=len(prices)
                        )
                    )
                    cweeks.append(
                        CommodityWeek(
                            region=region,
                            commodity_id=commodity_id,
                            week=w,
                            mean=round(spread.mean),
                            minimum=spread.minimum,
                            maximum=spread.maximum,
                            markets=spread.markets,
                            cv=spread.cv,
                        )
                    )
            PriceEntry.objects.bulk_create(entries, batch_size=2000)
            WeeklyPrice.objects.bulk_create(weekly, batch_size=2000)
            DailyPrice.objects.bulk_create(daily, batch_size=2000)
            CommodityWeek.objects.bulk_create(cweeks, batch_size=2000)


def _queries(client, path: str) -> int:
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        assert client.get(path).status_code == 200, path
    return count


def measure(paths: dict[str, str], requests: int, rounds: int) -> dict[str, tuple[float, int]]:
    """Median milliseconds per request and queries per request, for each page, the pages measured in turns
    (`rounds` rounds of `requests` each) so that a slow moment of the machine falls on all of them alike."""
    from django.test import Client

    client = Client()
    times: dict[str, list[float]] = {name: [] for name in paths}
    for path in paths.values():  # warm-up: the process's first request reads what it then caches
        client.get(path)
    queries = {name: _queries(client, path) for name, path in paths.items()}
    for _round in range(rounds):
        for name, path in paths.items():
            for _ in range(requests // rounds):
                started = time.perf_counter()
                client.get(path)
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(times[name]), queries[name]) for name in paths}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--markets", type=int, default=20)
    parser.add_argument("--commodities", type=int, default=12)
    args = parser.parse_args()
    setup()
    from gerai.prices import warning

    one, ten = region_make("harga-1", "35.98", args), region_make("harga-10", "35.97", args)
    this_week = warning.week_of(dt.date.today())
    weeks = [this_week - dt.timedelta(weeks=k) for k in range(520)]
    started = time.monotonic()
    fill(one, weeks[:52])
    fill(ten, weeks)
    print(
        f"filled 1 year ({52 * args.markets:,} sheets) and 10 years ({520 * args.markets:,} sheets) "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    code = one.commodities.first().code
    pages = {"price page": "/{}/harga/", "commodity page": "/{}/harga/" + code + "/"}
    paths = {
        f"{name} @{years}": path.format(region.slug)
        for name, path in pages.items()
        for years, region in (("1y", one), ("10y", ten))
    }
    result = measure(paths, args.requests, args.rounds)
    worst = 0.0
    print(f"\n{'page':<16}{'1 year ms':>11}{'10 years ms':>13}{'ratio':>8}{'queries 1y/10y':>16}")
    for name in pages:
        (t1, q1), (t10, q10) = result[f"{name} @1y"], result[f"{name} @10y"]
        worst = max(worst, t10 / t1)
        print(f"{name:<16}{t1:>11.1f}{t10:>13.1f}{t10 / t1:>8.2f}{q1:>10}/{q10}")
    print(f"\nworst ratio {worst:.2f} (target at most {TARGET})")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

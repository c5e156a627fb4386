"""The public price figures as gerai.lib.tables Tables: shown as accessible HTML tables (charts are drawn from
them by charts.js), downloaded as CSV/XLSX with the same columns (formula-safe), and published as open data."""

from django.utils import formats
from django.utils.translation import gettext as _

from gerai.lib.tables import Column, Table
from gerai.prices import selectors

# Prices and changes use the "days" kind of gerai.lib.tables: whole numbers with the language's thousands
# separator, and "–" where there is no figure (the "int" kind would show a missing price as a suppressed count).
RP = "days"
RATIO = "ikm"  # two decimals in the language's format (1,12)


def level_labels() -> dict[str, str]:
    """A level in words (colour is never the only sign): the EWS's names and the sharp fall."""
    return {level: str(label) for level, label in selectors.LEVEL_LABELS.items()}


def _status(row: dict) -> str:
    """The week's level in words (colour is never the only sign), and "above HET/HAP" where it is."""
    labels = level_labels()
    parts = [str(labels[row["level"]])] if row["level"] != "normal" else []
    if row["above"] is not None:
        parts.append(str(_("above HET/HAP")))
    return ", ".join(parts) or str(_("Normal"))


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def overview_table(region, rows: list[dict]) -> Table:
    table = Table(
        slug="harga",
        title=_("Prices this week"),
        columns=[
            Column("name", _("Commodity"), "komoditas", "text", lang="id"),
            Column("unit", _("Unit"), "satuan", "text"),
            Column("latest", _("Latest day (Rp)"), "harga_terakhir", RP),
            Column("mean", _("Week mean (Rp)"), "rata_rata_minggu", RP),
            Column("change", _("Change on last week (%)"), "perubahan_mingguan_persen", "pct", series=True),
            Column("reference", _("HET/HAP (Rp)"), "het_hap", RP),
            Column("above", _("Above HET/HAP (%)"), "di_atas_het_hap_persen", "pct"),
            Column("cv", _("Disparity across markets, CV (%)"), "koefisien_variasi_persen", "pct"),
            Column("max_min", _("Highest / lowest market"), "rasio_tertinggi_terendah", RATIO),
            Column("status", _("Status"), "status", "text"),
        ],
        chart="bar",
        note=_(
            "Week-on-week change of the mean price across the region's markets, "
            "for each commodity (where JavaScript runs, a chart shows the same figures)."
        ),
    )
    for row in rows:
        c = row["commodity"]
        table.rows.append(
            {
                "name": c.name,
                "unit": c.unit,
                "latest": row["latest"],
                "mean": row["mean"],
                "change": _pct(row["change"]),
                "reference": row["reference"].price if row["reference"] else None,
                "above": _pct(row["above"]),
                "cv": _pct(row["cv"]),
                "max_min": round(row["max_min"], 2) if row["max_min"] else None,
                "status": _status(row),
                "params": {"komoditas": c.code},
            }
        )
    return table


def trend_table(commodity, weeks) -> Table:
    table = Table(
        slug="tren",
        title=_("Weekly prices of %(name)s (Rp per %(unit)s)") % {"name": commodity.name, "unit": commodity.unit},
        columns=[
            Column("week", _("Week of"), "minggu", "text", file_key="week_iso"),
            Column("mean", _("Mean"), "rata_rata", RP, series=True),
            Column("minimum", _("Lowest market"), "terendah", RP, series=True),
            Column("maximum", _("Highest market"), "tertinggi", RP, series=True),
            Column("markets", _("Markets"), "jumlah_pasar", RP),
            Column("cv", _("CV (%)"), "koefisien_variasi_persen", "pct"),
        ],
        chart="line",
    )
    for w in weeks:
        table.rows.append(
            {
                "week": formats.date_format(w.week, "j M Y"),
                "week_iso": w.week.isoformat(),
                "mean": w.mean,
                "minimum": w.minimum,
                "maximum": w.maximum,
                "markets": w.markets,
                "cv": _pct(w.cv),
            }
        )
    return table


def markets_table(commodity, rows: list[dict]) -> Table:
    table = Table(
        slug="pasar",
        title=_("%(name)s by market this week") % {"name": commodity.name},
        columns=[
            Column("market", _("Market"), "pasar", "text"),
            Column("mean", _("Week mean (Rp)"), "rata_rata_minggu", RP, series=True),
            Column("previous", _("Last week (Rp)"), "minggu_lalu", RP),
            Column("change", _("Change (%)"), "perubahan_persen", "pct"),
            Column("level", _("Status"), "status", "text"),
        ],
        chart="bar",
    )
    labels = level_labels()
    for row in rows:
        table.rows.append(
            {
                "market": row["market"].name,
                "mean": row["mean"],
                "previous": row["previous"],
                "change": _pct(row["change"]),
                "level": labels[row["level"]],
            }
        )
    return table


def open_weekly_prices(region) -> Table | None:
    """Open data: the region's weekly mean price per commodity over the last year (from the rollups)."""
    rows = list(selectors.weekly_series(region, commodity=None, start=None, end=None))
    if not rows:
        return None
    table = Table(
        slug="harga-pangan-mingguan",
        title=_("Weekly food prices"),
        columns=[
            Column("commodity", _("Commodity"), "komoditas", "text"),
            Column("unit", _("Unit"), "satuan", "text"),
            Column("week", _("Week of"), "minggu", "text"),
            Column("mean", _("Mean (Rp)"), "rata_rata", RP),
            Column("minimum", _("Lowest market"), "terendah", RP),
            Column("maximum", _("Highest market"), "tertinggi", RP),
            Column("markets", _("Markets"), "jumlah_pasar", RP),
        ],
    )
    for w in rows:
        table.rows.append(
            {
                "commodity": w.commodity.name,
                "unit": w.commodity.unit,
                "week": w.week.isoformat(),
                "mean": w.mean,
                "minimum": w.minimum,
                "maximum": w.maximum,
                "markets": w.markets,
            }
        )
    return table

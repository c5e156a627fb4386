"""Writes of the price monitoring (docs/prices.md). Each takes an explicit actor, runs in one transaction and
records an audit entry in it. Publishing a sheet keeps the rollups (WeeklyPrice, CommodityWeek, DailyPrice) and
the alerts up to date in the same transaction, so the public pages read a bounded number of rollup rows however
many years of prices lie behind them."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gerai.accounts.selectors import staff_roles_in_region
from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.notifications.services import notify_user
from gerai.prices import policy, selectors, warning
from gerai.prices.files import read_rows  # openpyxl itself is loaded only for an XLSX file
from gerai.prices.models import (
    Alert,
    AlertState,
    Commodity,
    CommodityWeek,
    DailyPrice,
    Market,
    PriceEntry,
    PriceRevision,
    PriceSettings,
    PriceSheet,
    ReferencePrice,
    SummaryLog,
    WeeklyPrice,
)
from gerai.regions.models import Region


class PriceError(DomainError):
    """A refused price action."""

    status = 422
    statuses = {"forbidden": 403, "not_submitted": 409}


def region_today(region) -> dt.date:
    return timezone.localdate(timezone.now(), region.zone)


def day_error(day: dt.date, today: dt.date | None) -> str | None:
    """Why prices cannot be dated `day` (before warning.EARLIEST_DAY, or after `today` when given), or None."""
    if day < warning.EARLIEST_DAY:
        return _("The date cannot be before %(day)s.") % {"day": warning.EARLIEST_DAY.isoformat()}
    if today is not None and day > today:
        return _("The date cannot be in the future.")
    return None


def input_error_message(code: str) -> str:
    return {
        "not_a_number": _("Type a price in rupiah, for example 12.500."),
        "zero": _("A price cannot be zero. Leave the field empty if the commodity was not on sale."),
        "negative": _("A price cannot be negative."),
        "too_large": _("This price is too large. Check the number of zeros."),
    }.get(code, _("Type a price in rupiah, for example 12.500."))


# --- markets, commodities, settings, reference prices -----------------------------------------------


def market_create(
    *,
    actor: Actor,
    region,
    code: str,
    name: str,
    kind: str = Market.Kind.TRADITIONAL,
    kecamatan=None,
    desa=None,
    latitude=None,
    longitude=None,
) -> Market:
    if kecamatan is not None and kecamatan.region_id != region.pk:
        raise PriceError("area", _("Choose a kecamatan of this region."), field="kecamatan")
    if desa is not None and (desa.region_id != region.pk or (kecamatan is not None and desa.parent_id != kecamatan.pk)):
        raise PriceError("area", _("Choose a desa of the chosen kecamatan."), field="desa")
    with transaction.atomic():
        if Market.objects.filter(region=region, code=code).exists():
            raise PriceError("duplicate", _("A market with this code already exists."), field="code")
        market = Market.objects.create(
            region=region,
            code=code,
            name=name,
            kind=kind,
            kecamatan=kecamatan,
            desa=desa,
            latitude=latitude,
            longitude=longitude,
        )
        audit_record(actor=actor, action="price.market_create", obj=market, region=region, changes={"code": code})
    return market


def commodity_create(*, actor: Actor, region, code: str, name: str, unit: str, order: int = 0) -> Commodity:
    with transaction.atomic():
        if Commodity.objects.filter(region=region, code=code).exists():
            raise PriceError("duplicate", _("A commodity with this code already exists."), field="code")
        commodity = Commodity.objects.create(region=region, code=code, name=name, unit=unit, order=order)
        audit_record(actor=actor, action="price.commodity_create", obj=commodity, region=region, changes={"code": code})
    return commodity


def thresholds_set(*, actor: Actor, region, zone: int, waspada, siaga, kritis, fall=None) -> PriceSettings:
    """The region's zone and alert thresholds; `fall` (the sharp-fall percentage) stays as it was when not given."""
    try:
        warning.Thresholds(float(waspada), float(siaga), float(kritis))
    except ValueError as exc:
        raise PriceError(
            "thresholds", _("The thresholds must rise: Waspada < Siaga < Kritis."), field="siaga_pct"
        ) from exc
    if fall is not None and not 0 < float(fall) < 100:
        raise PriceError("thresholds", _("A sharp fall is a percentage between 0 and 100."), field="fall_pct")
    if zone not in (1, 2, 3):
        raise PriceError("zone", _("The zone is 1, 2 or 3."), field="zone")
    with transaction.atomic():
        row, _created = PriceSettings.objects.select_for_update().get_or_create(region=region)
        before = {
            "zone": row.zone,
            "waspada": str(row.waspada_pct),
            "siaga": str(row.siaga_pct),
            "kritis": str(row.kritis_pct),
            "fall": str(row.fall_pct),
        }
        row.zone, row.waspada_pct, row.siaga_pct, row.kritis_pct = zone, waspada, siaga, kritis
        if fall is not None:
            row.fall_pct = fall
        row.save()
        after = {"zone": zone, "waspada": str(waspada), "siaga": str(siaga), "kritis": str(kritis)}
        after["fall"] = str(row.fall_pct)
        audit_record(
            actor=actor, action="price.thresholds_set", obj=row, region=region, changes={"before": before, **after}
        )
    return row


def reference_add(
    *, actor: Actor, commodity: Commodity, zone: int, kind: str, price: int, valid_from: dt.date, source: str
) -> ReferencePrice:
    """A reference price in force from `valid_from` (a new regulation): a new row, never an edit."""
    if not source.strip():
        raise PriceError("source", _("Name the regulation that sets this price."), field="source")
    if price <= 0:
        raise PriceError("price", _("A price cannot be zero."), field="price")
    if (problem := day_error(valid_from, None)) is not None:
        raise PriceError("date", problem, field="valid_from")
    with transaction.atomic():
        if ReferencePrice.objects.filter(commodity=commodity, zone=zone, valid_from=valid_from).exists():
            raise PriceError(
                "reference_exists",
                _("A reference price from this date already exists. A new regulation starts from its own date."),
                field="valid_from",
            )
        row = ReferencePrice.objects.create(
            commodity=commodity,
            zone=zone,
            kind=kind,
            price=price,
            valid_from=valid_from,
            source=source.strip(),
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="price.reference_add",
            obj=row,
            region=commodity.region,
            changes={"commodity": commodity.code, "zone": zone, "price": price, "from": valid_from.isoformat()},
        )
    return row


# --- the enumerator's sheet ---------------------------------------------------------------------


@dataclass
class SheetResult:
    sheet: PriceSheet | None
    errors: dict[str, str] = field(default_factory=dict)  # commodity code -> message
    unusual: dict[str, int] = field(default_factory=dict)  # commodity code -> the last price, to confirm against
    corrected: int = 0

    @property
    def complete(self) -> bool:
        return not self.errors and not self.unusual


def last_prices(market: Market, before: dt.date) -> dict[int, int]:
    """The latest price of each commodity at `market` before `before` (within 60 days), by commodity id."""
    rows = (
        PriceEntry.objects.filter(
            sheet__market=market, sheet__day__lt=before, sheet__day__gte=before - dt.timedelta(days=60)
        )
        .exclude(price=None)
        .order_by("-sheet__day")
        .values_list("commodity_id", "price")
    )
    out: dict[int, int] = {}
    for commodity_id, price in rows:
        if price is not None:  # excluded above; for mypy
            out.setdefault(commodity_id, price)
    return out


def _read(commodities, raw: dict[str, str], confirmed: set[str], last: dict[int, int], result: SheetResult) -> dict:
    """The typed prices that can be saved, by commodity; the others go to result.errors or result.unusual."""
    prices: dict[Commodity, int | None] = {}
    for commodity in commodities:
        if commodity.code not in raw:
            continue
        try:
            price = warning.parse_price(raw[commodity.code])
        except warning.PriceInputError as exc:
            result.errors[commodity.code] = input_error_message(exc.code)
            continue
        previous = last.get(commodity.pk)
        if price is not None and warning.is_suspicious(price, previous) and commodity.code not in confirmed:
            result.unusual[commodity.code] = previous or 0
            continue
        prices[commodity] = price
    return prices


def _sheet_locked(region, market: Market, day: dt.date, user) -> PriceSheet:
    try:
        with transaction.atomic():
            sheet, _created = PriceSheet.objects.get_or_create(
                market=market, day=day, defaults={"region": region, "entered_by": user}
            )
    except IntegrityError:  # the other enumerator created it at the same moment
        pass
    return PriceSheet.objects.select_for_update().get(market=market, day=day)


def sheet_save(
    *,
    actor: Actor,
    market: Market,
    day: dt.date,
    raw: dict[str, str],
    confirmed: set[str] = frozenset(),  # type: ignore[assignment]
    submit: bool,
) -> SheetResult:
    """Save what an enumerator typed for `market` on `day` (commodity code -> text). Every valid price is saved
    (as a draft while anything is missing, wrong or unconfirmed), so a dropped connection loses at most the
    rows not yet sent; `submit` sends a complete sheet to the inflation team. A sheet someone already
    submitted is corrected, never duplicated: each changed price keeps its history."""
    region = market.region
    if (problem := day_error(day, region_today(region))) is not None:
        raise PriceError("date", problem, field="tanggal")
    commodities = list(Commodity.objects.filter(region=region, is_active=True))
    result = SheetResult(sheet=None)
    prices = _read(commodities, raw, set(confirmed), last_prices(market, day), result)
    with transaction.atomic():
        sheet = _sheet_locked(region, market, day, actor.user)
        entries = {e.commodity_id: e for e in sheet.entries.all()}
        correcting = sheet.submitted_at is not None
        changed: dict[str, list] = {}
        for commodity, price in prices.items():
            entry = entries.get(commodity.pk)
            if entry is None:
                if price is not None:
                    entry = PriceEntry.objects.create(
                        sheet=sheet, commodity=commodity, price=price, confirmed_unusual=commodity.code in confirmed
                    )
                    changed[commodity.code] = [None, price]
                continue
            if entry.price == price:
                continue
            if correcting or (sheet.entered_by_id not in (None, getattr(actor.user, "pk", None))):
                PriceRevision.objects.create(entry=entry, old_price=entry.price, new_price=price, changed_by=actor.user)
                result.corrected += 1
            changed[commodity.code] = [entry.price, price]
            entry.price, entry.confirmed_unusual = price, commodity.code in confirmed
            entry.save(update_fields=["price", "confirmed_unusual"])
        if submit and result.complete and sheet.status == PriceSheet.Status.DRAFT:
            sheet.status, sheet.submitted_at = PriceSheet.Status.SUBMITTED, timezone.now()
        elif changed and sheet.status == PriceSheet.Status.PUBLISHED:
            sheet.status = PriceSheet.Status.SUBMITTED  # a correction of published prices waits for checking
        sheet.version += 1
        sheet.save()
        audit_record(
            actor=actor,
            action="price.correct" if result.corrected else ("price.submit" if submit else "price.save"),
            obj=sheet,
            region=region,
            changes={"market": market.code, "day": day.isoformat(), "prices": changed, "status": sheet.status},
        )
    result.sheet = sheet
    return result


# --- publishing, rollups and alerts ---------------------------------------------------------------


def reference_in_force(commodity_id: int, zone: int, day: dt.date) -> ReferencePrice | None:
    return (
        ReferencePrice.objects.filter(commodity_id=commodity_id, zone=zone, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def _row_locked(model, keys: dict, defaults: dict):
    """The row of `model` with `keys`, created if missing and locked until the transaction ends. Two publishers
    creating it at the same moment do not fail: the loser's insert is rolled back to a savepoint and it waits for
    the winner's row."""
    row = model.objects.select_for_update().filter(**keys).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(**keys, **defaults)
    except IntegrityError:  # the other publisher created it meanwhile
        pass
    return model.objects.select_for_update().get(**keys)


def _roll(model, keys: dict, old: int | None, new: int | None, count_field: str) -> None:
    """Add `new` and take away `old` from a sum-and-count rollup row (an atomic UPDATE, race-safe to create)."""
    if old == new:
        return
    total = (new or 0) - (old or 0)
    count = (new is not None) - (old is not None)
    row = _row_locked(model, keys, {})
    model.objects.filter(pk=row.pk).update(total=F("total") + total, **{count_field: F(count_field) + count})


def _commodity_week(region, commodity_id: int, week: dt.date) -> None:
    """Recompute the cross-market figures of one commodity and week. The CommodityWeek row is locked first, so a
    second publisher of the same week waits for the first to commit and then reads its markets' means too (at
    READ COMMITTED each statement sees what committed before it): the last writer stores the mean of all the
    published rows, never a stale one."""
    keys = {"commodity_id": commodity_id, "week": week}
    row = _row_locked(
        CommodityWeek, keys, {"region": region, "mean": 0, "minimum": 0, "maximum": 0, "markets": 0, "cv": 0.0}
    )
    means = [
        w.mean
        for w in WeeklyPrice.objects.filter(commodity_id=commodity_id, week=week, days__gt=0)
        if w.mean is not None
    ]
    spread = warning.disparity(means)
    if spread is None:
        row.delete()
        return
    row.region, row.mean, row.minimum, row.maximum = region, round(spread.mean), spread.minimum, spread.maximum
    row.markets, row.cv = spread.markets, spread.cv
    row.save()


def _is_latest_week(market: Market, commodity_id: int, week: dt.date) -> bool:
    """Whether no later week of this commodity at this market has published prices (alerts speak of now)."""
    return not WeeklyPrice.objects.filter(market=market, commodity_id=commodity_id, week__gt=week, days__gt=0).exists()


def _alert_level(state_kind: str, commodity_id: int, market: Market, level: str) -> bool:
    """Record the level now reached; True when it is higher than any already alerted since the last normal."""
    keys = {"commodity_id": commodity_id, "market": market, "kind": state_kind}
    state = _row_locked(AlertState, keys, {"level": warning.NORMAL})
    if level == warning.NORMAL:
        if state.level != warning.NORMAL:
            state.level = warning.NORMAL
            state.save(update_fields=["level"])
        return False
    if warning.level_rank(level) <= warning.level_rank(state.level):
        return False
    state.level = level
    state.save(update_fields=["level"])
    return True


def _week_alert(
    kind: str, commodity_id: int, market: Market, week: dt.date, level: str, now: int, base: int, change: float | None
) -> bool:
    """Whether to make a `kind` alert at `level` for this week. A week already alerted for this kind is being
    evaluated again (a corrected sheet re-published): its alerts at another level are marked superseded, one at
    this level takes the week's current figures, and the state follows the week as it is now. TPID members then
    read the current state of the week (never "Siaga: up 12 %" beside "Sharp fall: down 10 %"), while the sent
    alerts stay on record."""
    state = _row_locked(  # first: a second publisher of this market and commodity waits here
        AlertState, {"commodity_id": commodity_id, "market": market, "kind": kind}, {"level": warning.NORMAL}
    )
    earlier = Alert.objects.filter(
        market=market, commodity_id=commodity_id, week=week, kind=kind, superseded_at__isnull=True
    )
    levels = set(earlier.values_list("level", flat=True))
    if not levels:
        return _alert_level(kind, commodity_id, market, level)
    earlier.exclude(level=level).update(superseded_at=timezone.now())
    earlier.filter(level=level).update(price=now, base=base, change_pct=change)
    if state.level != level:
        state.level = level
        state.save(update_fields=["level"])
    return level != warning.NORMAL and level not in levels


def _evaluate(region, market: Market, commodity_id: int, week: dt.date, day: dt.date) -> list[Alert]:
    thresholds, zone = selectors.thresholds_of(region)
    rows = {
        w.week: w.mean
        for w in WeeklyPrice.objects.filter(
            market=market, commodity_id=commodity_id, week__in=[week, week - dt.timedelta(days=7)]
        )
    }
    now, before = rows.get(week), rows.get(week - dt.timedelta(days=7))
    if now is None:
        return []
    alerts = []
    change = warning.pct_change(now, before)
    for kind, level in ((Alert.Kind.RISE, thresholds.level(change)), (Alert.Kind.FALL, thresholds.fall_level(change))):
        if (
            _week_alert(kind, commodity_id, market, week, level, now, before or 0, change)
            and change is not None
            and before
        ):
            alerts.append(
                Alert(
                    region=region,
                    commodity_id=commodity_id,
                    market=market,
                    kind=kind,
                    level=level,
                    week=week,
                    price=now,
                    base=before,
                    change_pct=change,
                )
            )
    reference = reference_in_force(commodity_id, zone, day)
    above = warning.above_reference(now, reference.price if reference else None)
    ref_level = warning.WASPADA if above is not None else warning.NORMAL  # Bapanas: above HET/HAP is Waspada
    ref_base = reference.price if reference else 0
    if (
        _week_alert(Alert.Kind.REFERENCE, commodity_id, market, week, ref_level, now, ref_base, above)
        and reference
        and above is not None
    ):
        alerts.append(
            Alert(
                region=region,
                commodity_id=commodity_id,
                market=market,
                kind=Alert.Kind.REFERENCE,
                level=ref_level,
                week=week,
                price=now,
                base=reference.price,
                change_pct=above,
            )
        )
    return alerts


def _notify_alerts(region, alerts: list[Alert]) -> int:
    sent = 0
    path = reverse("prices:public", args=[region.slug])
    for user in policy.alert_recipients(region):
        message = notify_user(
            user=user,
            region=region,
            event="price_alert",
            template="price_alert",
            context={"alerts": alerts, "path": path},
            subject=(gettext_noop("Price alert: %(n)s new warning(s)"), {"n": len(alerts)}),
        )
        sent += message is not None
    return sent


def sheet_publish(*, actor: Actor, sheet: PriceSheet, notify: bool = True) -> list[Alert]:
    """The inflation team checks a submitted sheet and publishes it: its prices enter the weekly rollups and the
    public pages, and the early warning runs for each changed commodity. Returns the new alerts (sent to the
    region's TPID members through their notification channel; `notify=False` records them without a message,
    for history loaded after the fact, such as the demo's)."""
    region = sheet.region
    if not policy.may_publish(actor.user, staff_roles_in_region(actor.user, region)):
        raise PriceError("forbidden", _("Only the inflation team (TPID) publishes prices."))
    week = warning.week_of(sheet.day)
    with transaction.atomic():
        updated = PriceSheet.objects.filter(pk=sheet.pk, status=PriceSheet.Status.SUBMITTED).update(
            status=PriceSheet.Status.PUBLISHED, published_by=actor.user, published_at=timezone.now()
        )
        if updated != 1:
            raise PriceError("not_submitted", _("This sheet is not waiting for checking (published meanwhile?)."))
        changed = []
        for entry in PriceEntry.objects.select_for_update().filter(sheet=sheet).order_by("commodity_id"):
            if entry.published_price == entry.price:
                continue
            keys = {"region": region, "market": sheet.market, "commodity_id": entry.commodity_id, "week": week}
            _roll(WeeklyPrice, keys, entry.published_price, entry.price, "days")
            day_keys = {"region": region, "commodity_id": entry.commodity_id, "day": sheet.day}
            _roll(DailyPrice, day_keys, entry.published_price, entry.price, "markets")
            entry.published_price = entry.price
            entry.save(update_fields=["published_price"])
            changed.append(entry.commodity_id)
        alerts: list[Alert] = []
        for commodity_id in sorted(changed):  # one lock order for every publisher
            _commodity_week(region, commodity_id, week)
            if _is_latest_week(sheet.market, commodity_id, week):  # an older week's correction moves no alert
                alerts += _evaluate(region, sheet.market, commodity_id, week, sheet.day)
        Alert.objects.bulk_create(alerts)
        notified = _notify_alerts(region, alerts) if alerts and notify else 0
        audit_record(
            actor=actor,
            action="price.publish",
            obj=sheet,
            region=region,
            changes={"changed": len(changed), "alerts": len(alerts), "notified": notified},
        )
    sheet.refresh_from_db()
    return alerts


# --- import ------------------------------------------------------------------------------------------

COLUMNS = ("pasar", "tanggal", "komoditas", "harga")


@dataclass
class ImportReport:
    valid: list = field(default_factory=list)  # (line, market, day, commodity code, price text)
    refused: list = field(default_factory=list)  # (line, reason)
    imported: int = 0


def _check_row(row, markets, commodities, today, seen):
    market = markets.get(row.get("pasar", ""))
    if market is None:
        return None, _("Unknown market “%(s)s”.") % {"s": row.get("pasar", "")[:40]}
    commodity = commodities.get(row.get("komoditas", ""))
    if commodity is None:
        return None, _("Unknown commodity “%(s)s”.") % {"s": row.get("komoditas", "")[:40]}
    try:
        day = dt.date.fromisoformat(row.get("tanggal", ""))
    except ValueError:
        return None, _("The date must look like 2026-11-28.")
    if (problem := day_error(day, today)) is not None:
        return None, problem
    try:
        price = warning.parse_price(row.get("harga", ""))
    except warning.PriceInputError as exc:
        return None, input_error_message(exc.code)
    if price is None:
        return None, _("The price is empty.")
    if (market.pk, day, commodity.pk) in seen:
        return None, _("The same market, day and commodity as an earlier row of this file.")
    seen.add((market.pk, day, commodity.pk))
    return (market, day, commodity, price), None


def prices_import_check(region, raw: bytes) -> ImportReport:
    """Read a CSV (UTF-8 or Windows-1252; comma or semicolon) or XLSX file with the columns pasar, tanggal,
    komoditas, harga (and optionally konfirmasi) and say row by row what is refused and why."""
    report = ImportReport()
    try:
        fieldnames, rows = read_rows(raw)
    except Exception:  # a damaged workbook or a file that only claims to be one
        report.refused.append((1, _("The file cannot be read. Upload a CSV or XLSX file.")))
        return report
    header = [h.strip().lower() for h in fieldnames]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        report.refused.append(
            (
                1,
                _("Missing columns: %(cols)s. Expected: %(all)s.")
                % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)},
            )
        )
        return report
    markets = {m.code: m for m in Market.objects.filter(region=region)}
    commodities = {c.code: c for c in Commodity.objects.filter(region=region, is_active=True)}
    today, seen = region_today(region), set[tuple]()
    last_cache: dict = {}
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        checked, reason = _check_row(row, markets, commodities, today, seen)
        if checked is None:
            report.refused.append((line, reason))
            continue
        market, day, commodity, price = checked
        last = last_cache.setdefault((market.pk, day), last_prices(market, day)).get(commodity.pk)
        confirmed = row.get("konfirmasi", "").lower() in ("ya", "yes", "1")
        if warning.is_suspicious(price, last) and not confirmed:
            report.refused.append(
                (
                    line,
                    _(
                        "%(price)s is ten times the last price (%(last)s) or a tenth of it. Check it, and write "
                        "“ya” in the column konfirmasi to import it."
                    )
                    % {"price": price, "last": last},
                )
            )
            continue
        report.valid.append((line, market, day, commodity.code, str(price)))
    return report


def prices_import(*, actor: Actor, region, raw: bytes, confirm_partial: bool) -> ImportReport:
    """Import a checked file: all rows, or (when the user confirms) the valid ones. Each market and day becomes
    one submitted sheet (a correction, with history, where one exists), waiting for the TPID to publish it."""
    report = prices_import_check(region, raw)
    if (report.refused and not confirm_partial) or not report.valid:
        return report
    sheets: dict[tuple, dict[str, str]] = {}
    for _line, market, day, code, price in report.valid:
        sheets.setdefault((market, day), {})[code] = price
    with transaction.atomic():
        for (market, day), raw_prices in sheets.items():
            sheet_save(actor=actor, market=market, day=day, raw=raw_prices, confirmed=set(raw_prices), submit=True)
        audit_record(
            actor=actor,
            action="price.import",
            region=region,
            changes={"rows": len(report.valid), "refused": len(report.refused), "sheets": len(sheets)},
        )
    report.imported = len(report.valid)
    return report


# --- the weekly summary for the Monday inflation meeting -------------------------------------------

SUMMARY_HOUR = 7  # region time: before the Mendagri's Monday inflation meeting


def weekly_summaries_send(*, now: dt.datetime | None = None) -> int:
    """On Monday from SUMMARY_HOUR (region time), once per region: last week's prices, changes,
    reference prices and disparity to each TPID member. Safe to call every minute."""
    now = now or timezone.now()
    sent = 0
    for region in Region.objects.filter(is_active=True):
        if not region.has_module("harga"):
            continue
        local = timezone.localtime(now, region.zone)
        if local.weekday() != 0 or local.hour < SUMMARY_HOUR:
            continue
        week = warning.week_of(local.date()) - dt.timedelta(days=7)
        sent += _send_summary(region, week)
    return sent


def _send_summary(region, week: dt.date) -> int:
    try:
        with transaction.atomic():
            log = SummaryLog.objects.create(region=region, week=week)
            rows = selectors.commodity_overview(region, week=week)
            count = 0
            recipients = policy.alert_recipients(region) if any(row["mean"] for row in rows) else []
            with translation.override(settings.LANGUAGE_CODE):
                for user in recipients:  # nobody, in a week without published prices
                    message = notify_user(
                        user=user,
                        region=region,
                        event="price_summary",
                        template="price_summary",
                        context={"rows": rows, "week": week, "path": reverse("prices:public", args=[region.slug])},
                        subject=(gettext_noop("Food prices, week of %(week)s"), {"week": week.isoformat()}),
                    )
                    count += message is not None
            log.recipients = count
            log.save(update_fields=["recipients"])
            audit_record(
                actor=Actor.system(),
                action="price.summary",
                obj=log,
                region=region,
                changes={"week": week.isoformat(), "recipients": count},
            )
    except IntegrityError:
        return 0  # another worker sent it
    return count

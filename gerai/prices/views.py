import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.policy import Access
from gerai.accounts.selectors import staff_roles_for_request
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.core.pagetopics import PRICES
from gerai.lib.tables import csv_response, xlsx_response
from gerai.prices import policy, selectors, services, tables, warning
from gerai.prices.forms import CommodityForm, MarketForm, ReferenceForm, ThresholdsForm
from gerai.prices.models import PriceSheet
from gerai.regions.selectors import kecamatans_of_region, village_choices_grouped, village_get

MAX_UPLOAD = 5 * 1024 * 1024


def _module_on(request):
    if not request.region.has_module("harga"):
        raise Http404


def _download(request, available: dict):
    """?unduh=<table>&format=csv|xlsx: the table as a file; None when not asked (or not one of these)."""
    table = available.get(request.GET.get("unduh", ""))
    if table is None:
        return None
    filename = f"{request.region.slug}-{table.slug}"
    return xlsx_response(table, filename) if request.GET.get("format") == "xlsx" else csv_response(table, filename)


def _rupiah(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", ".")


# --- public -------------------------------------------------------------------------------------------


@region_view
@pagecache.public_page("prices", topics=(PRICES,))
def public(request):
    """Today's prices across the region's markets, their weekly change and reference prices, and the alerts."""
    _module_on(request)
    if request.GET.get("komoditas"):  # a drill-down link of the table
        selectors.commodity_get(request.region, request.GET["komoditas"])
        return redirect("prices:public_commodity", request.region.slug, request.GET["komoditas"])
    rows = selectors.commodity_overview(request.region)
    table = tables.overview_table(request.region, rows)
    response = _download(request, {table.slug: table})
    if response is not None:
        return response
    context = {
        "rows": rows,
        "table": table,
        "week": selectors.latest_week(request.region),
        "alerts": selectors.alerts_recent(request.region, limit=10),
        "markets": selectors.markets_of(request.region),
        "thresholds": selectors.thresholds_of(request.region)[0],
        "level_labels": tables.level_labels(),
    }
    return render(request, "prices/public.html", context)


@region_view
def public_commodity(request, code: str):
    _module_on(request)
    commodity = selectors.commodity_get(request.region, code)
    week = selectors.latest_week(request.region)
    trend = tables.trend_table(commodity, selectors.commodity_trend(request.region, commodity))
    by_market = tables.markets_table(commodity, selectors.commodity_markets(request.region, commodity, week))
    response = _download(request, {trend.slug: trend, by_market.slug: by_market})
    if response is not None:
        return response
    context = {
        "commodity": commodity,
        "week": week,
        "tables": [trend, by_market],
        "alerts": selectors.alerts_recent(request.region, limit=10, commodity=commodity),
    }
    return render(request, "prices/commodity.html", context)


# --- office -------------------------------------------------------------------------------------------


def _rights(request) -> dict:
    """What the signed-in staff member may do here (every office view asks, so each is 404 without the module)."""
    _module_on(request)
    roles = staff_roles_for_request(request, request.region)
    return {
        "may_enter": policy.may_enter(request.user, roles),
        "may_publish": policy.may_publish(request.user, roles),
    }


@staff_view(access=Access.PRICES)
def office(request):
    today = services.region_today(request.region)
    sheets = selectors.sheets_on(request.region, today)
    markets = [(m, sheets.get(m.pk)) for m in selectors.markets_of(request.region)]
    context = {
        "today": today,
        "markets": markets,
        "waiting": selectors.sheets_waiting(request.region),
        "alerts": selectors.alerts_recent(request.region, limit=10),
        **_rights(request),
    }
    return render(request, "prices/office.html", context)


def _day(request, value: str | None) -> dt.date | None:
    if not value:
        return services.region_today(request.region)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _entry_rows(commodities, sheet, last, typed, result):
    entries = selectors.sheet_prices(sheet)
    rows = []
    for c in commodities:
        entry = entries.get(c.code)
        value = typed.get(c.code) if typed is not None else _rupiah(entry.price if entry else None)
        rows.append(
            {
                "commodity": c,
                "value": value or "",
                "last": _rupiah(last.get(c.pk)),
                "error": result.errors.get(c.code) if result else None,
                "unusual": _rupiah(result.unusual.get(c.code)) if result and c.code in result.unusual else None,
            }
        )
    return rows


@staff_view(access=Access.PRICES)
def entry(request, market: str):
    """One market's prices on one day: large inputs, Indonesian number formats, no JavaScript needed. Each send
    saves every valid row; an unusual price asks to be confirmed; a wrong one is shown at its row, as typed."""
    if not _rights(request)["may_enter"]:
        raise Http404
    market_obj = selectors.market_get(request.region, market)
    day = _day(request, request.POST.get("tanggal") if request.method == "POST" else request.GET.get("tanggal"))
    date_error = None
    if day is None:
        date_error, day = _("The date must look like 2026-11-28."), services.region_today(request.region)
    elif (problem := services.day_error(day, services.region_today(request.region))) is not None:
        date_error, day = problem, services.region_today(request.region)  # shown today's sheet, and why
    commodities = list(selectors.commodities_of(request.region))
    typed, result = None, None
    if request.method == "POST":  # what was typed is shown again whatever is refused
        typed = {c.code: request.POST.get(f"h_{c.code}", "").strip()[:30] for c in commodities}
    if request.method == "POST" and date_error is None and typed is not None:
        confirmed = {c.code for c in commodities if request.POST.get(f"k_{c.code}") == "1"}
        submit = request.POST.get("aksi") == "kirim"
        try:
            result = services.sheet_save(
                actor=actor_from_request(request),
                market=market_obj,
                day=day,
                raw=typed,
                confirmed=confirmed,
                submit=submit,
            )
        except services.PriceError as exc:
            date_error = exc.message
        else:
            if result.complete:
                if submit:
                    messages.success(request, _("Sent to the inflation team for checking. Thank you."))
                    return redirect("prices:office", request.region.slug)
                messages.success(request, _("Saved as a draft. You can go on later."))
                return redirect(
                    f"{reverse('prices:entry', args=[request.region.slug, market])}?tanggal={day.isoformat()}"
                )
    sheet = selectors.sheet_find(market_obj, day)
    context = {
        "market": market_obj,
        "day": day,
        "today": services.region_today(request.region),
        "sheet": sheet,
        "rows": _entry_rows(commodities, sheet, services.last_prices(market_obj, day), typed, result),
        "date_error": date_error,
        "result": result,
        "draft_key": f"gerai-harga-{request.region.slug}-{market_obj.code}-{day.isoformat()}",
    }
    status = 422 if (result and not result.complete) or date_error else 200
    return render(request, "prices/entry.html", context, status=status)


@staff_view(access=Access.PRICES)
def sheet(request, market: str, day: str):
    """A sheet as the inflation team checks it: each price beside the last one, its corrections, and Publish."""
    try:
        the_day = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if services.day_error(the_day, None) is not None:  # no sheet is older; never date arithmetic near year 1
        raise Http404
    sheet_obj = selectors.sheet_get(request.region, market, the_day)
    rights = _rights(request)
    if request.method == "POST":
        if not rights["may_publish"]:
            raise Http404
        try:
            alerts = services.sheet_publish(actor=actor_from_request(request), sheet=sheet_obj)
        except services.PriceError as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Published. %(n)s new alert was sent to the inflation team.",
                    "Published. %(n)s new alerts were sent to the inflation team.",
                    len(alerts),
                )
                % {"n": len(alerts)},
            )
        return redirect("prices:sheet", request.region.slug, market, day)
    last = services.last_prices(sheet_obj.market, the_day)
    rows = [
        {
            "entry": e,
            "last": last.get(e.commodity_id),
            "change": warning.pct_change(e.price or 0, last.get(e.commodity_id)) if e.price else None,
        }
        for e in sheet_obj.entries.select_related("commodity").order_by("commodity__order", "commodity__name")
    ]
    context = {
        "sheet": sheet_obj,
        "rows": rows,
        "revisions": selectors.sheet_revisions(sheet_obj),
        "submitted": sheet_obj.status == PriceSheet.Status.SUBMITTED,
        **rights,
    }
    return render(request, "prices/sheet.html", context)


@staff_view(access=Access.PRICES)
def import_file(request):
    if not _rights(request)["may_publish"]:
        raise Http404
    result = None
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None or upload.size > MAX_UPLOAD:
            messages.error(request, _("Choose a CSV or XLSX file of at most 5 MB."))
        else:
            result = services.prices_import(
                actor=actor_from_request(request),
                region=request.region,
                raw=upload.read(),
                confirm_partial=request.POST.get("konfirmasi") == "1",
            )
            if result.imported:
                messages.success(
                    request,
                    ngettext("%(n)s price imported.", "%(n)s prices imported.", result.imported)
                    % {"n": result.imported},
                )
    return render(request, "prices/import.html", {"result": result, "columns": ", ".join(services.COLUMNS)})


@staff_view(access=Access.PRICES)
def references(request):
    """Reference prices (HET/HAP) by zone with their legal source, and the region's zone and thresholds. Only
    adding: a new regulation is a new row from its date."""
    rights = _rights(request)
    commodities = list(selectors.commodities_of(request.region))
    setting = selectors.settings_of(request.region)
    initial = {"zone": setting.zone, "waspada_pct": setting.waspada_pct, "siaga_pct": setting.siaga_pct}
    initial |= {"kritis_pct": setting.kritis_pct, "fall_pct": setting.fall_pct}
    form = ReferenceForm(commodities=commodities)
    thresholds = ThresholdsForm(initial=initial)
    if request.method == "POST":
        if not rights["may_publish"]:
            raise Http404
        actor = actor_from_request(request)
        if request.POST.get("aksi") == "ambang":
            thresholds = ThresholdsForm(request.POST)
            if thresholds.is_valid():
                try:
                    data = thresholds.cleaned_data
                    services.thresholds_set(
                        actor=actor,
                        region=request.region,
                        zone=data["zone"],
                        waspada=data["waspada_pct"],
                        siaga=data["siaga_pct"],
                        kritis=data["kritis_pct"],
                        fall=data["fall_pct"],
                    )
                except services.PriceError as exc:
                    refused(request, exc, thresholds)
                else:
                    messages.success(request, _("The thresholds are saved."))
                    return redirect("prices:references", request.region.slug)
        else:
            form = ReferenceForm(request.POST, commodities=commodities)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.reference_add(
                        actor=actor,
                        commodity=selectors.commodity_get(request.region, data["commodity"]),
                        zone=data["zone"],
                        kind=data["kind"],
                        price=data["price"],
                        valid_from=data["valid_from"],
                        source=data["source"],
                    )
                except services.PriceError as exc:
                    refused(request, exc, form)
                else:
                    messages.success(request, _("The reference price is added."))
                    return redirect("prices:references", request.region.slug)
    context = {
        "references": selectors.references_of(request.region),
        "form": form,
        "thresholds": thresholds,
        "setting": setting,
        **rights,
    }
    status = 422 if form.errors or thresholds.errors else 200
    return render(request, "prices/references.html", context, status=status)


def _market_create(request, form) -> bool:
    data = form.cleaned_data
    kecamatan = kecamatans_of_region(request.region).filter(code=data["kecamatan"]).first()
    try:
        services.market_create(
            actor=actor_from_request(request),
            region=request.region,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            kecamatan=kecamatan,
            desa=village_get(request.region, data["desa"]) if data["desa"] else None,
            latitude=data["latitude"],
            longitude=data["longitude"],
        )
    except services.PriceError as exc:
        refused(request, exc, form)
        return False
    return True


def _commodity_create(request, form) -> bool:
    try:
        services.commodity_create(actor=actor_from_request(request), region=request.region, **form.cleaned_data)
    except services.PriceError as exc:
        refused(request, exc, form)
        return False
    return True


@staff_view(access=Access.PRICES)
def markets(request):
    """The region's markets (with kecamatan, desa and coordinates) and commodities (with units); the inflation
    team and region admins add them."""
    rights = _rights(request)
    areas = {
        "kecamatans": kecamatans_of_region(request.region).order_by("name"),
        "villages": village_choices_grouped(request.region.pk),
    }
    market_form, commodity_form = MarketForm(**areas), CommodityForm()
    if request.method == "POST":
        if not rights["may_publish"]:
            raise Http404
        if request.POST.get("aksi") == "komoditas":
            commodity_form = CommodityForm(request.POST)
            done = commodity_form.is_valid() and _commodity_create(request, commodity_form)
        else:
            market_form = MarketForm(request.POST, **areas)
            done = market_form.is_valid() and _market_create(request, market_form)
        if done:
            messages.success(request, _("Saved."))
            return redirect("prices:markets", request.region.slug)
    context = {
        "markets": selectors.markets_of(request.region, active_only=False),
        "commodities": selectors.commodities_of(request.region),
        "market_form": market_form,
        "commodity_form": commodity_form,
        **rights,
    }
    status = 422 if market_form.errors or commodity_form.errors else 200
    return render(request, "prices/markets.html", context, status=status)

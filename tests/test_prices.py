"""Food prices (issue 19): the enumerator's sheet and its bad input, corrections, publishing into the rollups,
alerts once per level, reference prices as dated rows, the import's row-by-row report, the weekly summary, the
public pages, downloads and API, and who may see and do what."""

import datetime as dt

import pytest
from django.core.signals import request_started
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gerai.core.actors import Actor
from gerai.notifications.models import OutboxMessage
from gerai.prices import selectors, services
from gerai.prices.models import (
    Alert,
    AlertState,
    CommodityWeek,
    PriceRevision,
    PriceSheet,
    ReferencePrice,
    WeeklyPrice,
)
from gerai.prices.selectors import commodity_overview
from tests.factories import make_prices, make_region, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(personas):
    return make_prices(personas.a)


def _client(client, user):
    client.force_login(user)
    return client


def entry_url(p, market=None):
    return f"/{p.region.slug}/kantor/harga/isi/{(market or p.market).code}/"


def _today(p):
    return services.region_today(p.region)


def _publish(p, market, day, prices: dict, user=None):
    """Enter (as the enumerator) and publish (as the TPID member) one sheet."""
    result = services.sheet_save(
        actor=Actor(user=user or p.enumerator), market=market, day=day, raw=prices, confirmed=set(prices), submit=True
    )
    assert result.complete, (result.errors, result.unusual)
    return services.sheet_publish(actor=Actor(user=p.tpid), sheet=result.sheet)


# --- the enumerator's sheet -----------------------------------------------------------------------


def test_indonesian_numbers_are_saved_as_rupiah(client, p):
    c = _client(client, p.enumerator)
    response = c.post(
        entry_url(p),
        {"tanggal": _today(p).isoformat(), "h_beras-medium": "12.500", "h_cabai-rawit-merah": "45,5", "aksi": "kirim"},
    )
    assert response.status_code == 302
    sheet = PriceSheet.objects.get(market=p.market, day=_today(p))
    assert sheet.status == PriceSheet.Status.SUBMITTED
    assert {e.commodity.code: e.price for e in sheet.entries.all()} == {
        "beras-medium": 12_500,
        "cabai-rawit-merah": 45_500,
    }


def test_the_sheet_works_without_javascript_and_has_large_labelled_inputs(client, p):
    c = _client(client, p.enumerator)
    html = c.get(entry_url(p)).content.decode()
    assert 'inputmode="decimal"' in html and 'class="price-input"' in html
    assert '<label for="h_beras-medium">' in html
    assert 'name="aksi" value="kirim"' in html and 'name="aksi" value="simpan"' in html
    # the phone keyboard's Go presses the first button: a half-filled sheet is saved, never sent for checking
    assert html.index('name="aksi" value="simpan"') < html.index('name="aksi" value="kirim"')
    assert "data-draft-key=" in html and "prices/entry" in html  # the localStorage enhancement, with the nonce


def test_bad_rows_are_shown_as_typed_and_the_good_ones_kept_as_a_draft(client, p):
    c = _client(client, p.enumerator)
    day = _today(p).isoformat()
    response = c.post(
        entry_url(p),
        {"tanggal": day, "h_beras-medium": "12.500", "h_cabai-rawit-merah": "empat puluh", "aksi": "kirim"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="empat puluh"' in html and 'aria-invalid="true"' in html
    assert "12.500" in html
    sheet = PriceSheet.objects.get(market=p.market, day=_today(p))
    assert sheet.status == PriceSheet.Status.DRAFT  # not sent while a row is wrong
    assert [e.price for e in sheet.entries.all()] == [12_500]  # the good row survived a dropped connection


@pytest.mark.parametrize("typed", ["0", "-3000", "abc", "12.50.0"])
def test_not_a_price_is_refused_at_its_row(client, p, typed):
    c = _client(client, p.enumerator)
    response = c.post(entry_url(p), {"tanggal": _today(p).isoformat(), "h_cabai-rawit-merah": typed, "aksi": "kirim"})
    assert response.status_code == 422
    assert 'id="err_cabai-rawit-merah"' in response.content.decode()
    assert not PriceSheet.objects.filter(market=p.market, entries__isnull=False).exists()


def test_a_future_date_is_refused(client, p):
    c = _client(client, p.enumerator)
    tomorrow = (_today(p) + dt.timedelta(days=1)).isoformat()
    response = c.post(entry_url(p), {"tanggal": tomorrow, "h_beras-medium": "12.500", "aksi": "kirim"})
    assert response.status_code == 422
    assert not PriceSheet.objects.filter(market=p.market).exists()
    assert 'value="12.500"' in response.content.decode()  # nothing typed is lost
    assert c.post(entry_url(p), {"tanggal": "28-11-2026", "aksi": "kirim"}).status_code == 422
    assert c.get(entry_url(p) + f"?tanggal={tomorrow}").status_code == 422  # shown today's sheet, and why


def test_ten_times_the_last_price_asks_to_confirm(client, p):
    yesterday = _today(p) - dt.timedelta(days=1)
    _publish(p, p.market, yesterday, {"cabai-rawit-merah": "45.000"})
    c = _client(client, p.enumerator)
    data = {"tanggal": _today(p).isoformat(), "h_cabai-rawit-merah": "450.000", "aksi": "kirim"}
    response = c.post(entry_url(p), data)
    assert response.status_code == 422
    assert 'name="k_cabai-rawit-merah"' in response.content.decode()
    sheet = PriceSheet.objects.get(market=p.market, day=_today(p))
    assert not sheet.entries.exists()  # never silently accepted
    response = c.post(entry_url(p), data | {"k_cabai-rawit-merah": "1"})
    assert response.status_code == 302
    entry = sheet.entries.get()
    assert entry.price == 450_000 and entry.confirmed_unusual


def test_a_second_enumerator_corrects_the_same_sheet_with_history(client, p):
    day = _today(p)
    services.sheet_save(
        actor=Actor(user=p.enumerator), market=p.market, day=day, raw={"beras-medium": "12.500"}, submit=True
    )
    c = _client(client, p.other_enumerator)
    assert 'value="12.500"' in c.get(entry_url(p)).content.decode()  # the same sheet, filled in
    c.post(entry_url(p), {"tanggal": day.isoformat(), "h_beras-medium": "12.800", "aksi": "kirim"})
    assert PriceSheet.objects.filter(market=p.market, day=day).count() == 1
    revision = PriceRevision.objects.get(entry__sheet__region=p.region)
    assert (revision.old_price, revision.new_price, revision.changed_by) == (12_500, 12_800, p.other_enumerator)
    sheet_page = _client(client, p.tpid).get(f"/{p.region.slug}/kantor/harga/lembar/{p.market.code}/{day.isoformat()}/")
    assert sheet_page.status_code == 200 and "12.500" in sheet_page.content.decode()


# --- publishing, rollups, alerts ----------------------------------------------------------------------


def test_publish_feeds_the_rollups_and_a_correction_moves_them(p):
    day = _today(p)
    _publish(p, p.market, day, {"beras-medium": "12.000"})
    _publish(p, p.other_market, day, {"beras-medium": "14.000"})
    week = services.warning.week_of(day)
    cw = CommodityWeek.objects.get(commodity=p.beras, week=week)
    assert (cw.mean, cw.minimum, cw.maximum, cw.markets) == (13_000, 12_000, 14_000, 2)
    assert cw.cv == pytest.approx(1000 / 13000 * 100)
    services.sheet_save(
        actor=Actor(user=p.other_enumerator), market=p.market, day=day, raw={"beras-medium": "13.000"}, submit=True
    )
    sheet = PriceSheet.objects.get(market=p.market, day=day)
    assert sheet.status == PriceSheet.Status.SUBMITTED  # corrected published prices wait for checking
    assert WeeklyPrice.objects.get(market=p.market, commodity=p.beras).mean == 12_000  # still the published one
    services.sheet_publish(actor=Actor(user=p.tpid), sheet=sheet)
    weekly = WeeklyPrice.objects.get(market=p.market, commodity=p.beras)
    assert (weekly.total, weekly.days) == (13_000, 1)
    assert CommodityWeek.objects.get(commodity=p.beras, week=week).mean == 13_500


def test_only_the_tpid_publishes(client, p):
    day = _today(p)
    result = services.sheet_save(
        actor=Actor(user=p.enumerator), market=p.market, day=day, raw={"beras-medium": "12.000"}, submit=True
    )
    with pytest.raises(services.PriceError):
        services.sheet_publish(actor=Actor(user=p.enumerator), sheet=result.sheet)
    url = f"/{p.region.slug}/kantor/harga/lembar/{p.market.code}/{day.isoformat()}/"
    assert _client(client, p.enumerator).post(url).status_code == 404
    assert _client(client, p.tpid).post(url).status_code == 302
    assert PriceSheet.objects.get(pk=result.sheet.pk).status == PriceSheet.Status.PUBLISHED
    with pytest.raises(services.PriceError):  # twice: not waiting any more
        services.sheet_publish(actor=Actor(user=p.tpid), sheet=result.sheet)


def test_rising_prices_alert_each_level_exactly_once(p):
    """10.000 → +9 % (Waspada) → +13 % (Siaga) → +21 % (Kritis) → +25 % (still Kritis: no new alert), a week
    apart; each level alerts once, and each alert reaches the TPID member."""
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=4)
    price = 10_000
    for k, rise in enumerate([0, 9, 13, 21, 25]):
        price = round(price * (1 + rise / 100))
        _publish(p, p.market, start + dt.timedelta(weeks=k), {"cabai-rawit-merah": str(price)})
    rises = list(
        Alert.objects.filter(region=p.region, kind=Alert.Kind.RISE).order_by("week").values_list("level", flat=True)
    )
    assert rises == ["waspada", "siaga", "kritis"]
    messages = OutboxMessage.objects.filter(user=p.tpid, event="price_alert")
    assert messages.count() == 3
    assert "Cabai rawit merah" in messages.first().body
    assert not OutboxMessage.objects.filter(user=p.enumerator, event="price_alert").exists()


def test_a_level_alerts_again_after_prices_fall_back(p):
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=3)
    for k, price in enumerate([10_000, 11_000, 10_500, 11_500]):  # +10 %, -4.5 %, +9.5 %
        _publish(p, p.market, start + dt.timedelta(weeks=k), {"cabai-rawit-merah": str(price)})
    assert Alert.objects.filter(region=p.region, kind=Alert.Kind.RISE, level="waspada").count() == 2


def test_thresholds_are_per_region(p):
    services.thresholds_set(actor=Actor.system(), region=p.region, zone=1, waspada=3, siaga=5, kritis=7)
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"beras-medium": "10.000"})
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"beras-medium": "10.600"})  # +6 %: Siaga here
    assert list(Alert.objects.filter(region=p.region).values_list("level", flat=True)) == ["siaga"]
    with pytest.raises(services.PriceError):
        services.thresholds_set(actor=Actor.system(), region=p.region, zone=1, waspada=12, siaga=8, kritis=20)


def test_above_the_reference_alerts_once_and_uses_the_price_in_force(p):
    old = services.reference_add(
        actor=Actor.system(),
        commodity=p.beras,
        zone=1,
        kind="het",
        price=12_000,
        valid_from=dt.date(2020, 1, 1),
        source="Perbadan lama",
    )
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"beras-medium": "12.600"})  # 5 % above HET
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"beras-medium": "12.700"})
    alerts = Alert.objects.filter(region=p.region, kind=Alert.Kind.REFERENCE)
    assert alerts.count() == 1 and alerts.get().base == 12_000
    new = services.reference_add(
        actor=Actor.system(),
        commodity=p.beras,
        zone=1,
        kind="het",
        price=13_000,
        valid_from=start + dt.timedelta(weeks=1),
        source="Perbadan baru",
    )
    old.refresh_from_db()
    assert old.price == 12_000  # history is never edited
    assert services.reference_in_force(p.beras.pk, 1, start).pk == old.pk
    assert services.reference_in_force(p.beras.pk, 1, start + dt.timedelta(weeks=1)).pk == new.pk
    with pytest.raises(services.PriceError):
        services.reference_add(
            actor=Actor.system(),
            commodity=p.beras,
            zone=1,
            kind="het",
            price=14_000,
            valid_from=start + dt.timedelta(weeks=1),
            source="Edit",
        )
    assert ReferencePrice.objects.filter(commodity=p.beras).count() == 2


def test_the_reference_page_adds_rows_and_refuses_bad_ones(client, p):
    c = _client(client, p.tpid)
    url = f"/{p.region.slug}/kantor/harga/acuan/"
    data = {
        "aksi": "acuan",
        "commodity": "beras-medium",
        "zone": "1",
        "kind": "het",
        "price": "12.500",
        "valid_from": "2026-01-01",
        "source": "Perbadan X",
    }
    assert c.post(url, data).status_code == 302
    bad = c.post(url, data | {"price": "nol", "source": ""})
    assert bad.status_code == 422 and 'value="nol"' in bad.content.decode()
    assert _client(client, p.enumerator).post(url, data).status_code == 404
    assert ReferencePrice.objects.get(commodity__region=p.region).price == 12_500


# --- import ------------------------------------------------------------------------------------------


def test_import_reports_row_by_row(client, p):
    today = _today(p)
    future = today + dt.timedelta(days=3)
    csv = (
        "pasar;tanggal;komoditas;harga\n"
        f"pasar-satu;{today};beras-medium;12.500\n"
        f"pasar-tiga;{today};beras-medium;12.500\n"
        f"pasar-satu;{today};jagung;5.000\n"
        f"pasar-satu;{future};cabai-rawit-merah;40.000\n"
        f"pasar-satu;{today};cabai-rawit-merah;nol\n"
        f"pasar-satu;{today};beras-medium;12.600\n"
        f"pasar-dua;{today};cabai-rawit-merah;41.000\n"
    ).encode()
    c = _client(client, p.tpid)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post(f"/{p.region.slug}/kantor/harga/impor/", {"berkas": SimpleUploadedFile("h.csv", csv)})
    html = response.content.decode()
    assert "pasar-tiga" in html and "jagung" in html  # each refused row says what was wrong in it
    report = services.prices_import_check(p.region, csv)
    assert [line for line, _reason in report.refused] == [3, 4, 5, 6, 7]
    assert not PriceSheet.objects.filter(region=p.region).exists()  # nothing until confirmed
    c.post(f"/{p.region.slug}/kantor/harga/impor/", {"berkas": SimpleUploadedFile("h.csv", csv), "konfirmasi": "1"})
    sheets = PriceSheet.objects.filter(region=p.region, status=PriceSheet.Status.SUBMITTED)
    assert sheets.count() == 2
    assert _client(client, p.enumerator).get(f"/{p.region.slug}/kantor/harga/impor/").status_code == 404


def test_import_xlsx_and_an_unreadable_file(p):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["pasar", "tanggal", "komoditas", "harga"])
    sheet.append(["pasar-satu", _today(p), "beras-medium", 12500])
    buffer = BytesIO()
    book.save(buffer)
    result = services.prices_import(
        actor=Actor(user=p.tpid), region=p.region, raw=buffer.getvalue(), confirm_partial=False
    )
    assert result.imported == 1 and not result.refused
    broken = services.prices_import_check(p.region, b"PK\x03\x04 not a workbook")
    assert len(broken.refused) == 1 and broken.refused[0][0] == 1


# --- the Monday summary ------------------------------------------------------------------------------


def test_the_weekly_summary_goes_once_on_monday(p):
    last_week = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, last_week, {"beras-medium": "12.000"})
    monday = services.warning.week_of(_today(p))
    at = timezone.make_aware(dt.datetime.combine(monday, dt.time(8, 0)), p.region.zone)
    assert services.weekly_summaries_send(now=at - dt.timedelta(days=1)) == 0  # Sunday
    sent = services.weekly_summaries_send(now=at)
    assert sent >= 1
    message = OutboxMessage.objects.get(user=p.tpid, event="price_summary")
    assert "Beras medium" in message.body and "Rp12.000" in message.body
    assert services.weekly_summaries_send(now=at + dt.timedelta(minutes=1)) == 0


# --- public pages, downloads, API ----------------------------------------------------------------------


def test_public_pages_show_prices_trend_and_alerts(client, p):
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"cabai-rawit-merah": "40.000", "beras-medium": "12.000"})
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"cabai-rawit-merah": "50.000", "beras-medium": "12.000"})
    page = client.get(f"/{p.region.slug}/harga/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-chart="bar"' in html and "Cabai rawit merah" in html
    assert "25,0" in html  # the week's change, in Indonesian format
    detail = client.get(f"/{p.region.slug}/harga/cabai-rawit-merah/").content.decode()
    assert 'data-chart="line"' in detail and 'data-value="50000"' in detail
    assert client.get(f"/{p.region.slug}/harga/jagung/").status_code == 404
    csv = client.get(f"/{p.region.slug}/harga/cabai-rawit-merah/?unduh=tren&format=csv").content.decode()
    assert csv.splitlines()[0].startswith("minggu,rata_rata") and "50000" in csv
    xlsx = client.get(f"/{p.region.slug}/harga/?unduh=harga&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_downloads_are_formula_safe(client, p):
    services.commodity_create(actor=Actor.system(), region=p.region, code="jahat", name="=HYPERLINK(1)", unit="kg")
    csv = client.get(f"/{p.region.slug}/harga/?unduh=harga&format=csv").content.decode()
    assert "'=HYPERLINK(1)" in csv


def test_api_prices(client, p):
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"cabai-rawit-merah": "40.000"})
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"cabai-rawit-merah": "50.000"})
    rows = client.get(f"/api/v1/regions/{p.region.slug}/prices?commodity=cabai-rawit-merah").json()
    assert [r["mean"] for r in rows] == [40_000, 50_000] and rows[0]["week"] == start.isoformat()
    one = client.get(f"/api/v1/regions/{p.region.slug}/prices?from={(start + dt.timedelta(days=7)).isoformat()}").json()
    assert [r["mean"] for r in one] == [50_000]
    assert client.get(f"/api/v1/regions/{p.region.slug}/prices?commodity=jagung").status_code == 404
    assert client.get(f"/api/v1/regions/{p.region.slug}/prices?from=kemarin").status_code == 422


def test_open_data_lists_weekly_prices(p):
    from gerai.core import opendata

    _publish(p, p.market, _today(p), {"beras-medium": "12.000"})
    table = opendata.registered()["harga-pangan-mingguan"].build(p.region)
    assert table is not None and table.rows[0]["mean"] == 12_000


def test_the_public_page_reads_a_bounded_number_of_rows(client, p):
    """Ten weeks or sixty, the page costs the same queries: it reads the rollups in a window."""
    start = services.warning.week_of(_today(p))

    def queries():
        request_started.disconnect(reset_queries)  # it would empty the log the capture reads
        try:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(f"/{p.region.slug}/harga/").status_code == 200
        finally:
            request_started.connect(reset_queries)
        return len(ctx)

    for k in range(3):
        _publish(p, p.market, start - dt.timedelta(weeks=k), {"beras-medium": "12.000"})
    few = queries()
    assert 5 < few < 40
    for k in range(3, 12):
        _publish(p, p.market, start - dt.timedelta(weeks=k), {"beras-medium": "12.000"})
    assert queries() == few


# --- who may see and do what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["kantor/harga/", "kantor/harga/isi/pasar-satu/", "kantor/harga/acuan/", "kantor/harga/impor/"]
)
def test_office_pages_are_404_for_outsiders(client, personas, p, path):
    url = f"/{p.region.slug}/{path}"
    for name in ("outsider", "outsider_admin", "citizen", "desa_officer"):
        assert personas.client(name).get(url).status_code == 404, name
    assert personas.client(None).get(url).status_code == 302  # to sign in
    assert personas.client("admin").get(url).status_code == 200


def test_another_regions_market_is_not_found(client, personas, p):
    b = make_prices(personas.b)
    c = _client(client, p.enumerator)
    assert c.get(f"/{p.region.slug}/kantor/harga/isi/{b.market.code}x/").status_code == 404
    outsider = make_staff(personas.b.region, personas.b.dinas, "enumerator")
    c2 = _client(client, outsider)
    assert c2.get(entry_url(p)).status_code == 404
    services.sheet_save(
        actor=Actor(user=p.enumerator), market=p.market, day=_today(p), raw={"beras-medium": "1.000"}, submit=True
    )
    assert c2.get(f"/{b.region.slug}/kantor/harga/lembar/{p.market.code}/{_today(p)}/").status_code == 404


def test_module_off_hides_the_public_pages(client):
    parts = make_region("63.01", "tanahlaut-harga", "THG")
    parts.region.modules = ["layanan"]
    parts.region.save()
    assert client.get("/tanahlaut-harga/harga/").status_code == 404
    assert client.get("/api/v1/regions/tanahlaut-harga/prices").status_code == 404


def test_overview_on_the_demo(people):
    from gerai.regions.models import Region

    rows = commodity_overview(Region.objects.get(slug="banyuwangi"))
    cabai = next(r for r in rows if r["commodity"].code == "cabai-rawit-merah")
    assert cabai["markets"] == 5 and cabai["change"] > 8
    assert Alert.objects.filter(region__slug="banyuwangi").exists()
    assert PriceSheet.objects.filter(region__slug="seruyan", status="published").count() == 6


def test_markets_and_commodities_are_added_by_the_tpid(client, personas, p):
    c = _client(client, p.tpid)
    url = f"/{p.region.slug}/kantor/harga/pasar/"
    data = {
        "aksi": "pasar",
        "code": "pasar-baru",
        "name": "Pasar Baru",
        "kind": "tradisional",
        "kecamatan": personas.a.kecamatan.code,
        "desa": personas.a.desa.code,
        "latitude": "-8,2137",
        "longitude": "114.3694",
    }
    assert c.post(url, data).status_code == 302
    market = p.region.markets.get(code="pasar-baru")
    assert (market.desa, str(market.latitude)) == (personas.a.desa, "-8.213700")
    bad = c.post(url, data | {"code": "pasar-lain", "latitude": "utara", "desa": personas.b.desa.code})
    assert bad.status_code == 422 and 'value="utara"' in bad.content.decode()
    assert c.post(url, data).status_code == 422  # the same code twice
    assert (
        c.post(url, {"aksi": "komoditas", "code": "jagung", "name": "Jagung pipilan", "unit": "kg"}).status_code == 302
    )
    assert p.region.commodities.filter(code="jagung").exists()
    assert _client(client, p.enumerator).post(url, data | {"code": "x"}).status_code == 404
    assert personas.client("outsider_admin").get(url).status_code == 404


def test_the_summary_is_a_worker_job_and_skips_an_empty_week(p):
    from gerai.core import jobs
    from gerai.prices.models import SummaryLog
    from gerai.prices.tasks import weekly_summaries

    assert weekly_summaries.enqueue in jobs.minute_jobs
    monday = services.warning.week_of(_today(p))
    at = timezone.make_aware(dt.datetime.combine(monday, dt.time(9, 0)), p.region.zone)
    services.weekly_summaries_send(now=at)
    assert SummaryLog.objects.get(region=p.region).recipients == 0  # no prices last week: nobody is messaged
    assert not OutboxMessage.objects.filter(user=p.tpid).exists()


# --- the review's findings ------------------------------------------------------------------------------


def test_a_date_before_2000_is_refused_everywhere_and_never_a_500(client, p):
    """Year 1 made the entry page overflow (date - 60 days); 1901 was imported; a reference from year 1 was
    accepted. One lower bound, 2000-01-01, as the API's."""
    c = _client(client, p.enumerator)
    for day in ("0001-01-01", "1999-12-31"):
        shown = c.get(entry_url(p) + f"?tanggal={day}")
        assert shown.status_code == 422 and "2000-01-01" in shown.content.decode()  # today's sheet, and why
        sent = c.post(entry_url(p), {"tanggal": day, "h_beras-medium": "12.500", "aksi": "kirim"})
        assert sent.status_code == 422 and 'value="12.500"' in sent.content.decode()
    assert not PriceSheet.objects.filter(market=p.market).exists()
    with pytest.raises(services.PriceError):
        services.sheet_save(actor=Actor(user=p.enumerator), market=p.market, day=dt.date(1, 1, 1), raw={}, submit=False)
    tpid = _client(client, p.tpid)
    assert tpid.get(f"/{p.region.slug}/kantor/harga/lembar/{p.market.code}/0001-01-01/").status_code == 404
    csv = b"pasar;tanggal;komoditas;harga\npasar-satu;1901-01-07;beras-medium;12.500\n"
    report = services.prices_import_check(p.region, csv)
    assert not report.valid and [line for line, _reason in report.refused] == [2]
    url = f"/{p.region.slug}/kantor/harga/acuan/"
    data = {"aksi": "acuan", "commodity": "beras-medium", "zone": "1", "kind": "het", "price": "12.500"}
    bad = tpid.post(url, data | {"valid_from": "0001-01-01", "source": "Perbadan X"})
    assert bad.status_code == 422 and "2000-01-01" in bad.content.decode()
    with pytest.raises(services.PriceError):
        services.reference_add(
            actor=Actor.system(),
            commodity=p.beras,
            zone=1,
            kind="het",
            price=1,
            valid_from=dt.date(1, 1, 1),
            source="X",
        )
    assert not ReferencePrice.objects.filter(commodity__region=p.region).exists()


def test_the_api_refuses_a_backwards_or_too_long_window_instead_of_clipping_it(client, p):
    week = services.warning.week_of(_today(p))
    _publish(p, p.market, week, {"cabai-rawit-merah": "40.000"})
    url = f"/api/v1/regions/{p.region.slug}/prices"
    too_long = client.get(f"{url}?from=2000-01-01&to=2100-12-31")
    assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "range_too_long"
    assert "520" in too_long.json()["error"]["message"]
    assert client.get(f"{url}?from=2000-01-01").json()["error"]["code"] == "range_too_long"  # to: the latest week
    backwards = client.get(f"{url}?from={week.isoformat()}&to={(week - dt.timedelta(days=1)).isoformat()}")
    assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "range_backwards"
    start = week - dt.timedelta(weeks=519)  # exactly 520 weeks: answered in full
    rows = client.get(f"{url}?from={start.isoformat()}&to={week.isoformat()}").json()
    assert [r["mean"] for r in rows] == [40_000]


def test_publishing_an_older_week_after_a_newer_one_moves_rollups_not_alerts(p):
    """AlertState is per commodity and market, not per week: an older week published late (or corrected) must
    neither reset the current level nor raise an alert about the past; its rollups still move."""
    week = services.warning.week_of(_today(p))
    _publish(p, p.market, week - dt.timedelta(weeks=1), {"cabai-rawit-merah": "10.000"})
    _publish(p, p.market, week, {"cabai-rawit-merah": "11.000"})  # +10 %: Waspada, now
    assert list(Alert.objects.filter(region=p.region).values_list("level", flat=True)) == ["waspada"]
    state = AlertState.objects.get(market=p.market, kind=Alert.Kind.RISE)
    assert state.level == "waspada"
    _publish(p, p.market, week - dt.timedelta(weeks=3), {"cabai-rawit-merah": "5.000"})
    _publish(p, p.market, week - dt.timedelta(weeks=2), {"cabai-rawit-merah": "10.000"})  # +100 %, two weeks ago
    assert Alert.objects.filter(region=p.region).count() == 1  # nothing about the past
    state.refresh_from_db()
    assert state.level == "waspada"  # not reset by the older weeks
    old = CommodityWeek.objects.get(
        region=p.region, commodity__code="cabai-rawit-merah", week=week - dt.timedelta(weeks=2)
    )
    assert old.mean == 10_000  # the rollups did move
    services.sheet_save(
        actor=Actor(user=p.enumerator), market=p.market, day=week, raw={"cabai-rawit-merah": "11.100"}, submit=True
    )
    services.sheet_publish(actor=Actor(user=p.tpid), sheet=PriceSheet.objects.get(market=p.market, day=week))
    assert Alert.objects.filter(region=p.region).count() == 1  # still Waspada: not alerted twice


def test_the_cross_market_mean_is_recomputed_under_the_weeks_lock(p, monkeypatch):
    """Two TPID members publishing two markets' sheets of one week at once: each must lock the CommodityWeek row
    BEFORE reading the markets' weekly means, so the second waits for the first to commit and reads its row too
    (without the lock the last writer stores a mean that misses the other's market). Real concurrency needs
    PostgreSQL; here the order of the lock and the read is recorded."""
    from django.db.models.query import QuerySet

    events: list[str] = []
    original_lock = QuerySet.select_for_update

    def lock(self, *args, **kwargs):
        events.append(f"lock {self.model.__name__}")
        return original_lock(self, *args, **kwargs)

    original_filter = WeeklyPrice.objects.filter

    def read(*args, **kwargs):
        if "days__gt" in kwargs and "market" not in kwargs:
            events.append("read means")
        return original_filter(*args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", lock)
    monkeypatch.setattr(WeeklyPrice.objects, "filter", read)
    day = _today(p)
    _publish(p, p.market, day, {"beras-medium": "12.000"})
    _publish(p, p.other_market, day, {"beras-medium": "14.100"})
    reads = [i for i, e in enumerate(events) if e == "read means"]
    assert reads and all("lock CommodityWeek" in events[:i] for i in reads)
    assert all(
        events[:i].count("lock CommodityWeek") > events[: reads[k - 1]].count("lock CommodityWeek")
        for k, i in enumerate(reads)
        if k
    )
    cw = CommodityWeek.objects.get(commodity=p.beras, week=services.warning.week_of(day))
    means = [w.mean for w in WeeklyPrice.objects.filter(commodity=p.beras, week=cw.week, days__gt=0)]
    assert cw.mean == round(sum(means) / len(means)) == 13_050


# --- a sharp fall is an alert level too -------------------------------------------------------------------------


def test_a_sharp_fall_alerts_once_and_shows_on_the_page_api_and_messages(client, p):
    """Farm-gate prices collapsing: 40.000 → 30.000 (−25 %) is "Turun tajam" (default: a fall of more than 8 %),
    alerted once per fall (staying low sends nothing more), on /harga/, in the alerts list and the API."""
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=3)
    for k, price in enumerate(["40.000", "30.000", "29.000", "29.000"]):  # −25 %, −3.3 %, 0
        _publish(p, p.market, start + dt.timedelta(weeks=k), {"cabai-rawit-merah": price})
    falls = Alert.objects.filter(region=p.region, kind=Alert.Kind.FALL)
    assert list(falls.values_list("level", flat=True)) == ["turun"]
    assert not Alert.objects.filter(region=p.region, kind=Alert.Kind.RISE).exists()
    message = OutboxMessage.objects.filter(user=p.tpid, event="price_alert").get()
    assert "turun 25,0%" in message.body and "di atas HET/HAP" not in message.body
    html = client.get(f"/{p.region.slug}/harga/").content.decode()
    assert "Cabai rawit merah di Pasar" in html and "turun 25,0% dibanding minggu sebelumnya" in html
    alerts = client.get(f"/api/v1/regions/{p.region.slug}/prices/alerts").json()
    assert [(a["kind"], a["level"], a["change_pct"]) for a in alerts] == [("fall", "turun", -25.0)]
    assert alerts[0]["base"] == 40_000 and alerts[0]["price"] == 30_000
    schema = client.get("/api/v1/openapi.json").json()
    assert "turun" in schema["components"]["schemas"]["PriceAlertOut"]["properties"]["level"]["description"]


def test_this_weeks_sharp_fall_is_the_commoditys_status(client, p):
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"cabai-rawit-merah": "40.000"})
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"cabai-rawit-merah": "36.000"})  # −10 %
    row = next(r for r in commodity_overview(p.region) if r["commodity"].code == "cabai-rawit-merah")
    assert row["level"] == "turun"
    html = client.get(f"/{p.region.slug}/harga/").content.decode()
    assert 'price-level--turun">Turun tajam<' in html and "Turun tajam: turun lebih dari 8 persen" in html
    csv = client.get(f"/{p.region.slug}/harga/?unduh=harga&format=csv").content.decode()
    assert "Turun tajam" in csv


def test_the_fall_threshold_is_set_per_region_on_the_reference_page(client, p):
    url = f"/{p.region.slug}/kantor/harga/acuan/"
    c = _client(client, p.tpid)
    form = {"aksi": "ambang", "zone": "2", "waspada_pct": "8", "siaga_pct": "12", "kritis_pct": "20"}
    assert c.post(url, form | {"fall_pct": "15"}).status_code == 302  # the form's fields reach the service
    assert c.post(url, form | {"fall_pct": "0"}).status_code != 302
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"cabai-rawit-merah": "40.000"})
    _publish(p, p.market, start + dt.timedelta(weeks=1), {"cabai-rawit-merah": "36.000"})  # −10 %: not beyond 15 %
    assert not Alert.objects.filter(region=p.region, kind=Alert.Kind.FALL).exists()
    assert "lebih dari 15" in c.get(url).content.decode() or "lebih dari 15,0" in c.get(url).content.decode()


def test_a_week_evaluated_again_lists_only_its_current_state(client, p):
    """A corrected sheet re-published: +12.2 % (Siaga) becomes −10.3 % (Turun tajam) for the same commodity,
    market and week. /harga/ and the API list the week as it is now; the Siaga alert, already sent, is kept on
    record as superseded. Correcting back to the same level again updates the alert's figures, not a new one."""
    mine = Alert.objects.filter(region=p.region, market=p.market)
    start = services.warning.week_of(_today(p)) - dt.timedelta(weeks=1)
    week = start + dt.timedelta(weeks=1)
    _publish(p, p.market, start, {"cabai-rawit-merah": "10.000"})
    _publish(p, p.market, week, {"cabai-rawit-merah": "11.220"})  # +12.2 %
    assert list(mine.values_list("level", flat=True)) == ["siaga"]
    _publish(p, p.market, week, {"cabai-rawit-merah": "8.970"}, user=p.other_enumerator)  # the same sheet, −10.3 %
    listed = [(a.kind, a.level) for a in selectors.alerts_recent(p.region)]
    assert listed == [("fall", "turun")]
    assert mine.get(level="siaga").superseded_at is not None
    html = client.get(f"/{p.region.slug}/harga/").content.decode()
    assert "turun 10,3%" in html and "naik 12,2%" not in html
    api = client.get(f"/api/v1/regions/{p.region.slug}/prices/alerts").json()
    assert [a["level"] for a in api] == ["turun"]
    _publish(p, p.market, week, {"cabai-rawit-merah": "8.800"}, user=p.enumerator)  # still a sharp fall: −12 %
    fall = mine.get(kind="fall", superseded_at__isnull=True)
    assert fall.price == 8_800 and mine.filter(kind="fall").count() == 1
    _publish(p, p.market, week, {"cabai-rawit-merah": "11.220"}, user=p.other_enumerator)  # back to +12.2 %
    assert [(a.kind, a.level) for a in selectors.alerts_recent(p.region)] == [("rise", "siaga")]

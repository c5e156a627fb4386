"""Food prices end to end: an enumerator on a 360 px phone enters Pasar Genteng's prices for today (Indonesian
number formats, a jump in cabai rawit), the TPID member checks and publishes the sheet, an alert goes out to the
TPID, and the public page shows the trend (a chart drawn from the table beside it)."""

from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 800}


def test_prices_from_the_market_to_the_public_page(live_server, browser, demo_loaded):
    from gerai.notifications.models import OutboxMessage
    from gerai.prices.models import Alert, PriceSheet
    from gerai.prices.services import last_prices, region_today

    base = f"{live_server.url}/banyuwangi"
    ARTIFACTS.mkdir(exist_ok=True)
    market = PriceSheet.objects.filter(region__slug="banyuwangi", market__code="pasar-genteng").first().market
    today = region_today(market.region)
    cabai = market.region.commodities.get(code="cabai-rawit-merah")
    jump = round(last_prices(market, today)[cabai.pk] * 1.6, -2)  # a Kritis rise, not a tenfold slip
    alerts_before = Alert.objects.filter(region=market.region, level="kritis").count()

    # the enumerator, on a phone at the market
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server.url, "enumerator@banyuwangi.demo")
    phone.goto(f"{base}/kantor/harga/")
    phone.get_by_role("link", name="Pasar Genteng").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.fill("#h_beras-medium", "12.900")
    phone.fill("#h_cabai-rawit-merah", f"{jump:,.0f}".replace(",", "."))
    phone.fill("#h_bawang-merah", "34,5")  # said in thousands: Rp34.500
    phone.fill("#h_telur-ayam-ras", "dua tujuh")
    phone.get_by_role("button", name="Kirim untuk diperiksa").click()
    assert phone.locator("#err_telur-ayam-ras").is_visible()  # refused at its row, as typed
    assert phone.input_value("#h_telur-ayam-ras") == "dua tujuh"
    assert axe_violations(phone) == ""
    phone.fill("#h_telur-ayam-ras", "27.500")
    phone.get_by_role("button", name="Kirim untuk diperiksa").click()
    assert "Terkirim" in phone.locator(".messages").inner_text()
    phone.screenshot(path=str(ARTIFACTS / "60-prices-sent-360.png"), full_page=True)
    sheet = PriceSheet.objects.get(market=market, day=today)
    prices = {e.commodity.code: e.price for e in sheet.entries.select_related("commodity")}
    assert prices["bawang-merah"] == 34_500 and prices["beras-medium"] == 12_900
    assert sheet.status == "submitted"

    # the TPID member checks and publishes
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, live_server.url, "tpid@banyuwangi.demo")
    desk.goto(f"{base}/kantor/harga/")
    assert axe_violations(desk) == ""
    desk.locator("main table").get_by_role("link", name="Pasar Genteng").click()
    assert axe_violations(desk) == ""
    desk.get_by_role("button", name="Sudah diperiksa: terbitkan").click()
    assert "Terbit." in desk.locator(".messages").inner_text()
    assert Alert.objects.filter(region=market.region, level="kritis").count() == alerts_before + 1
    alert = (
        OutboxMessage.objects.filter(user__login="tpid@banyuwangi.demo", event="price_alert").order_by("-pk").first()
    )
    assert alert is not None and "Cabai rawit merah" in alert.body and "Pasar Genteng" in alert.body

    # the public page shows the trend, as a chart and as the table beside it
    public = browser.new_context(viewport=PHONE).new_page()
    public.goto(f"{base}/harga/")
    assert public.get_by_role("heading", name="Peringatan dini").is_visible()
    assert public.locator("li.price-level--kritis").filter(has_text="Pasar Genteng").count() >= 1
    public.get_by_role("link", name="Cabai rawit merah").first.click()
    public.wait_for_selector("figure.chart canvas")
    assert public.locator("table[data-chart=line] tbody tr").count() >= 6
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    public.screenshot(path=str(ARTIFACTS / "61-prices-public-360.png"), full_page=True)
    assert axe_violations(public) == ""

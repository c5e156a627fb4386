"""Food prices for the regional inflation team (TPID)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricesConfig(AppConfig):
    name = "gerai.prices"
    label = "prices"

    def ready(self) -> None:
        from gerai.core import jobs, opendata
        from gerai.prices.tables import open_weekly_prices
        from gerai.prices.tasks import weekly_summaries

        jobs.every_minute(weekly_summaries.enqueue)  # sends once a week per region, on Monday morning
        opendata.register(
            "harga-pangan-mingguan",
            open_weekly_prices,
            _("Weekly mean price of staple foods across the region's markets, with the lowest and highest market."),
            ["harga", "pangan", "inflasi", "TPID"],
        )

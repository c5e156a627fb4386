"""Destinations and the event calendar."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "gerai.tourism"
    label = "tourism"

    def ready(self) -> None:
        from gerai.core import opendata
        from gerai.tourism.opendata import agenda

        opendata.register(
            "agenda-wisata",
            agenda,
            _("The published events of the region's calendar: dates in the region's zone, venue, organiser, price."),
            ["pariwisata", "agenda", "festival"],
        )

from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "gerai.innovation"
    label = "innovation"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from gerai.core import opendata
        from gerai.innovation.opendata import dataset_innovations

        opendata.register(
            "inovasi",
            dataset_innovations,
            _("The region's published innovations in the shape of the Regional Innovation Index, with cost estimates."),
            ["inovasi", "IID", "inovasi daerah"],
        )

"""Governance indices: SPBE/Pemdi, SAKIP and performance indicators."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "gerai.governance"
    label = "governance"

    def ready(self) -> None:
        from gerai.core import opendata
        from gerai.governance.selectors import dataset_indices

        opendata.register(
            "indeks-kinerja-pemerintahan",
            dataset_indices,
            _("SPBE/Pemdi, SAKIP and IID per year: the region's locked self-assessments and the official results."),
            ["spbe", "sakip", "kinerja"],
        )

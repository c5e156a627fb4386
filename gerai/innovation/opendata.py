"""The region's published innovation library as an open dataset (gerai.core.opendata; registered in apps.py)."""

from django.utils.translation import gettext as _

from gerai.innovation.selectors import innovations_public
from gerai.lib.tables import Column, Table


def dataset_innovations(region) -> Table | None:
    rows = list(innovations_public(region))
    if not rows:
        return None
    return Table(
        "inovasi",
        _("Innovation library"),
        [
            Column("code", _("Identifier"), "kode", "text"),
            Column("name", _("Innovation"), "inovasi", "text"),
            Column("form", _("Form"), "bentuk", "text"),
            Column("affair", _("Regional affair"), "urusan", "text"),
            Column("digital", _("Digital"), "digital", "text"),
            Column("stage", _("Stage"), "tahapan", "text"),
            Column("started", _("Start date"), "tanggal_mulai", "text"),
            Column("capex", _("One-off cost, estimate (rupiah)"), "perkiraan_biaya_awal_rupiah"),
            Column("opex", _("Yearly cost, estimate (rupiah)"), "perkiraan_biaya_tahunan_rupiah"),
            Column("source", _("Source of the estimate"), "sumber_perkiraan", "text"),
            Column("adoptions", _("Regions that adopted it"), "jumlah_adopsi"),
        ],
        [
            {
                "code": i.code,
                "name": i.name,
                "form": i.form,
                "affair": i.affair,
                "digital": "ya" if i.is_digital else "tidak",
                "stage": i.stage,
                "started": i.started_on.isoformat() if i.started_on else "",
                "capex": i.capex_rupiah,
                "opex": i.opex_rupiah,
                "source": i.cost_source,
                "adoptions": i.adoption_count,
            }
            for i in rows
        ],
    )

"""The published agenda and destinations as open datasets of the region (gerai.core.opendata): public facts only."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.lib.tables import Column, Table
from gerai.tourism import selectors


def agenda(region) -> Table | None:
    if not region.has_module(selectors.MODULE):
        return None
    events = list(selectors.events_public(region).order_by("starts_at", "pk"))
    if not events:
        return None
    zone = region.zone
    columns = [
        Column("title", _("Title"), "judul", kind="text"),
        Column("category", _("Category"), "kategori", kind="text"),
        Column("starts", _("Starts"), "mulai", kind="text"),
        Column("ends", _("Ends"), "selesai", kind="text"),
        Column("yearly", _("Every year"), "tahunan", kind="text"),
        Column("venue", _("Where"), "tempat", kind="text"),
        Column("organiser", _("Organiser"), "penyelenggara", kind="text"),
        Column("price", _("Price"), "harga_rp", kind="int"),
    ]
    rows = [
        {
            "title": e.title,
            "category": e.category,
            "starts": timezone.localtime(e.starts_at, zone).isoformat(),
            "ends": timezone.localtime(e.ends_at, zone).isoformat(),
            "yearly": "ya" if e.is_yearly else "tidak",
            "venue": e.place_name,
            "organiser": e.organiser,
            "price": e.price,
        }
        for e in events
    ]
    return Table("agenda-wisata", _("Tourism and events"), columns, rows)

"""Rupiah: whole integers only, never float."""

from django.utils.translation import gettext as _


def format_rupiah(amount: int) -> str:
    if amount == 0:
        return _("Free")
    grouped = f"{amount:,}".replace(",", ".")
    return f"Rp{grouped}"

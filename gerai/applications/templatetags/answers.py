"""How an application's answers read on its pages: choices by their labels, dates in words, a desa by its
name, and the NIK masked (in full only for the officers who verify it and the citizen checking their own)."""

import datetime as dt

from django import template

from gerai.core.templatetags.gerai import date_in_words
from gerai.lib.nik import mask
from gerai.regions.models import Area

register = template.Library()


@register.filter
def answer_display(value, field):
    """An answer as the citizen chose it: the label of a choice, not its code."""
    if value in (None, "", []):
        return "–"
    labels = dict((str(v), label) for v, label in (field.choices or []))
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if field.kind == "nik":
        return mask(str(value))
    if field.kind == "date":
        try:
            return date_in_words(dt.date.fromisoformat(str(value)))
        except ValueError:
            return value
    if field.kind == "desa":
        area = Area.objects.filter(code=value).first()
        return area.name if area else value
    return labels.get(str(value), value)


@register.filter
def answer_full(value, field):
    """As answer_display, but the NIK in full: for the officers who must verify it, and for the citizen checking
    their own answers before sending (never in lists, which mask it)."""
    if field.kind == "nik" and value:
        return value
    return answer_display(value, field)

from urllib.parse import urlencode

from django import forms, template
from django.utils import timezone
from django.utils.dates import MONTHS

register = template.Library()


@register.filter
def widget_kind(widget) -> str:
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def describe(bound_field):
    """Render the widget with aria-describedby pointing at its hint and error."""
    ids = []
    if bound_field.help_text:
        ids.append(f"hint-{bound_field.html_name}")
    if bound_field.errors:
        ids.append(f"err-{bound_field.html_name}")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


def _day(moment) -> str:
    """date_format(moment, "j F Y"), month in the active language, without parsing the format each time."""
    return f"{moment.day} {MONTHS[moment.month]} {moment.year:04d}"


@register.filter
def local(value, region):
    """A datetime in the region's own time zone, with the zone's abbreviation (WIB/WITA/WIT): 5 Januari
    2026, 14.30 WIB."""
    if value is None:
        return "–"
    moment = timezone.localtime(value, region.zone)
    return f"{_day(moment)}, {moment.hour:02d}.{moment.minute:02d} {region.zone_abbreviation}"


@register.filter
def local_date(value, region):
    if value is None:
        return "–"
    return _day(timezone.localtime(value, region.zone))


@register.filter
def answer_display(value, field):
    """An answer as the citizen chose it: the label of a choice, not its code."""
    if value in (None, "", []):
        return "–"
    labels = dict((str(v), label) for v, label in (field.choices or []))
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if field.kind == "nik":
        from gerai.lib.nik import mask

        return mask(str(value))
    if field.kind == "date":
        import datetime as dt

        try:
            return _day(dt.date.fromisoformat(str(value)))
        except ValueError:
            return value
    if field.kind == "desa":
        from gerai.regions.models import Area

        area = Area.objects.filter(code=value).first()
        return area.name if area else value
    return labels.get(str(value), value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def answer_full(value, field):
    """As answer_display, but the NIK in full: for the officers who must verify it, and for the citizen checking
    their own answers before sending (never in lists, which mask it)."""
    if field.kind == "nik" and value:
        return value
    return answer_display(value, field)


@register.filter
def urlencode_dict(params: dict) -> str:
    """Query parameters for a link, from a dict (the dashboards' drill-down and downloads)."""
    return urlencode(params)

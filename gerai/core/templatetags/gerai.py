from urllib.parse import urlencode

from django import forms, template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from gerai.lib import languages

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


def date_in_words(moment) -> str:
    """date_format(moment, "j F Y"), month in the active language, without parsing the format each time."""
    return f"{moment.day} {MONTHS[moment.month]} {moment.year:04d}"


@register.filter
def local(value, region):
    """A datetime in the region's own time zone, with the zone's abbreviation (WIB/WITA/WIT): 5 Januari
    2026, 14.30 WIB."""
    if value is None:
        return "–"
    moment = timezone.localtime(value, region.zone)
    return f"{date_in_words(moment)}, {moment.hour:02d}.{moment.minute:02d} {region.zone_abbreviation}"


@register.filter
def local_date(value, region):
    if value is None:
        return "–"
    return date_in_words(timezone.localtime(value, region.zone))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def urlencode_dict(params: dict) -> str:
    """Query parameters for a link, from a dict (the dashboards' drill-down and downloads)."""
    return urlencode(params)


PLATFORM_NAME = "Gerai"


@register.filter
def page_title(page, region) -> SafeString:
    """The <title> of every page, "Page – Region – Gerai": the page's own name (its `title` block, which names
    neither the region nor the platform), then the region's and the platform's, each once. A page without a name
    of its own is "Region – Gerai" (or "Gerai")."""
    parts = [" ".join(conditional_escape(page).split())]
    if region:  # "" in a template without a region
        parts.append(conditional_escape(region.name))
    parts.append(PLATFORM_NAME)
    return mark_safe(" – ".join(part for part in parts if part))  # each part escaped above


@register.filter
def lang_attr(language) -> SafeString:
    """` lang="id"` when a passage's language is not the page's, else nothing (WCAG 3.1.2, language of parts):
    `<p{{ text_lang|lang_attr }}>` marks Indonesian content that an English page shows untranslated."""
    return languages.lang_attr(language)


@register.filter
def in_id(text) -> SafeString:
    """Indonesian text (a commodity's name, say) inside a translated sentence: `{% blocktranslate with
    name=c.name|in_id %}`. On an English page it is `<span lang="id">…</span>`; on an Indonesian page only the
    escaped text."""
    attr = languages.lang_attr("id")
    return format_html("<span{}>{}</span>", attr, text) if attr else conditional_escape(text)

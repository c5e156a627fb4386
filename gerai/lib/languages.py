"""Language of parts (WCAG 2.2, 3.1.2): the one rule for marking a passage whose language is not the page's.
The template filter `lang_attr` (gerai.core.templatetags.gerai) and the tables built in Python (gerai.lib.tables)
both use it."""

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def lang_attr(language) -> SafeString:
    """` lang="id"` when a passage's language is not the active page language, else nothing."""
    page = (translation.get_language() or "id").split("-")[0]
    if not language or language == page:
        return mark_safe("")
    return format_html(' lang="{}"', language)

"""`{% load content_lang %}<td{% lang_id %}>{{ innovation.name }}</td>`: content people entered in Indonesian only
(names, descriptions, sources) keeps lang="id" on its element when the page is in another language, so that a
screen reader pronounces it as Indonesian (WCAG 2.2, 3.1.2 Language of Parts). On Indonesian pages it adds nothing."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def lang_id() -> str:
    language = (get_language() or "id").split("-")[0]
    return "" if language == "id" else mark_safe(' lang="id"')

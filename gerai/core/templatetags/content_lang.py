"""`{% load content_lang %}<td{% lang_id %}>{{ innovation.name }}</td>`: content people entered in Indonesian only
(names, descriptions, sources) keeps lang="id" on its element when the page is in another language, so that a
screen reader pronounces it as Indonesian (WCAG 2.2, 3.1.2 Language of Parts). On Indonesian pages it adds nothing."""

from django import template

from gerai.core.templatetags.gerai import lang_attr

register = template.Library()


@register.simple_tag
def lang_id() -> str:
    return lang_attr("id")  # the one rule, gerai.core.templatetags.gerai

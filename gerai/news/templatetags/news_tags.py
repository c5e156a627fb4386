"""The news portal's template tags: a sized, lazy lead image, and the region home page's latest news block
(loaded by the catalog's region home template, which names no Python of this app)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from gerai.news import selectors
from gerai.news.models import Article

register = template.Library()


@register.simple_tag
def news_image(article: Article, region, sizes: str = "100vw", width: int = 640, lazy: bool = True):
    """<img> with srcset over the stored widths, width and height set (no layout shift), lazy by default."""
    if not article.image_key:
        return ""
    widths = article.image_widths
    src_width = min((w for w in widths if w >= width), default=widths[-1])

    def url(w: int) -> str:
        return reverse("news:image", args=[region.slug, article.image_key, w])

    srcset = format_html_join(", ", "{} {}w", ((url(w), w) for w in widths))
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}>',
        url(src_width),
        srcset,
        sizes,
        src_width,
        article.image_height(src_width),
        article.image_alt,
        mark_safe(' loading="lazy" decoding="async"') if lazy else "",
    )


@register.filter
def news_image_height(article: Article) -> int:
    """The height of the largest rendition (for og:image:height)."""
    return article.image_height(article.image_widths[-1]) if article.image_widths else 0


@register.inclusion_tag("news/latest_block.html", takes_context=True)
def latest_news(context, region, n: int = 3):
    request = context.get("request")
    return {
        "region": region,
        "articles": selectors.articles_latest(region, n) if region.has_module("berita") else [],
        "english": getattr(request, "LANGUAGE_CODE", "id") == "en",
    }

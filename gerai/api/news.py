"""The news portal's public reads in the JSON API: a region's published articles and one article, as the
portal's pages show them (no drafts, no commenters, no email)."""

from datetime import datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, P, Router, Schema
from ninja.params import QueryEx

from gerai.api.api import answers
from gerai.news import selectors
from gerai.news.models import Article
from gerai.regions.models import Region
from gerai.regions.selectors import region_get_by_slug

router = Router(tags=["news"])


class ImageOut(Schema):
    alt: str
    renditions: dict[str, str] = Field(description="Width in pixels → address of the JPEG.")


class ArticleSummaryOut(Schema):
    slug: str
    url: str
    title: str
    summary: str
    title_en: str
    summary_en: str
    category: str
    published_at: datetime
    image: ImageOut | None


class ArticleOut(ArticleSummaryOut):
    body_html: str = Field(description="Sanitised HTML (an allow-list), Indonesian.")
    body_en_html: str = Field(description="Sanitised HTML in English, or empty.")
    tags: list[str]
    reactions: dict[str, int]


def _region(slug: str) -> Region:
    region = region_get_by_slug(slug)
    if not region.has_module(Region.Module.NEWS):
        raise Http404
    return region


def _summary(request, region: Region, a: Article) -> dict:
    image = None
    if a.image_key:
        renditions = {
            str(w): request.build_absolute_uri(reverse("news:image", args=[region.slug, a.image_key, w]))
            for w in a.image_widths
        }
        image = {"alt": a.image_alt, "renditions": renditions}
    return {
        "slug": a.slug,
        "url": request.build_absolute_uri(reverse("news:detail", args=[region.slug, a.slug])),
        "title": a.title,
        "summary": a.summary,
        "title_en": a.title_en,
        "summary_en": a.summary_en,
        "category": a.category.slug,
        "published_at": a.publish_at,
        "image": image,
    }


@router.get("/regions/{region}/news", response=answers({200: list[ArticleSummaryOut]}, 404, 422))
def list_news(
    request,
    region: str,
    category: QueryEx[str, P(max_length=60)] = "",
    offset: QueryEx[int, P(ge=0, le=100_000)] = 0,
):
    """The latest 20 published articles from `offset`, optionally of one category (its slug)."""
    region_obj = _region(region)
    articles = selectors.articles_public(region_obj).defer("body", "body_en")
    if category:
        articles = articles.filter(category__slug=category)
    return [_summary(request, region_obj, a) for a in articles[offset : offset + 20]]


@router.get("/regions/{region}/news/{slug}", response=answers({200: ArticleOut}, 404))
def get_news(request, region: str, slug: str):
    region_obj = _region(region)
    article = selectors.article_public_get(region_obj, slug)
    return {
        **_summary(request, region_obj, article),
        "body_html": article.body,
        "body_en_html": article.body_en,
        "tags": [t.name for t in article.tags.all()],
        "reactions": {r["kind"]: r["count"] for r in selectors.reactions_of(article)},
    }

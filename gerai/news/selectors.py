"""Reads of a region's news. The public sees published articles and approved comments; the office (content
editors and region admins, gerai/news/policy.py) sees everything of its region. A missing article and one the
reader may not see give the same 404."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from gerai.news import policy
from gerai.news.models import Article, Category, Comment, Reaction, ReactionCount, Tag


def categories_of(region):
    return Category.objects.filter(region=region)


def category_get(region, slug: str) -> Category:
    category = categories_of(region).filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def tag_get(region, slug: str) -> Tag:
    tag = Tag.objects.filter(region=region, slug=slug).first()
    if tag is None:
        raise Http404
    return tag


def articles_public(region):
    return (
        Article.objects.filter(policy.public_q(), region=region)
        .select_related("category")
        .order_by("-publish_at", "-pk")
    )


def articles_latest(region, n: int = 3) -> list[Article]:
    return list(articles_public(region).defer("body", "body_en")[:n])


def article_public_get(region, slug: str) -> Article:
    article = (
        articles_public(region)
        .filter(slug=slug)
        .select_related("author", "region")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .first()
    )
    if article is None:
        raise Http404
    return article


def articles_related(article: Article, n: int = 3) -> list[Article]:
    """Other published articles of the region that share the most tags with this one, then its category, then
    the newest (as django-taggit's similar_objects ranks by shared tags)."""
    tag_ids = [t.pk for t in article.tags.all()]
    return list(
        articles_public(article.region)
        .exclude(pk=article.pk)
        .filter(Q(tags__in=tag_ids) | Q(category_id=article.category_id))
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .defer("body", "body_en")
        .order_by("-shared", "-publish_at", "-pk")
        .distinct()[:n]
    )


def comments_public(article: Article) -> list[Comment]:
    return list(article.comments.filter(policy.comment_visible_q()).order_by("created_at", "pk").only(
        "name", "text", "created_at", "code", "article_id"
    ))  # fmt: skip


def reactions_of(article: Article) -> list[dict]:
    counts = dict(ReactionCount.objects.filter(article=article).values_list("kind", "count"))
    return [{"kind": kind, "label": label, "count": counts.get(kind, 0)} for kind, label in Reaction.choices]


def article_image_get(region, key: str, user) -> Article:
    """The article whose lead image this is, if the reader may see it (an editor sees drafts' images)."""
    article = Article.objects.filter(region=region, image_key=key).first()
    if article is None or not (policy.is_public(article) or policy.may_edit(user, region)):
        raise Http404
    return article


# --- the office ---------------------------------------------------------------------------------------------


def _office_only(region, user) -> None:
    if not policy.may_edit(user, region):
        raise Http404


def articles_office(region, user, status: str = ""):
    _office_only(region, user)
    articles = Article.objects.filter(region=region).select_related("category", "author").defer("body", "body_en")
    if status in Article.Status.values:
        articles = articles.filter(status=status)
    return articles.order_by("-updated_at", "-pk")


def article_office_get(region, user, code: str) -> Article:
    _office_only(region, user)
    article = Article.objects.filter(region=region, code=code).select_related("category", "author", "editor").first()
    if article is None:
        raise Http404
    return article


def comments_to_moderate(region, user, status: str = Comment.Status.PENDING):
    """The region's comments in one queue (one place for every article, not a page per article), oldest first.
    No count of the commenter's earlier approved comments: the address is unconfirmed, so such a count would let
    anyone who types another person's address borrow their good name with the moderator."""
    _office_only(region, user)
    return list(
        Comment.objects.filter(article__region=region, status=status)
        .select_related("article")
        .order_by("created_at", "pk")[:200]
    )


def comment_office_get(region, user, code: str) -> Comment:
    _office_only(region, user)
    comment = Comment.objects.filter(article__region=region, code=code).select_related("article__region").first()
    if comment is None:
        raise Http404
    return comment


def pending_count(region) -> int:
    return Comment.objects.filter(article__region=region, status=Comment.Status.PENDING).count()

"""The news portal's pages: public (list, article, feed, sitemap, images) and the office's (articles, their
workflow, comment moderation). Thin: a form, one service or selector, a redirect."""

from functools import wraps

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.policy import Access
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.core.pagetopics import NEWS
from gerai.news import selectors, services
from gerai.news.forms import ArticleForm, CategoryForm, CommentForm, ScheduleForm
from gerai.news.models import Article, Comment
from gerai.regions.models import Region

MODULE = Region.Module.NEWS
REACTED_COOKIE = "gerai_reacted"
REACTED_MAX_AGE = 365 * 24 * 3600
IMAGE_MAX_AGE = 24 * 3600  # how long a taken-down image may linger in a cache


def _module_on(request) -> None:
    if not request.region.has_module(MODULE):
        raise Http404


def news_view(view):
    """A public page of a region that has switched the news module on (else 404)."""

    @wraps(view)
    @region_view
    def wrapper(request, *args, **kwargs):
        _module_on(request)
        return view(request, *args, **kwargs)

    return wrapper


def office_view(view):
    """An office page of the news: content editors and region admins of a region with the module on."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        _module_on(request)
        return view(request, *args, **kwargs)

    return staff_view(access=Access.CONTENT)(inner)


def in_language(article: Article, language: str) -> dict:
    """The article's text in the reader's language: English when asked for and written, else Indonesian, with
    `fallback` set when an English reader gets Indonesian."""
    english = language == "en" and article.has_english
    return {
        "title": article.title_en if english else article.title,
        "summary": (article.summary_en or article.summary) if english else article.summary,
        "body": article.body_en if english else article.body,
        "lang": "en" if english else "id",
        "summary_lang": "en" if english and article.summary_en else "id",
        "fallback": language == "en" and not english,
    }


class NewsFeed(Atom1Feed):
    """Atom with each article's sanitised text as its <content type="html">, beside the summary."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- public -------------------------------------------------------------------------------------------------


@news_view
@pagecache.public_page("news", topics=(NEWS,))
def article_list(request):
    articles = selectors.articles_public(request.region)
    category = tag = None
    if slug := request.GET.get("kategori", "").strip()[:60]:
        category = selectors.category_get(request.region, slug)
        articles = articles.filter(category=category)
    if slug := request.GET.get("tag", "").strip()[:60]:
        tag = selectors.tag_get(request.region, slug)
        articles = articles.filter(tags=tag)
    page = Paginator(articles.defer("body", "body_en"), 12).get_page(request.GET.get("halaman"))
    return render(
        request,
        "news/list.html",
        {
            "page": page,
            "categories": selectors.categories_of(request.region),
            "category": category,
            "tag": tag,
            "english": request.LANGUAGE_CODE == "en",
        },
    )


def _reacted(request, article: Article) -> str | None:
    return request.get_signed_cookie(REACTED_COOKIE, default=None, salt=f"gerai.news.reaction:{article.code}")


@news_view
def article_detail(request, slug: str):
    article = selectors.article_public_get(request.region, slug)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: answered as if it worked, and nothing is kept
            messages.success(request, _("Thank you. Your comment waits for a moderator."))
            return redirect(reverse("news:detail", args=[request.region.slug, article.slug]) + "#komentar")
        if form.is_valid():
            try:
                services.comment_post(
                    actor=actor_from_request(request),
                    article=article,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    text=form.cleaned_data["text"],
                )
            except services.NewsError as exc:
                refused(request, exc, form)
                status = exc.status if exc.code == "too_many" else 422
            else:  # one message whatever happened, as for the honeypot: a page must not tell who commented
                messages.success(request, _("Thank you. Your comment waits for a moderator."))
                return redirect(reverse("news:detail", args=[request.region.slug, article.slug]) + "#komentar")
        else:
            status = 422
    response = render(
        request,
        "news/detail.html",
        {
            "article": article,
            "text": in_language(article, request.LANGUAGE_CODE),
            "related": selectors.articles_related(article),
            "comments": selectors.comments_public(article),
            "reactions": selectors.reactions_of(article),
            "reacted": _reacted(request, article),
            "form": form,
            "url": _absolute(request, request.path),
            "image_url": _absolute(request, _image_url(request.region, article, article.image_widths[-1]))
            if article.image_key
            else "",
        },
        status=status,
    )
    if request.method == "POST":
        response["Cache-Control"] = "private, no-store"  # what the commenter typed, their address included
    return response


@require_POST
@news_view
def article_react(request, slug: str):
    """One reaction per visitor and article, without an account and without storing who: the visitor's browser
    keeps a signed cookie (scoped to the article's address) that says they reacted; the database keeps only a
    counter per kind. A visitor who deletes their cookies can react again, bounded by a per-address limit."""
    article = selectors.article_public_get(request.region, slug)
    here = reverse("news:detail", args=[request.region.slug, article.slug])
    if _reacted(request, article):
        messages.info(request, _("You have already reacted to this article."))
        return redirect(here + "#reaksi")
    kind = request.POST.get("reaction", "")
    try:
        services.reaction_add(actor=actor_from_request(request), article=article, kind=kind)
    except services.NewsError as exc:
        refused(request, exc)
        return redirect(here + "#reaksi")
    messages.success(request, _("Thank you for your reaction."))
    response = redirect(here + "#reaksi")
    response.set_signed_cookie(
        REACTED_COOKIE,
        kind,
        salt=f"gerai.news.reaction:{article.code}",
        max_age=REACTED_MAX_AGE,
        path=here,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _image_url(region, article: Article, width: int) -> str:
    return reverse("news:image", args=[region.slug, article.image_key, width])


@news_view
def article_image(request, key: str, width: int):
    article = selectors.article_image_get(request.region, key, request.user)
    if width not in article.image_widths:
        raise Http404
    path = services.image_path(request.region, key, width)
    if not default_storage.exists(path):
        raise Http404
    public = article.status == Article.Status.PUBLISHED
    # A new image gets a new key, so the bytes under an address never change: the key and width are a strong
    # validator. But an address stops being public when the article is unpublished, and a cached copy cannot be
    # recalled, so shared caches keep it one day (IMAGE_MAX_AGE), not a year: a takedown reaches every cache
    # within a day, and after that a revalidation costs a 304, not the image.
    etag = f'"{key}-{width}"'
    response: HttpResponse | FileResponse
    if public and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(default_storage.open(path, "rb"), content_type="image/jpeg")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}" if public else "private, no-store"
    return response


@news_view
def feed(request):
    """Atom (RFC 4287) of the region's latest 20 articles: no commenter and no email in it. The language comes
    from the address only: `?lang=en` is the English feed (articles without English stay Indonesian), anything
    else Indonesian. Never from the language cookie: the feed is cached publicly, and a shared cache keyed on the
    address alone would hand one reader's language to the next."""
    region = request.region
    language = "en" if request.GET.get("lang") == "en" else "id"
    english = language == "en"
    home = _absolute(request, reverse("news:list", args=[region.slug]))
    with translation.override(language):
        title = _("News of %(region)s") % {"region": region.name}
    atom = NewsFeed(
        title=title,
        link=home,
        description=region.tagline,
        language="en" if english else "id",
        feed_url=_absolute(request, request.path),
        feed_guid=home,
        author_name=region.name,
    )
    for article in selectors.articles_public(region).prefetch_related("tags")[:20]:
        text = in_language(article, language)
        link = _absolute(request, reverse("news:detail", args=[region.slug, article.slug]))
        atom.add_item(
            title=text["title"],
            link=link,
            description=text["summary"],
            content=text["body"],
            unique_id=f"tag:{request.get_host().split(':')[0]},{article.created_at:%Y-%m-%d}:news/{article.code}",
            pubdate=article.publish_at,
            updateddate=max(article.updated_at, article.publish_at or article.updated_at),
            categories=[article.category.name, *(t.name for t in article.tags.all())],
            author_name=region.name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@news_view
def sitemap(request):
    articles = (
        selectors.articles_public(request.region).select_related(None).only("slug", "updated_at", "publish_at")[:45000]
    )
    response = render(
        request,
        "news/sitemap.xml",
        {
            "home": _absolute(request, reverse("news:list", args=[request.region.slug])),
            "urls": [
                (
                    _absolute(request, reverse("news:detail", args=[request.region.slug, a.slug])),
                    max(a.updated_at, a.publish_at or a.updated_at),
                )
                for a in articles
            ],
        },
        content_type="application/xml; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def sitemap_index(request):
    """The platform's /sitemap.xml: an index of every active region's news sitemap."""
    regions = [r for r in Region.objects.filter(is_active=True).order_by("slug") if r.has_module(MODULE)]
    maps = [_absolute(request, reverse("news:sitemap", args=[r.slug])) for r in regions]
    response = render(request, "news/sitemap_index.xml", {"maps": maps}, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- the office ---------------------------------------------------------------------------------------------


@office_view
def office_list(request):
    """The region's articles in every state, and its categories (a region that switches the module on starts
    with none: an article needs one)."""
    status = request.GET.get("status", "")
    articles = selectors.articles_office(request.region, request.user, status)
    category_form = CategoryForm(request.POST or None)
    if request.method == "POST" and category_form.is_valid():
        try:
            services.category_create(
                actor=actor_from_request(request),
                region=request.region,
                name=category_form.cleaned_data["name"],
                name_en=category_form.cleaned_data["name_en"],
            )
        except services.NewsError as exc:
            refused(request, exc, category_form)
        else:
            messages.success(request, _("The category is added."))
            return redirect("news:office_list", request.region.slug)
    return render(
        request,
        "news/office_list.html",
        {
            "articles": articles[:200],
            "status": status,
            "statuses": Article.Status.choices,
            "pending": selectors.pending_count(request.region),
            "categories": selectors.categories_of(request.region),
            "category_form": category_form,
        },
        status=422 if category_form.errors else 200,
    )


@office_view
def office_new(request):
    form = ArticleForm(request.POST or None, request.FILES or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                actor=actor_from_request(request),
                region=request.region,
                data=form.cleaned_data,
                image=form.cleaned_data.get("image"),
            )
        except services.NewsError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("news:office_edit", request.region.slug, article.code)
    return render(request, "news/office_edit.html", {"form": form, "article": None}, status=422 if form.errors else 200)


def _workflow(request, article: Article) -> None:
    actor, what = actor_from_request(request), request.POST.get("what", "")
    if what == "submit":
        services.article_submit(actor=actor, article=article)
        messages.success(request, _("The article waits for review."))
    elif what == "publish":
        services.article_publish(actor=actor, article=article)
        messages.success(request, _("The article is published."))
    elif what == "unpublish":
        services.article_unpublish(actor=actor, article=article)
        messages.success(request, _("The article is taken down and is a draft again."))


@office_view
def office_edit(request, code: str):
    article = selectors.article_office_get(request.region, request.user, code)
    here = reverse("news:office_edit", args=[request.region.slug, article.code])
    what = request.POST.get("what", "save") if request.method == "POST" else ""
    form = ArticleForm(
        request.POST if what == "save" else None,
        request.FILES if what == "save" else None,
        region=request.region,
        initial=ArticleForm.initial_for(article),
    )
    schedule = ScheduleForm(request.POST if what == "schedule" else None, region=request.region)
    if what in ("submit", "publish", "unpublish"):
        try:
            _workflow(request, article)
        except services.NewsError as exc:
            refused(request, exc)
        return redirect(here)
    if what == "schedule" and schedule.is_valid():
        try:
            services.article_publish(
                actor=actor_from_request(request), article=article, at=schedule.cleaned_data["publish_at"]
            )
        except services.NewsError as exc:
            refused(request, exc, schedule)
        else:
            messages.success(request, _("The article is scheduled."))
            return redirect(here)
    if what == "save" and form.is_valid():
        try:
            services.article_update(
                actor=actor_from_request(request),
                article=article,
                data=form.cleaned_data,
                image=form.cleaned_data.get("image"),
                version=int(request.POST.get("version") or 0) or None,
            )
        except services.NewsError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(here)
    return render(
        request,
        "news/office_edit.html",
        {
            "form": form,
            "schedule": schedule,
            "article": article,
            "public_url": reverse("news:detail", args=[request.region.slug, article.slug])
            if article.status == Article.Status.PUBLISHED
            else "",
            "image_url": bool(article.image_key),
        },
        status=422 if (form.errors or schedule.errors) else 200,
    )


@office_view
def office_preview(request, code: str):
    """The article as readers will see it, in any state, without the reaction and comment forms."""
    article = selectors.article_office_get(request.region, request.user, code)
    response = render(
        request,
        "news/detail.html",
        {
            "article": article,
            "text": in_language(article, request.LANGUAGE_CODE),
            "related": selectors.articles_related(article),
            "preview": True,
            "url": _absolute(request, reverse("news:detail", args=[request.region.slug, article.slug])),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@office_view
def office_comments(request):
    status = request.GET.get("status", Comment.Status.PENDING)
    if status not in Comment.Status.values:
        status = Comment.Status.PENDING
    if request.method == "POST":
        comment = selectors.comment_office_get(request.region, request.user, request.POST.get("comment", ""))
        decision = {"approve": Comment.Status.APPROVED, "reject": Comment.Status.REJECTED, "spam": Comment.Status.SPAM}
        try:
            services.comment_moderate(
                actor=actor_from_request(request),
                comment=comment,
                status=decision.get(request.POST.get("what", ""), ""),
            )
        except services.NewsError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The comment is moderated."))
        return redirect(reverse("news:office_comments", args=[request.region.slug]) + f"?status={status}")
    return render(
        request,
        "news/office_comments.html",
        {
            "comments": selectors.comments_to_moderate(request.region, request.user, status),
            "status": status,
            "statuses": Comment.Status.choices,
        },
    )

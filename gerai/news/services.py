"""The writes of a region's news (docs/news.md): articles and their editorial workflow, the lead image,
reactions and moderated comments. Every write that a person makes runs in one transaction with an audit entry;
a reaction is the one exception (it stores a counter and nothing about who reacted, and an audit entry would
store the visitor's address)."""

import datetime as dt
import re
import secrets

import nh3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.core.throttle import throttle_allow
from gerai.lib.files import FileRejected, image_renditions, rejection_message, sniff
from gerai.news import policy
from gerai.news.models import Article, Category, Comment, Reaction, ReactionCount, Tag

# --- the body: an allow-list, applied by nh3 (ammonia), never by hand ----------------------------------------

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "q", "cite",
    "ul", "ol", "li", "a", "abbr", "code", "pre", "hr", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "td": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: addresses an article may not take: the portal's own pages live beside the articles
RESERVED_SLUGS = {"feed", "sitemap-xml", "gambar", "kategori", "tag"}

IMAGE_WIDTHS = (320, 640, 1200)  # a phone, a tablet or a wide column, and the size link previews ask for
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
IMAGE_TYPES = ["jpg", "png"]


def html_sanitise(html: str) -> str:
    """The article body as it is stored and shown: only the tags, attributes and URL schemes above; scripts,
    styles and event handlers are removed with their content; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


class NewsError(DomainError):
    status = 422
    statuses = {"forbidden": 403, "stale": 409, "too_many": 429}


def _require_editor(actor: Actor, region) -> None:
    if not policy.actor_may_publish(actor, region):
        raise NewsError("forbidden", _("You may not change this region's news."))


# --- categories and tags --------------------------------------------------------------------------------------


def category_create(*, actor: Actor, region, name: str, name_en: str = "", slug: str = "") -> Category:
    _require_editor(actor, region)
    slug = slugify(slug or name)[:60]
    if not slug:
        raise NewsError("invalid_name", _("Enter a name."), field="name")
    if Category.objects.filter(region=region, slug=slug).exists():
        raise NewsError("slug_taken", _("This category already exists."), field="name")
    with transaction.atomic():
        category = Category.objects.create(region=region, slug=slug, name=name.strip()[:60], name_en=name_en[:60])
        audit_record(actor=actor, action="news.category_create", obj=category, region=region, changes={"slug": slug})
    return category


def _tags_for(region, names: str) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for raw in names.split(","):
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:60]
        if slug and slug not in tags:
            tags[slug] = Tag.objects.get_or_create(region=region, slug=slug, defaults={"name": name})[0]
    return list(tags.values())[:10]


# --- the lead image -----------------------------------------------------------------------------------------


def _image_refused(message) -> NewsError:
    return NewsError("bad_image", message, field="image")


def image_store(*, region, upload) -> tuple[str, list[int], float]:
    """Check the photo by its bytes, then re-encode it as JPEG at each width in IMAGE_WIDTHS that it reaches (and
    its own width when it is narrower than the widest) without EXIF, GPS or any other metadata
    (gerai.lib.files.image_renditions). Returns (key, widths, height/width)."""
    upload.seek(0)
    data = upload.read(IMAGE_MAX_BYTES + 1)
    try:
        sniff(data[:262], name=upload.name or "", allowed=IMAGE_TYPES, size=len(data), max_size=IMAGE_MAX_BYTES)
    except FileRejected as exc:
        message = rejection_message(exc, name=(upload.name or "?")[:60], allowed=IMAGE_TYPES, max_size=IMAGE_MAX_BYTES)
        raise _image_refused(message) from None
    try:
        renditions = image_renditions(data, widths=IMAGE_WIDTHS, max_pixels=IMAGE_MAX_PIXELS, quality=82)
    except FileRejected as exc:
        if exc.code == "too_many_pixels":
            raise _image_refused(_("The image is too large: at most 40 megapixels.")) from None
        raise _image_refused(_("The file could not be read as an image. Upload a JPEG or PNG photo.")) from None
    key = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
    for rendition in renditions:
        default_storage.save(image_path(region, key, rendition.width), ContentFile(rendition.data))
    largest = renditions[-1]
    return key, [r.width for r in renditions], largest.height / largest.width


def image_path(region, key: str, width: int) -> str:
    return f"news/{region.slug}/{key}-{width}.jpg"


# --- articles -----------------------------------------------------------------------------------------------

EDITABLE = ("title", "summary", "title_en", "summary_en", "comments_open", "image_alt")


def _slug_check(region, slug: str, *, exclude: int | None = None) -> str:
    slug = slugify(slug)[:120]
    if not slug:
        raise NewsError("invalid_slug", _("Enter an address of letters, digits and hyphens."), field="slug")
    if slug in RESERVED_SLUGS:
        raise NewsError("slug_reserved", _("This address is reserved by the portal. Choose another."), field="slug")
    taken = Article.objects.filter(region=region, slug=slug)
    if (taken.exclude(pk=exclude) if exclude else taken).exists():
        raise NewsError(
            "slug_taken",
            _("Another article of this region already has the address “%(slug)s”. Choose another.") % {"slug": slug},
            field="slug",
        )
    return slug


def _fields_check(region, data: dict, *, has_image: bool) -> dict:
    if not (data.get("title") or "").strip():
        raise NewsError("title_required", _("Enter a title."), field="title")
    if not (data.get("summary") or "").strip():
        raise NewsError("summary_required", _("Write a summary."), field="summary")
    category = data.get("category")
    if category is None or category.region_id != region.pk:
        raise NewsError("invalid_category", _("Choose a category."), field="category")
    body = html_sanitise(data.get("body", ""))
    if not body:
        raise NewsError("empty_body", _("Write the article's text."), field="body")
    if has_image and not (data.get("image_alt") or "").strip():
        raise NewsError(
            "alt_required",
            _("Describe the image for readers who cannot see it (alt text)."),
            field="image_alt",
        )
    body_en = html_sanitise(data.get("body_en", ""))
    if bool(body_en) != bool((data.get("title_en") or "").strip()):
        raise NewsError(
            "english_incomplete", _("An English version needs both its title and its text."), field="title_en"
        )
    return {**{k: data[k] for k in EDITABLE if k in data}, "category": category, "body": body, "body_en": body_en}


def article_create(*, actor: Actor, region, data: dict, image=None) -> Article:
    """A draft by the actor. `data`: title, slug (else from the title), summary, body, category, tags (comma-
    separated names), the English fields, image_alt, comments_open."""
    _require_editor(actor, region)
    if actor.user is None:
        raise ValueError("an article needs a person as its author")
    slug = _slug_check(region, data.get("slug") or data.get("title", ""))
    fields = _fields_check(region, data, has_image=image is not None)
    stored = image_store(region=region, upload=image) if image is not None else None
    now = timezone.now()
    try:
        with transaction.atomic():
            article = Article.objects.create(
                region=region, code=secrets.token_urlsafe(9), slug=slug, author=actor.user, created_at=now,
                updated_at=now, **fields,
            )  # fmt: skip
            if stored:
                article.image_key, article.image_widths, article.image_height_ratio = stored
                article.save(update_fields=["image_key", "image_widths", "image_height_ratio"])
            article.tags.set(_tags_for(region, data.get("tags", "")))
            audit_record(actor=actor, action="news.article_create", obj=article, region=region, changes={"slug": slug})
    except IntegrityError:  # the same address taken at the same moment in another tab
        raise NewsError(
            "slug_taken", _("Another article already has this address. Choose another."), field="slug"
        ) from None
    return article


def article_update(*, actor: Actor, article: Article, data: dict, image=None, version: int | None = None) -> Article:
    """Change an article in any state (a published one stays published, its change recorded)."""
    region = article.region
    _require_editor(actor, region)
    slug = _slug_check(region, data.get("slug") or article.slug, exclude=article.pk)
    fields = _fields_check(region, data, has_image=image is not None or bool(article.image_key))
    stored = image_store(region=region, upload=image) if image is not None else None
    if stored:
        fields |= {"image_key": stored[0], "image_widths": stored[1], "image_height_ratio": stored[2]}
    changed = sorted(k for k, v in fields.items() if getattr(article, k) != v) + (
        ["slug"] if slug != article.slug else []
    )
    old_image = (article.image_key, list(article.image_widths))
    try:
        with transaction.atomic():
            updated = Article.objects.filter(pk=article.pk, version=version or article.version).update(
                slug=slug, updated_at=timezone.now(), version=F("version") + 1, **fields
            )
            if not updated:
                raise NewsError("stale", _("Somebody else changed this article meanwhile. Reload it and try again."))
            article.refresh_from_db()
            article.tags.set(_tags_for(region, data.get("tags", "")))
            audit_record(
                actor=actor, action="news.article_update", obj=article, region=region, changes={"fields": changed}
            )
            if stored and old_image[0]:  # the replaced photo's files go once the change is committed
                transaction.on_commit(lambda: _image_delete(region, *old_image))
    except IntegrityError:  # the address taken at the same moment in another tab
        raise NewsError(
            "slug_taken", _("Another article already has this address. Choose another."), field="slug"
        ) from None
    return article


def _image_delete(region, key: str, widths: list[int]) -> None:
    for width in widths:
        default_storage.delete(image_path(region, key, width))


def _transition(actor: Actor, article: Article, *, allowed: tuple, action: str, **fields) -> Article:
    with transaction.atomic():
        moved = Article.objects.filter(pk=article.pk, version=article.version, status__in=allowed).update(
            version=F("version") + 1, updated_at=timezone.now(), **fields
        )
        if not moved:
            raise NewsError("stale", _("This article has changed meanwhile. Reload it and try again."))
        article.refresh_from_db()
        audit_record(
            actor=actor,
            action=f"news.{action}",
            obj=article,
            region=article.region,
            changes={
                "status": article.status,
                "publish_at": article.publish_at.isoformat() if article.publish_at else None,
            },
        )
    return article


def article_submit(*, actor: Actor, article: Article) -> Article:
    """A draft goes to the editors for review."""
    _require_editor(actor, article.region)
    return _transition(
        actor, article, allowed=(Article.Status.DRAFT,), action="article_submit", status=Article.Status.REVIEW
    )


def article_publish(*, actor: Actor, article: Article, at: dt.datetime | None = None) -> Article:
    """Publish now, or schedule for `at` (the worker publishes it then: `articles_publish_due`)."""
    _require_editor(actor, article.region)
    now = timezone.now()
    editable = (Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.SCHEDULED)
    if at is not None and at > now:
        return _transition(
            actor, article, allowed=editable, action="article_schedule", status=Article.Status.SCHEDULED,
            publish_at=at, editor=actor.user,
        )  # fmt: skip
    if at is not None:
        raise NewsError("past_schedule", _("Choose a time in the future, or publish now."), field="publish_at")
    return _transition(
        actor, article, allowed=editable, action="article_publish", status=Article.Status.PUBLISHED,
        publish_at=now, editor=actor.user,
    )  # fmt: skip


def article_unpublish(*, actor: Actor, article: Article) -> Article:
    """Take an article (published or scheduled) back to draft: it disappears from the portal and its feed."""
    _require_editor(actor, article.region)
    return _transition(
        actor, article, allowed=(Article.Status.PUBLISHED, Article.Status.SCHEDULED, Article.Status.REVIEW),
        action="article_unpublish", status=Article.Status.DRAFT,
    )  # fmt: skip


def articles_publish_due(now: dt.datetime | None = None) -> int:
    """The worker's job: publish every scheduled article whose time has come. Each is claimed with a
    compare-and-set, so two workers never publish (and audit) one twice. Returns how many went public."""
    now = now or timezone.now()
    due = Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lte=now).select_related("region")
    published = 0
    for article in due[:200]:
        try:
            _transition(
                Actor.system(), article, allowed=(Article.Status.SCHEDULED,), action="article_publish",
                status=Article.Status.PUBLISHED,
            )  # fmt: skip
            published += 1
        except NewsError:  # changed or taken down meanwhile
            continue
    return published


# --- reactions ----------------------------------------------------------------------------------------------


def reaction_add(*, actor: Actor, article: Article, kind: str) -> None:
    """Count one reaction. That this visitor already reacted is the view's business (a signed cookie); the
    database keeps a counter per kind and nothing about the visitor. A throttle per address bounds what one
    machine that drops its cookies can add."""
    if kind not in Reaction.values or not policy.is_public(article):
        raise NewsError("invalid_reaction", _("Choose one of the reactions."))
    if actor.ip and not throttle_allow("news_reaction", actor.ip):
        raise NewsError("too_many", _("Too many reactions from your connection. Try again later."))
    # No audit entry, by design (docs/architecture.md): an entry would record the visitor's address beside their
    # reaction, and the counter is all the platform keeps.
    # Race-safe without a read-then-write: the first reaction of a kind inserts the counter row with ON CONFLICT
    # DO NOTHING (PostgreSQL and SQLite), so a concurrent first reaction never raises IntegrityError (a 500); the
    # increment is one UPDATE with F(), which waits for the other writer's row lock instead of losing its count.
    with transaction.atomic():
        ReactionCount.objects.bulk_create([ReactionCount(article=article, kind=kind)], ignore_conflicts=True)
        ReactionCount.objects.filter(article=article, kind=kind).update(count=F("count") + 1)


# --- comments -----------------------------------------------------------------------------------------------

LINK = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|id|co|info|biz|xyz|io|ru|top|site|link)\b)", re.I)


def email_hash(email: str) -> str:
    """A keyed hash of the address: the same address gives the same value, and nobody without the key learns
    the address from it (HMAC-SHA256, key derived from SECRET_KEY)."""
    return salted_hmac("gerai.news.comment-email", email.strip().lower(), algorithm="sha256").hexdigest()


def comment_post(*, actor: Actor, article: Article, name: str, email: str, text: str) -> Comment:
    """A visitor's comment. Refused when comments are closed, and past the per-address limit. Every comment
    waits for a moderator: the address is never confirmed, so nothing is decided by it (whoever types another
    person's address must neither borrow their good name nor send their later comments to spam)."""
    if not policy.is_public(article) or not article.comments_open:
        raise NewsError("closed", _("Comments on this article are closed."))
    if actor.ip and not throttle_allow("news_comment", actor.ip):
        raise NewsError("too_many", _("You have sent many comments in a short time. Wait a few minutes and try again."))
    name, text = " ".join(name.split())[:80], text.strip()[:2000]
    if not name:
        raise NewsError("name_required", _("Enter your name."), field="name")
    if not text:
        raise NewsError("text_required", _("Write your comment."), field="text")
    hashed = email_hash(email)
    has_link = bool(LINK.search(text) or LINK.search(name))
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            code=secrets.token_urlsafe(9),
            name=name,
            email_hash=hashed,
            text=text,
            has_link=has_link,
            status=Comment.Status.PENDING,
        )
        audit_record(
            actor=actor,
            action="news.comment_post",
            obj=comment,
            region=article.region,
            changes={"article": article.code, "status": comment.status, "has_link": has_link},
        )
    return comment


def comment_moderate(*, actor: Actor, comment: Comment, status: str) -> Comment:
    """Approve, reject or mark as spam (this comment only: nothing follows the unconfirmed address)."""
    region = comment.article.region
    _require_editor(actor, region)
    if status not in (Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM):
        raise NewsError("invalid_status", _("Choose approve, reject or spam."))
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(
            status=status, moderated_at=timezone.now(), moderated_by=actor.user
        )
        comment.refresh_from_db()
        audit_record(
            actor=actor, action="news.comment_moderate", obj=comment, region=region, changes={"status": status}
        )
    return comment

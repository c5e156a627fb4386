from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A rubric of a region's news (Berita, Utama, Viral…): every article has one."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="news_categories")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="news_category_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="news_tags")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="news_tag_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A news article: Indonesian text, optionally English. Its body is stored already sanitised (nh3, an
    allow-list) so every page renders it as it is. Public only when published (or scheduled and due, which the
    worker's job turns into published)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="news_articles")
    code = models.CharField(max_length=20, unique=True)  # office addresses and image names, never the integer key
    slug = models.SlugField(_("address"), max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("article text"))
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_en = models.CharField(_("summary in English"), max_length=300, blank=True)
    body_en = models.TextField(_("article text in English"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)  # compare-and-set on every transition
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who published or scheduled it
    publish_at = models.DateTimeField(null=True, blank=True)  # when it went (or goes) public
    comments_open = models.BooleanField(_("comments open"), default=True)
    # the lead image: renditions `<code>-<width>.jpg` under news/<region>/; widths present in `image_widths`
    image_key = models.CharField(max_length=40, blank=True)
    image_widths = models.JSONField(default=list, blank=True)
    image_height_ratio = models.FloatField(default=0)  # height / width, for sized <img> tags
    image_alt = models.CharField(_("image description (alt text)"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="news_article_slug_unique")]
        indexes = [
            models.Index(fields=["region", "status", "-publish_at"], name="news_article_public"),
            models.Index(fields=["status", "publish_at"], name="news_article_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_english(self) -> bool:
        return bool(self.title_en and self.body_en)

    def image_height(self, width: int) -> int:
        return round(width * self.image_height_ratio)


class Reaction(models.TextChoices):
    HAPPY = "senang", _("Happy")
    INSPIRED = "terinspirasi", _("Inspired")
    SURPRISED = "terkejut", _("Surprised")
    SAD = "sedih", _("Sad")
    ANGRY = "marah", _("Angry")


class ReactionCount(models.Model):
    """How many visitors reacted so to an article: a counter only, never who (the visitor keeps a signed cookie
    that says they reacted; see services.reaction_add)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reaction_counts")
    kind = models.CharField(max_length=20, choices=Reaction.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "kind"], name="news_reaction_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"


class Comment(models.Model):
    """A visitor's comment. The email address is never stored: only a keyed hash of it (HMAC-SHA256 with a key
    derived from SECRET_KEY), useless to anybody who reads the database or a page. Nothing is decided by it: the
    address is never confirmed (services.comment_post), so it is kept only for a future confirmation step."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    email_hash = models.CharField(max_length=64)
    text = models.TextField(_("comment"), max_length=2000)
    has_link = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="news_comment_article"),
            models.Index(fields=["email_hash", "status"], name="news_comment_author"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(email_hash=""), name="news_comment_email_hash")]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.news.models import Article, Category


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_(
            "The end of the page's address, such as festival-gandrung-sewu. Left empty, it is made from the title."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences: shown in lists, the feed and link previews."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Text"),
        help_text=_(
            "HTML: paragraphs, headings, lists, links, quotes and tables. Anything else (scripts, styles, images) "
            "is removed when it is saved."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas, at most ten.")
    )
    image = forms.FileField(
        label=_("Lead image"), required=False, help_text=_("A JPEG or PNG photo, at most 10 MB and 40 megapixels.")
    )
    image_alt = forms.CharField(
        label=_("Image description (alt text)"),
        max_length=200,
        required=False,
        help_text=_("What the photo shows, for readers who cannot see it. Required with an image."),
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    summary_en = forms.CharField(
        label=_("Summary in English"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body_en = forms.CharField(label=_("Text in English"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    comments_open = forms.BooleanField(label=_("Readers may comment"), required=False, initial=True)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(region=region)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(article: Article) -> dict:
        return {
            "title": article.title,
            "slug": article.slug,
            "category": article.category_id,
            "summary": article.summary,
            "body": article.body,
            "tags": ", ".join(t.name for t in article.tags.all()),
            "image_alt": article.image_alt,
            "title_en": article.title_en,
            "summary_en": article.summary_en,
            "body_en": article.body_en,
            "comments_open": article.comments_open,
        }


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        help_text=_("Date and time in the region's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_publish_at(self) -> dt.datetime:
        value = self.cleaned_data["publish_at"]
        naive = value.replace(tzinfo=None) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.region.zone)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Email"),
        max_length=200,
        help_text=_("Never shown and never passed on. We keep only a scrambled form of it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    # the honeypot: hidden from people (and from screen readers), filled in by bots that fill every field
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=60)
    name_en = forms.CharField(label=_("Name in English"), max_length=60, required=False)

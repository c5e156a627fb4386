from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.regions.models import Area
from gerai.regions.selectors import kecamatans_of_region, villages_of_region
from gerai.tourism.models import Destination, Event
from gerai.tourism.services import DESTINATION_FIELDS, EVENT_FIELDS

SLUG_HELP = _("The page's address, e.g. kawah-ijen: letters, digits and hyphens. Left empty, it is made from the name.")
ENGLISH_HELP = _("Optional. English visitors see the Indonesian text, with a note, until this is written.")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def area_choices(region) -> list:
    """Each kecamatan, then its desa and kelurahan, in one grouped list."""
    villages: dict[str, list[tuple[str, str]]] = {}
    for area in villages_of_region(region).order_by("name"):
        villages.setdefault(area.parent_id or "", []).append((area.code, area.name))
    choices: list = [("", "–")]
    for kecamatan in kecamatans_of_region(region).order_by("name"):
        whole = (kecamatan.code, _("Kec. %(name)s (the whole kecamatan)") % {"name": kecamatan.name})
        choices.append((f"Kec. {kecamatan.name}", [whole, *villages.get(kecamatan.code, [])]))
    return choices


class DestinationForm(forms.ModelForm):
    slug = forms.SlugField(label=_("Address"), max_length=80, required=False, help_text=SLUG_HELP)
    area = forms.ChoiceField(label=_("Desa or kecamatan"), required=False)

    class Meta:
        model = Destination
        fields = [f for f in DESTINATION_FIELDS if f != "area"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "ticket_price": _("In rupiah, 0 when entry is free. Leave empty when there is no fixed price."),
            "latitude": _("Optional, for the map: e.g. -8.058 (south is negative)."),
            "longitude": _("e.g. 114.242"),
            "accessibility": _(
                "Paths, steps, ramps, toilets, help on site: what a visitor with a disability needs to know."
            ),
            "name_en": ENGLISH_HELP,
        }

    field_order = ["name", "slug", "kind", "summary", "description", "area", "address"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        cast(forms.ChoiceField, self.fields["area"]).choices = area_choices(region)
        if self.instance.pk and self.instance.area_id and not self.is_bound:
            self.initial["area"] = self.instance.area_id

    def clean_area(self):
        code = self.cleaned_data.get("area")
        if not code:
            return None
        area = Area.objects.filter(region=self.region, code=code).first()
        if area is None:
            raise forms.ValidationError(_("Choose a desa or kecamatan of this region."))
        return area

    def validate_unique(self):
        """The service checks the address per region and says so at the field."""

    def _post_clean(self):
        """The services check the rows; the form only parses."""


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB. It is resized, and its metadata (camera, place) removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        help_text=_("For visitors who cannot see it, e.g. “Blue fire at the crater lake of Ijen before dawn”."),
    )
    alt_en = forms.CharField(label=_("What the photo shows, in English"), max_length=200, required=False)
    credit = forms.CharField(label=_("Photographer or source"), max_length=120, required=False)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class EventForm(forms.ModelForm):
    """Times are typed in the region's zone: the view validates the form inside timezone.override(region.zone)."""

    slug = forms.SlugField(label=_("Address"), max_length=80, required=False, help_text=SLUG_HELP)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=LocalDateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=LocalDateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )
    destination = forms.TypedChoiceField(label=_("Venue: a destination"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "venue_name": _("When the venue is not one of the destinations."),
            "price": _("In rupiah, 0 when entry is free. Leave empty when not stated."),
            "title_en": ENGLISH_HELP,
        }

    field_order = ["title", "slug", "category", "summary", "description", "starts_at", "ends_at", "recurrence"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        cast(forms.ChoiceField, self.fields["destination"]).choices = [
            ("", "–"),
            *Destination.objects.filter(region=region).order_by("name").values_list("pk", "name"),
        ]
        self.fields["recurrence"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["destination"] = self.instance.destination_id

    def clean_destination(self):
        pk = self.cleaned_data.get("destination")
        if pk is None:
            return None
        destination = Destination.objects.filter(region=self.region, pk=pk).first()
        if destination is None:
            raise forms.ValidationError(_("Choose a destination of this region."))
        return destination

    def validate_unique(self):
        """The service checks the address per region and says so at the field."""

    def _post_clean(self):
        """The services check the rows (the model's constraints included); the form only parses."""


class DestinationFilter(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Destination.Kind.choices])
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    free = forms.BooleanField(label=_("Free entry"), required=False)
    wheelchair = forms.BooleanField(label=_("Wheelchair accessible"), required=False)

    def __init__(self, *args, kecamatans, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kecamatan"]).choices = [
            ("", _("All kecamatan")),
            *((k.code, k.name) for k in kecamatans),
        ]

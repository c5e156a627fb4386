from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.complaints.models import Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); the service checks count and content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Report.Kind.choices, initial="complaint", widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("A few words, e.g. “Jalan berlubang di depan SDN 1”."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where, when and what. At most 4,000 characters. Do not write other people's personal data."),
        error_messages={"required": _("Describe what happened.")},
    )
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    lat = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    long = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    # The metaclass moves a declared field into base_fields, so this does not replace Form.media (the assets
    # property) as mypy believes; the page reaches the field as form["media"], the uploads' POST name.
    media = MultipleFileField(  # type: ignore[assignment]
        label=_("Photos or documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf", "multiple": True}),
        help_text=_("Up to 4 files: JPG, PNG or PDF. We remove the location and camera data from photos."),
    )
    anonymous = forms.BooleanField(label=_("Hide my identity from the agency"), required=False)
    confidential = forms.BooleanField(label=_("Do not publish this report"), required=False)
    reporter_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    reporter_email = forms.EmailField(label=_("Email"), required=False)
    reporter_phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)

    def __init__(self, *args, categories, villages, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Both declared above as ChoiceFields; Form.fields is typed as a dict of plain Fields.
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Choose a category")),
            *[(c.code, c.name) for c in categories],
        ]
        cast(forms.ChoiceField, self.fields["desa"]).choices = [("", _("Choose the desa/kelurahan")), *villages]
        if signed_in:
            for name in ("reporter_name", "reporter_email", "reporter_phone"):
                del self.fields[name]


class TextForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Code (Open311 service_code)"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    group = forms.CharField(label=_("Group"), max_length=60, required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    agency: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Agency that answers"), queryset=None)
    is_active = forms.BooleanField(label=_("Open for new reports"), required=False, initial=True)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class PolicyForm(forms.Form):
    verify_days = forms.IntegerField(label=_("Verify and forward within (working days)"), min_value=1, max_value=60)
    follow_up_days = forms.IntegerField(label=_("Agency answers within (working days)"), min_value=1, max_value=60)
    auto_close_days = forms.IntegerField(
        label=_("Close an answer left unanswered after (working days)"), min_value=1, max_value=60
    )
    settle_days = forms.IntegerField(label=_("Settle within (calendar days)"), min_value=1, max_value=365)

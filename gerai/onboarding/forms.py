from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.accounts.models import StaffRole
from gerai.regions.models import Agency, Area, Region


class OnboardForm(forms.Form):
    code = forms.CharField(
        label=_("Kemendagri code of the kabupaten/kota"),
        max_length=5,
        help_text=_("For example 63.01 for Kabupaten Tanah Laut."),
        widget=forms.TextInput(attrs={"list": "regency-codes", "inputmode": "decimal", "autocomplete": "off"}),
    )
    slug = forms.CharField(
        label=_("Address on the platform"),
        max_length=50,
        required=False,
        help_text=_("Letters, digits and hyphens; empty: from the name (tanah-laut)."),
    )
    admin_email = forms.EmailField(label=_("First region admin's email"), required=False)
    admin_name = forms.CharField(label=_("First region admin's full name"), max_length=150, required=False)


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)
    area = forms.ModelChoiceField(
        label=_("Area (for a kecamatan or desa/kelurahan office)"), queryset=Area.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = Area.objects.filter(region=region).order_by("code")


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency (every role but region admin)"), queryset=Agency.objects.none(), required=False
    )
    title = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            region=region, is_active=True
        ).order_by("kind", "name")


class ModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(
        label=_("Switched-on modules"),
        choices=Region.Module.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BrandingForm(forms.Form):
    colour_primary = forms.CharField(
        label=_("Primary colour (behind white text)"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    colour_accent = forms.CharField(
        label=_("Accent colour (behind black text)"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    tagline = forms.CharField(label=_("Tagline"), max_length=200, required=False)
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, at most 512 KB; empty: keep the current one.")
    )


class RetentionForm(forms.Form):
    draft_keep_days = forms.IntegerField(
        label=_("Delete drafts never sent after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Counted from the draft's last change. Empty: kept."),
    )
    consent_keep_days = forms.IntegerField(
        label=_("Remove a counter consent's scanned form and address after the application closes (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("The record that consent was given, how and by whom, stays. Empty: kept."),
    )

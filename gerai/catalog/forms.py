from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.catalog.models import STANDARD_COMPONENTS, Service


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "summary",
            "category",
            "owner_agency",
            "fee_rupiah",
            "sla_working_days",
            "output_document",
            "is_published",
        ] + [name for name, _label in STANDARD_COMPONENTS]
        labels = dict(STANDARD_COMPONENTS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name, _label in STANDARD_COMPONENTS}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = region.agencies.filter(is_active=True, kind="dinas")
        self.fields["sla_working_days"].min_value = 0


class CopyForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    slug = forms.SlugField(label=_("Address of the copy"), max_length=80)

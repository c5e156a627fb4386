from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.governance.frameworks import frameworks
from gerai.governance.models import PerformanceIndicator, PublishedResult


def _model_choices():
    return [(f.code, f.name) for f in frameworks().values() if f.complete]


class StartForm(forms.Form):
    framework = forms.ChoiceField(label=_("Index model"), choices=())
    year = forms.IntegerField(label=_("Year assessed"), min_value=2018, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = _model_choices()  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class PublishedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Index"), choices=PublishedResult.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    value = forms.CharField(label=_("Published score"), max_length=10, required=False)
    predicate = forms.CharField(label=_("Predicate or grade"), max_length=40, required=False)
    source = forms.CharField(label=_("Published by, and where"), max_length=300)
    source_url = forms.URLField(label=_("Address of the publication"), max_length=300, required=False)


class IkuForm(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), choices=())
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=PerformanceIndicator.Direction.choices, widget=forms.RadioSelect
    )
    target = forms.CharField(label=_("Target"), max_length=20, required=False)
    realisation = forms.CharField(label=_("Realisation"), max_length=20, required=False)
    live_source = forms.ChoiceField(
        label=_("Measured by Gerai"),
        choices=[("", _("No: entered by hand")), ("ikm", _("Yes: the agency's satisfaction index (IKM)"))],
        required=False,
    )

    def __init__(self, agencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]  # type: ignore[attr-defined]
        self.fields["direction"].initial = PerformanceIndicator.Direction.HIGHER

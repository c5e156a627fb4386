from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.webhooks.models import Event


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver URL"),
        max_length=500,
        help_text=_("An https address of your system that accepts a JSON POST."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    description = forms.CharField(label=_("Description"), max_length=100, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

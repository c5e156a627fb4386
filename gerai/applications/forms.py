"""Forms built from a service's form definition. The web pages and the JSON API both validate
answers through `answer_form`, so a rule is written once."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.accounts.identifiers import normalize_phone
from gerai.accounts.services import nik_validate
from gerai.catalog.models import FormField
from gerai.lib.pii import mark_personal
from gerai.regions.selectors import village_choices_grouped, village_codes


class NikField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value:
            value = nik_validate(value).value
        return value


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value:
            phone = normalize_phone(value)
            if phone is None:
                raise ValidationError(_("Enter a mobile number like 0812 3456 7890."), code="phone")
            value = phone
        return value


class DesaField(forms.ChoiceField):
    """A desa/kelurahan of the region, its options grouped by kecamatan (a regency has a few hundred). The
    options are only built to render a select; a submitted code is checked against the region's (memoised) set
    of village codes."""

    def __init__(self, *, region, **kwargs):
        self.region = region
        super().__init__(choices=self._choices, **kwargs)

    def _choices(self):
        return [("", _("Choose a desa/kelurahan")), *village_choices_grouped(self.region.pk)]

    def valid_value(self, value):
        return value in village_codes(self.region.pk)


class DateInput(forms.DateInput):
    input_type = "date"


def _form_field(field: FormField, region) -> forms.Field:
    common: dict[str, Any] = {"label": field.label, "required": field.required, "help_text": field.help_text}
    kind = field.kind
    if kind == FormField.Kind.TEXT:
        return forms.CharField(max_length=field.max_value or 200, min_length=field.min_value, **common)
    if kind == FormField.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=field.max_value or 2000,
            min_length=field.min_value,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )
    if kind == FormField.Kind.NUMBER:
        return forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if kind == FormField.Kind.DATE:
        return forms.DateField(widget=DateInput, **common)
    if kind == FormField.Kind.CHOICE:
        return forms.ChoiceField(choices=[(v, label) for v, label in field.choices], widget=forms.RadioSelect, **common)
    if kind == FormField.Kind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(v, label) for v, label in field.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FormField.Kind.NIK:
        return NikField(
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )
    if kind == FormField.Kind.PHONE:
        return PhoneField(
            max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}), **common
        )
    if kind == FormField.Kind.DESA:
        return DesaField(region=region, **common)
    raise ValueError(f"unknown field kind {kind}")


def _to_json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(field: FormField, value):
    if value in (None, "", []):
        return value
    if field.kind == FormField.Kind.DATE:
        return dt.date.fromisoformat(value)
    return value


class AnswerForm(forms.Form):
    error_css_class = "field--error"

    personal_keys: frozenset[str] = frozenset()

    def answers(self) -> dict:
        """The answers as stored: personal ones marked, so the column seals them (lib/pii.py)."""
        return {
            key: mark_personal(_to_json(value)) if key in self.personal_keys else _to_json(value)
            for key, value in self.cleaned_data.items()
            if value not in (None, "", [])
        }


def answer_form(
    fields: list[FormField], region, data=None, initial_answers: dict | None = None, desa: str | None = None
) -> AnswerForm:
    """`desa`: the code a desa question starts with when it has no answer yet (where the applicant lives)."""
    attrs: dict[str, Any] = {field.key: _form_field(field, region) for field in fields}
    attrs["personal_keys"] = frozenset(field.key for field in fields if field.is_personal)
    form_class = type("PageForm", (AnswerForm,), attrs)
    initial = {f.key: _from_json(f, (initial_answers or {}).get(f.key)) for f in fields}
    for field in fields:
        if field.kind == FormField.Kind.DESA and not initial[field.key] and desa:
            initial[field.key] = desa
    return form_class(data=data, initial=initial, prefix=None)


def answers_as_data(answers: dict, fields: list[FormField]) -> QueryDict:
    """JSON answers (API) as the form data the pages post, so both are validated by answer_form."""
    data = QueryDict(mutable=True)
    for field in fields:
        value = answers.get(field.key)
        if isinstance(value, list):
            data.setlist(field.key, [str(v) for v in value])
        elif value is not None:
            data[field.key] = str(value)
    return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason, so the citizen knows what to do.")},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Internal note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={"required": gettext_lazy("Choose a file to upload.")},
    )


class CounterForm(forms.Form):
    """Filing at a counter for a citizen, who may have no account: who they are and how to reach them."""

    service = forms.ChoiceField(label=gettext_lazy("Service"))
    nik = NikField(
        label=gettext_lazy("Citizen's NIK"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Citizen's full name (as on the KTP)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneField(
        label=gettext_lazy("Citizen's mobile number"),
        help_text=gettext_lazy("For the consent code and the tracking code by WhatsApp or SMS."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Citizen's email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    in_person = forms.BooleanField(
        label=gettext_lazy("The citizen is here at the counter and I have checked their KTP"),
        required=False,
    )

    def __init__(self, *args, region, services, **kwargs):
        super().__init__(*args, **kwargs)
        # Declared above as a ChoiceField; Form.fields is typed as a dict of plain Fields.
        cast(forms.ChoiceField, self.fields["service"]).choices = [(s.slug, s.name) for s in services]
        self.fields["desa"] = DesaField(region=region, label=gettext_lazy("Citizen's desa/kelurahan"))
        self.order_fields(["service", "nik", "name", "desa", "phone", "email", "in_person"])


class ConsentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code the citizen received"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": gettext_lazy("Enter the code the citizen received.")},
    )


class ConsentScanForm(forms.Form):
    scan = forms.FileField(
        label=gettext_lazy("Scan of the signed consent form (PDF, JPG or PNG)"),
        error_messages={"required": gettext_lazy("Scan the signed consent form and upload it.")},
    )
    witnessed = forms.BooleanField(
        label=gettext_lazy("I saw the citizen sign this form"),
        error_messages={"required": gettext_lazy("Confirm that you saw the citizen sign the form.")},
    )


class ClaimForm(forms.Form):
    tracking_code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    claim_code = forms.CharField(
        label=gettext_lazy("Claim code (on the receipt)"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

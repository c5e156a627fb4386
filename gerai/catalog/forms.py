from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gerai.catalog.models import STANDARD_COMPONENTS, DocumentRequirement, FormField, Service, WorkflowStep
from gerai.catalog.selectors import categories_of_region
from gerai.lib.files import KINDS

# Django labels a select's empty choice "- Select an option -" and has no Indonesian for it; the same msgid in
# our catalog takes precedence, so every select of every form says it in the page's language.
DJANGO_BLANK_CHOICE = gettext_noop("- Select an option -")


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
        labels = dict(STANDARD_COMPONENTS) | {"owner_agency": _("Agency that owns the service")}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name, _label in STANDARD_COMPONENTS}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # A ModelChoiceField for the model's foreign key; Form.fields is typed as a dict of plain Fields.
        cast(forms.ModelChoiceField, self.fields["owner_agency"]).queryset = region.agencies.filter(
            is_active=True, kind="dinas"
        )
        self.fields["category"] = forms.ChoiceField(
            label=_("Category"),
            choices=[("", _(DJANGO_BLANK_CHOICE)), *categories_of_region(region.pk)],
            help_text=_("The region's list of categories is in the region settings."),
        )


class CategoryForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=20,
        help_text=_("Short, lowercase, with hyphens (e.g. pertanian). It cannot change later."),
        error_messages={
            "invalid": _("Use lowercase letters, digits and hyphens only, with no spaces (e.g. pertanian).")
        },
    )
    name = forms.CharField(label=_("Name"), max_length=80)
    order = forms.IntegerField(
        label=_("Order in the catalog"),
        min_value=0,
        max_value=32000,
        required=False,
        help_text=_("Smaller first. Empty: a new category goes last, a changed one keeps its place."),
    )


class CopyForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    slug = forms.SlugField(label=_("Address of the copy"), max_length=80)


class ChoicesField(forms.CharField):
    """Answer options as lines of `value = label`, stored as [[value, label], ...]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{v} = {label}" for v, label in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        pairs = []
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            key, sep, label = line.partition("=")
            if not sep or not key.strip() or not label.strip():
                raise ValidationError(_("Write each option as: value = label"), code="choices")
            pairs.append([key.strip(), label.strip()])
        return pairs


class FormFieldForm(forms.ModelForm):
    choices = ChoicesField(
        label=_("Options (choice questions)"), required=False, help_text=_("One per line: value = label")
    )

    class Meta:
        model = FormField
        fields = [
            "page",
            "page_title",
            "order",
            "key",
            "label",
            "kind",
            "required",
            "help_text",
            "choices",
            "min_value",
            "max_value",
            "personal",
        ]
        labels = {
            "order": _("Order (smaller first)"),
            "key": _("Answer key (letters, digits, hyphens)"),
            "kind": _("Kind of answer"),
            "required": _("The citizen must answer"),
            "help_text": _("Hint under the question"),
            "min_value": _("Minimum (number: value; text: length)"),
            "max_value": _("Maximum (number: value; text: length)"),
        }

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # ModelForm.clean returns cleaned_data; the stubs allow None
        if data.get("kind") in (FormField.Kind.CHOICE, FormField.Kind.MULTI_CHOICE) and not data.get("choices"):
            self.add_error("choices", _("A choice question needs its options."))
        return data


class DocumentRequirementForm(forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(
        label=_("Allowed file types"), choices=[(k, k.upper()) for k in KINDS], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DocumentRequirement
        fields = ["order", "key", "label", "help_text", "allowed_types", "max_size_kb", "required"]
        labels = {
            "order": _("Order (smaller first)"),
            "key": _("Document key (letters, digits, hyphens)"),
            "help_text": _("Hint under the upload"),
            "max_size_kb": _("Largest file (KB)"),
            "required": _("The citizen must upload it"),
        }


class WorkflowStepForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("officer", _("officer")), ("supervisor", _("supervisor"))])

    class Meta:
        model = WorkflowStep
        fields = ["order", "name", "routing", "agency", "role", "action"]
        labels = {
            "order": _("Order (smaller first)"),
            "routing": _("Who holds the step"),
            "agency": _("Agency (when the step has a fixed agency)"),
            "action": _("What the step does"),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # A ModelChoiceField for the model's foreign key; Form.fields is typed as a dict of plain Fields.
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = region.agencies.filter(
            is_active=True, kind="dinas"
        )

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # ModelForm.clean returns cleaned_data; the stubs allow None
        if data.get("routing") == WorkflowStep.Routing.FIXED and not data.get("agency"):
            self.add_error("agency", _("Choose the agency that holds this step."))
        return data


PART_FORMSETS: dict[str, type[BaseInlineFormSet]] = {
    "formulir": inlineformset_factory(Service, FormField, form=FormFieldForm, extra=1, can_delete=True),
    "dokumen": inlineformset_factory(
        Service, DocumentRequirement, form=DocumentRequirementForm, extra=1, can_delete=True
    ),
    "alur": inlineformset_factory(
        Service, WorkflowStep, form=WorkflowStepForm, extra=1, can_delete=True, min_num=1, validate_min=True
    ),
}


class ServiceCreateForm(ServiceForm):
    slug = forms.SlugField(label=_("Address (letters, digits, hyphens)"), max_length=80)

    class Meta(ServiceForm.Meta):
        fields = ["slug"] + [name for name in ServiceForm.Meta.fields if name != "is_published"]


class AdoptForm(forms.Form):
    """The address of the copy and, for each agency of the source, the local agency that takes its place."""

    slug = forms.SlugField(label=_("Address of the copy"), max_length=80)

    def __init__(self, *args, owners, local_agencies, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        for agency in owners:
            field = forms.ModelChoiceField(
                label=_("In place of %(agency)s") % {"agency": agency.name},
                queryset=local_agencies,
                required=False,
                initial=suggestions.get(agency.pk),
                help_text=_("Suggested by kind and name; empty: choose later (it cannot be published before)."),
            )
            self.fields[f"agency_{agency.pk}"] = field
        self.owners = owners

    def agency_map(self) -> dict:
        return {agency.pk: self.cleaned_data.get(f"agency_{agency.pk}") for agency in self.owners}

import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.innovation.iid import iid_model
from gerai.innovation.models import GOALS, INDICATORS, Innovation

SHORTHAND = re.compile(r"^\s*(?:rp\.?\s*)?([\d.,]+)\s*(rb|ribu|jt|juta|m|miliar|t|triliun)\s*$", re.IGNORECASE)
MULTIPLIERS = {"rb": 10**3, "ribu": 10**3, "jt": 10**6, "juta": 10**6, "m": 10**9, "miliar": 10**9}
MULTIPLIERS |= {"t": 10**12, "triliun": 10**12}


def _shorthand_value(text: str) -> int | None:
    """ "1,5 M" → 1500000000 (Indonesian decimal comma; M is miliar), to suggest in the error, never silently."""
    match = SHORTHAND.match(text)
    if not match:
        return None
    number = match.group(1).replace(".", "").replace(",", ".")
    try:
        return round(float(number) * MULTIPLIERS[match.group(2).lower()])
    except ValueError:
        return None


class RupiahField(forms.CharField):
    """Whole rupiah, typed as digits, with or without thousands dots ("1.500.000.000"). Shorthand such as
    "1,5 M" is refused with the number it probably means, so that nobody's budget is guessed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return 0 if not self.required else None
        compact = text.replace(" ", "")
        if re.fullmatch(r"(?:rp\.?)?\d{1,3}(?:\.\d{3})+|(?:rp\.?)?\d+", compact, re.IGNORECASE):
            return int(re.sub(r"\D", "", compact))
        guess = _shorthand_value(text)
        if guess is not None:
            raise forms.ValidationError(
                _("Write the amount in digits: “%(text)s” would be %(guess)s."),
                params={"text": text, "guess": f"{guess:,}".replace(",", ".")},
                code="shorthand",
            )
        if text.startswith("-"):
            raise forms.ValidationError(_("The amount may not be negative."), code="negative")
        raise forms.ValidationError(_("Write the amount in rupiah digits, e.g. 1.500.000.000."), code="invalid")


class InnovationForm(forms.ModelForm):
    indicators = forms.MultipleChoiceField(
        label=_("Live figures it moves"),
        choices=list(INDICATORS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capex_rupiah = RupiahField(label=_("One-off cost in the first year (estimate, rupiah)"), required=False)
    opex_rupiah = RupiahField(label=_("Yearly cost (estimate, rupiah)"), required=False)

    class Meta:
        model = Innovation
        fields = [
            "name",
            "form",
            "affair",
            "is_digital",
            "stage",
            "started_on",
            "problem",
            "approach",
            "benefit",
            "indicators",
            "capex_rupiah",
            "opex_rupiah",
            "cost_source",
            "staff_needed",
            "prerequisites",
            "infrastructure",
            "excludes",
            "services",
            "must",
            "is_published",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "approach": forms.Textarea(attrs={"rows": 3}),
            "benefit": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.CheckboxSelectMultiple,
            "excludes": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, region, services, **kwargs):
        super().__init__(*args, **kwargs)
        others = Innovation.objects.filter(region=region).order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        cast(forms.ModelMultipleChoiceField, self.fields["prerequisites"]).queryset = others
        cast(forms.ModelMultipleChoiceField, self.fields["excludes"]).queryset = others
        cast(forms.ModelMultipleChoiceField, self.fields["services"]).queryset = services
        for goal, label in GOALS.items():
            self.fields[f"goal_{goal}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10,
                required=False,
                initial=(self.instance.goal_scores or {}).get(goal, 0),
            )

    def goal_fields(self):
        return [self[f"goal_{goal}"] for goal in GOALS]

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("prerequisites", "excludes", "services")}
        data["goal_scores"] = {goal: data.pop(f"goal_{goal}") or 0 for goal in GOALS}
        data["capex_rupiah"] = data.get("capex_rupiah") or 0
        data["opex_rupiah"] = data.get("opex_rupiah") or 0
        return data


class EvidenceForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    level = forms.TypedChoiceField(
        label=_("Level it proves"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int, initial=3
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("Document (PDF)"))

    def __init__(self, *args, aspect: str, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        model = iid_model(year)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            (i.key, f"{i.no}. {i.name}") for i in model.of(aspect)
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    bentuk = forms.ChoiceField(label=_("Form"), required=False, choices=[("", _("All"))] + Innovation.Form.choices)
    tahap = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All"))] + Innovation.Stage.choices)
    digital = forms.ChoiceField(
        label=_("Digital"), required=False, choices=[("", _("All")), ("1", _("Digital")), ("0", _("Not digital"))]
    )


MAX_PLAN_YEARS = 5


class HorizonForm(forms.Form):
    mulai = forms.IntegerField(label=_("First fiscal year"), min_value=2000, max_value=2100)
    tahun = forms.IntegerField(label=_("Number of years"), min_value=1, max_value=MAX_PLAN_YEARS)


class PlannerForm(forms.Form):
    """Budget and staff per year and the weight of each goal, for the years of the horizon."""

    title = forms.CharField(label=_("Name of this version"), max_length=150, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"budget_{year}"] = RupiahField(label=_("Budget %(year)s (rupiah)") % {"year": year})
            self.fields[f"staff_{year}"] = forms.IntegerField(
                label=_("Staff available %(year)s") % {"year": year}, min_value=0, max_value=100000, required=False
            )
        for goal, label in GOALS.items():
            self.fields[f"weight_{goal}"] = forms.IntegerField(
                label=label, min_value=0, max_value=10, required=False, initial=1
            )

    def year_rows(self):
        return [(year, self[f"budget_{year}"], self[f"staff_{year}"]) for year in self.years]

    def weight_fields(self):
        return [self[f"weight_{goal}"] for goal in GOALS]

    def settings(self) -> tuple[dict, dict | None, dict]:
        data = self.cleaned_data
        budget = {year: data[f"budget_{year}"] for year in self.years}
        staff_values = {year: data.get(f"staff_{year}") for year in self.years}
        staff = None if all(v is None for v in staff_values.values()) else {y: v or 0 for y, v in staff_values.items()}
        weights = {goal: data.get(f"weight_{goal}") or 0 for goal in GOALS}
        return budget, staff, weights

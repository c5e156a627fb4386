from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.prices.models import Market, ReferencePrice
from gerai.prices.warning import EARLIEST_DAY, PriceInputError, parse_price


class ReferenceForm(forms.Form):
    commodity = forms.ChoiceField(label=_("Commodity"))
    zone = forms.TypedChoiceField(label=_("Zone"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReferencePrice.Kind.choices)
    price = forms.CharField(
        label=_("Price (Rp)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("For example 2026-11-28.")
    )
    source = forms.CharField(
        label=_("Legal source"), max_length=300, help_text=_("The regulation, e.g. Perbadan 5/2022 Pasal 3.")
    )

    def __init__(self, *args, commodities=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["commodity"]
        assert isinstance(field, forms.ChoiceField)  # declared above; for mypy
        field.choices = [(c.code, f"{c.name} ({c.unit})") for c in commodities]

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if day < EARLIEST_DAY:
            raise forms.ValidationError(_("The date cannot be before %(day)s.") % {"day": EARLIEST_DAY.isoformat()})
        return day

    def clean_price(self) -> int:
        try:
            price = parse_price(self.cleaned_data["price"])
        except PriceInputError as exc:
            raise forms.ValidationError(_("Type a price in rupiah, for example 12.500.")) from exc
        if price is None:
            raise forms.ValidationError(_("Type a price in rupiah, for example 12.500."))
        return price


class ThresholdsForm(forms.Form):
    zone = forms.TypedChoiceField(label=_("Reference price zone"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int)
    waspada_pct = forms.DecimalField(label=_("Waspada above (%)"), min_value=0.1, max_value=500, decimal_places=1)
    siaga_pct = forms.DecimalField(label=_("Siaga above (%)"), min_value=0.1, max_value=500, decimal_places=1)
    kritis_pct = forms.DecimalField(label=_("Kritis above (%)"), min_value=0.1, max_value=500, decimal_places=1)
    fall_pct = forms.DecimalField(
        label=_("Sharp fall beyond (%)"),
        help_text=_("A fall of more than this on the week before alerts “Sharp fall” (farmers' prices collapsing)."),
        min_value=0.1,
        max_value=99.9,
        decimal_places=1,
    )


def _coordinate(value: str, low: float, high: float):
    text = (value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise forms.ValidationError(_("Type a coordinate in degrees, for example -8,2137.")) from exc
    if not low <= number <= high:
        raise forms.ValidationError(_("This coordinate is outside Indonesia."))
    return number.quantize(Decimal("0.000001"))


class MarketForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Used in addresses and import files, e.g. pasar-genteng.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Market.Kind.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    latitude = forms.CharField(label=_("Latitude"), required=False, max_length=20, help_text=_("For example -8,2137."))
    longitude = forms.CharField(
        label=_("Longitude"), required=False, max_length=20, help_text=_("For example 114,3694.")
    )

    def __init__(self, *args, kecamatans=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan, desa = self.fields["kecamatan"], self.fields["desa"]
        assert isinstance(kecamatan, forms.ChoiceField) and isinstance(desa, forms.ChoiceField)  # for mypy
        kecamatan.choices = [(a.code, a.name) for a in kecamatans]
        desa.choices = [("", "–"), *villages]

    def clean_latitude(self):
        return _coordinate(self.cleaned_data["latitude"], -11.5, 6.5)

    def clean_longitude(self):
        return _coordinate(self.cleaned_data["longitude"], 94.5, 141.5)


class CommodityForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Used in addresses and import files, e.g. cabai-rawit-merah.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    unit = forms.CharField(label=_("Unit"), max_length=20, help_text=_("kg, liter, butir…"))

from django import forms
from django.utils.translation import gettext_lazy as _

from gerai.catalog.selectors import service_owner_agencies, services_for_admin
from gerai.dashboards.selectors import Scope, years_available
from gerai.regions.selectors import kecamatans_of_region, villages_of_region


class ScopeForm(forms.Form):
    """What a dashboard shows: a year, and optionally an agency or service and a kecamatan or desa.
    Every choice comes from the region itself, so no parameter can reach another region."""

    tahun = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    instansi = forms.ChoiceField(label=_("Agency"), required=False)
    layanan = forms.ChoiceField(label=_("Service"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    desa = forms.ChoiceField(label=_("Desa or kelurahan"), required=False)

    def __init__(self, region, data, *, public: bool):
        super().__init__(data)
        self.region, self.public = region, public
        self.years = years_available(region)
        self._choices("tahun", [(y, y) for y in self.years])
        self.agencies = {a.slug: a for a in service_owner_agencies(region)}
        self.services = {s.slug: s for s in services_for_admin(region).order_by("name")}
        self.kecamatans = {a.code: a for a in kecamatans_of_region(region).order_by("name")}
        chosen_agency = self.agencies.get(data.get("instansi", ""))
        chosen_kecamatan = self.kecamatans.get(data.get("kecamatan", ""))
        services = [s for s in self.services.values() if not chosen_agency or s.owner_agency_id == chosen_agency.pk]
        villages = (
            villages_of_region(region).filter(parent=chosen_kecamatan).order_by("name") if chosen_kecamatan else []
        )
        self.villages = {a.code: a for a in villages}
        everything = [("", _("All"))]
        self._choices("instansi", everything + [(slug, a.name) for slug, a in self.agencies.items()])
        self._choices("layanan", everything + [(s.slug, s.name) for s in services])
        self._choices("kecamatan", everything + [(code, a.name) for code, a in self.kecamatans.items()])
        self._choices("desa", everything + [(code, a.name) for code, a in self.villages.items()])

    def _choices(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def scope(self) -> Scope:
        """The chosen scope; a choice that was not valid falls back to the whole region (the form's
        errors say what was wrong)."""
        data = self.cleaned_data if self.is_valid() else {}
        service = self.services.get(data.get("layanan") or "")
        agency = service.owner_agency if service else self.agencies.get(data.get("instansi") or "")
        return Scope(
            region=self.region,
            year=data.get("tahun") or self.years[0],
            agency=agency,
            service=service,
            kecamatan=self.kecamatans.get(data.get("kecamatan") or ""),
            desa=self.villages.get(data.get("desa") or ""),
            public=self.public,
        )

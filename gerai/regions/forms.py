from django import forms
from django.utils.translation import gettext_lazy


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=gettext_lazy("Description"), max_length=150)
    is_holiday = forms.TypedChoiceField(
        label=gettext_lazy("This day is"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[("1", gettext_lazy("a day off")), ("0", gettext_lazy("a working day"))],
    )

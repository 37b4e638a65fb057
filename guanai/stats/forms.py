from django import forms
from django.utils.translation import gettext_lazy

from guanai.stats.models import ReportKind

# The browser's date input reads and writes ISO dates, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("报表"), choices=ReportKind.choices)
    division = forms.ModelChoiceField(label=gettext_lazy("区划"), queryset=None, empty_label=None)
    period_start = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE)
    period_end = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions

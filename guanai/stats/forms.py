from django import forms

from guanai.stats.models import ReportKind


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="报表", choices=ReportKind.choices)
    division = forms.ModelChoiceField(label="区划", queryset=None, empty_label=None)
    period_start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions

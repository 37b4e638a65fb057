"""Small forms: a receipt, a hardship event, their ends, and the gap list's filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from guanai.geo.models import Division
from guanai.rules.choices import Benefit
from guanai.rules.models import BenefitReceipt, HardshipEvent

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReceiptForm(forms.ModelForm):
    required_css_class = "required"
    error_css_class = "error"

    class Meta:
        model = BenefitReceipt
        fields = ["benefit", "start_on", "end_on", "monthly_amount", "note"]
        widgets = {"start_on": DATE_WIDGET, "end_on": DATE_WIDGET}


class EventForm(forms.ModelForm):
    required_css_class = "required"
    error_css_class = "error"

    class Meta:
        model = HardshipEvent
        fields = ["kind", "occurred_on", "ended_on", "description", "other_assistance"]
        widgets = {
            "occurred_on": DATE_WIDGET,
            "ended_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _(
                "突发事件、意外伤害、重大疾病、其他特殊困难为临时困境;虐待、遗弃、监护不当为监护困境"
            ),
            "ended_on": _("未填写时,临时困境按规则参数的期限(默认 6 个月)计"),
            "other_assistance": _("已获得低保、特困供养等其他生活救助的,不再列入临时救助名单"),
        }


class EndForm(forms.Form):
    """The day a benefit stopped or a hardship ended."""

    on = forms.DateField(label=gettext_lazy("日期"), widget=DATE_WIDGET, initial=timezone.localdate)


class GapFilterForm(forms.Form):
    LISTS = [("unreceived", _("应保未保")), ("unentitled", _("已不符合仍在享受"))]

    which = forms.ChoiceField(label=gettext_lazy("名单"), choices=LISTS, required=False)
    division = forms.ModelChoiceField(
        queryset=Division.objects.none(),
        label=gettext_lazy("区划"),
        required=False,
        empty_label=gettext_lazy("全部"),
    )
    benefit = forms.ChoiceField(
        label=gettext_lazy("保障待遇"), choices=[("", _("全部")), *Benefit.choices], required=False
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if divisions is not None:
            self.fields["division"].queryset = divisions

"""Forms for proposals, decisions and payment lists. Meaning is checked in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from guanai.registry.forms import DATE_WIDGET
from guanai.rules.choices import Benefit

MONTHLY = [(b.value, b.label) for b in Benefit]


class ProposeForm(forms.Form):
    required_css_class = "required"
    benefit = forms.ChoiceField(label=gettext_lazy("保障待遇"), choices=MONTHLY)
    note = forms.CharField(label=gettext_lazy("申报说明"), max_length=300, required=False)


class DecideForm(forms.Form):
    required_css_class = "required"
    decision = forms.ChoiceField(
        label=gettext_lazy("审批"),
        choices=[("approve", _("批准")), ("refuse", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    start_on = forms.DateField(
        label=gettext_lazy("开始享受日期"),
        widget=DATE_WIDGET,
        required=False,
        initial=timezone.localdate,
    )
    monthly_amount = forms.CharField(
        label=gettext_lazy("月发放金额(元)"), max_length=20, required=False
    )
    off_table_reason = forms.CharField(
        label=gettext_lazy("金额与标准不同的理由"), max_length=300, required=False
    )
    note = forms.CharField(label=gettext_lazy("审批意见"), max_length=300, required=False)


class FreezeForm(forms.Form):
    required_css_class = "required"
    benefit = forms.ChoiceField(label=gettext_lazy("保障待遇"), choices=MONTHLY)
    month = forms.DateField(
        label=gettext_lazy("发放月份(任一天)"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    note = forms.CharField(
        label=gettext_lazy("更正说明(重新生成时填写)"), max_length=300, required=False
    )


class StopForm(forms.Form):
    required_css_class = "required"
    end_on = forms.DateField(label=gettext_lazy("停发日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=gettext_lazy("停发原因"), max_length=300)

"""Forms for rehabilitation assistance, laid out for phones. Meaning is checked in services.py;
amounts stay text here so that the service names the field of a wrong one."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanai.disability.models import REHAB_CATEGORIES, Device, Kind, Residence, Status
from guanai.registry.choices import DisabilityCategory
from guanai.registry.forms import DATE_WIDGET

CATEGORY_CHOICES = [("", gettext_lazy("请选择"))] + [(c.value, c.label) for c in REHAB_CATEGORIES]


class ApplicationForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    kind = forms.ChoiceField(label=gettext_lazy("救助项目"), choices=Kind.choices)
    category = forms.ChoiceField(
        label=gettext_lazy("残疾类别"), choices=CATEGORY_CHOICES, required=False
    )
    device = forms.ChoiceField(
        label=gettext_lazy("辅助器具(适配时)"),
        choices=[("", "—")] + list(Device.choices),
        required=False,
    )
    applicant_name = forms.CharField(label=gettext_lazy("申请人姓名"), max_length=50)
    applicant_relation = forms.CharField(
        label=gettext_lazy("与儿童关系"), max_length=30, initial="监护人"
    )
    is_delegate = forms.BooleanField(label=gettext_lazy("受监护人委托代为申请"), required=False)
    applicant_id_number = forms.CharField(
        label=gettext_lazy("申请人身份证号"), max_length=18, required=False
    )
    residence = forms.ChoiceField(label=gettext_lazy("居住依据"), choices=Residence.choices)
    diagnosis = forms.CharField(
        label=gettext_lazy("诊断意见"), widget=forms.Textarea(attrs={"rows": 3})
    )
    applied_on = forms.DateField(
        label=gettext_lazy("申请日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        category = getattr(child, "disability_category", "")
        if category in DisabilityCategory.values and category in [
            c.value for c in REHAB_CATEGORIES
        ]:
            self.fields["category"].initial = category


class ReferForm(forms.Form):
    required_css_class = "required"
    institution = forms.ModelChoiceField(
        label=gettext_lazy("定点康复机构"), queryset=None, empty_label=gettext_lazy("请选择")
    )
    on = forms.DateField(
        label=gettext_lazy("转介日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ProgressForm(forms.Form):
    required_css_class = "required"
    status = forms.ChoiceField(
        label=gettext_lazy("新状态"),
        choices=[(s.value, s.label) for s in (Status.IN_SERVICE, Status.DROPPED, Status.CLOSED)],
    )
    on = forms.DateField(label=gettext_lazy("日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(
        label=gettext_lazy("说明(退出须填原因)"), max_length=200, required=False
    )
    assessment = forms.CharField(
        label=gettext_lazy("康复评估(签订协议时)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    plan = forms.CharField(
        label=gettext_lazy("康复计划(签订协议时)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ClaimForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    period_start = forms.DateField(label=gettext_lazy("结算期起"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=gettext_lazy("结算期止"), widget=DATE_WIDGET)
    months = forms.IntegerField(
        label=gettext_lazy("实际训练月数(训练、早期干预)"), required=False, min_value=0
    )
    cost = forms.CharField(label=gettext_lazy("总费用(元)"), max_length=20)
    insurance_paid = forms.CharField(
        label=gettext_lazy("基本医保支付(元)"), max_length=20, required=False
    )
    critical_paid = forms.CharField(
        label=gettext_lazy("大病保险支付(元)"), max_length=20, required=False
    )
    supplementary_paid = forms.CharField(
        label=gettext_lazy("补充保险支付(元)"), max_length=20, required=False
    )
    medical_aid_paid = forms.CharField(
        label=gettext_lazy("医疗救助支付(元)"), max_length=20, required=False
    )
    issued_free = forms.BooleanField(label=gettext_lazy("该器具已由残联免费发放"), required=False)


class CheckForm(forms.Form):
    checker = forms.CharField(label=gettext_lazy("机构核对人"), max_length=50, required=False)


class InstitutionForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    name = forms.CharField(label=gettext_lazy("机构名称"), max_length=100)
    services = forms.CharField(label=gettext_lazy("服务项目"), max_length=200, required=False)
    prices = forms.CharField(label=gettext_lazy("收费标准"), max_length=200, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("服务能力(名额)"), min_value=0, initial=0)
    agreement_start = forms.DateField(
        label=gettext_lazy("协议起始日期"), widget=DATE_WIDGET, required=False
    )
    agreement_end = forms.DateField(
        label=gettext_lazy("协议截止日期"), widget=DATE_WIDGET, required=False
    )


class TeachingForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    school_year = forms.IntegerField(
        label=gettext_lazy("学年(起始年份,如 2026 即 2026-2027 学年)"),
        min_value=2000,
        max_value=2100,
    )
    start_date = forms.DateField(label=gettext_lazy("送教开始日期"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=gettext_lazy("送教截止日期"), widget=DATE_WIDGET)
    teacher_name = forms.CharField(label=gettext_lazy("送教教师"), max_length=50)
    school = forms.CharField(label=gettext_lazy("送教学校"), max_length=100, required=False)
    guardian_name = forms.CharField(label=gettext_lazy("签订协议的监护人"), max_length=50)
    signed_on = forms.DateField(
        label=gettext_lazy("协议签订日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    voluntary = forms.BooleanField(
        label=gettext_lazy("家长自愿接受送教,已签订协议"), required=False
    )
    situation = forms.CharField(
        label=gettext_lazy("儿童基本情况"), widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.CharField(
        label=gettext_lazy("个别化教育计划"), widget=forms.Textarea(attrs={"rows": 4})
    )


class VisitForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    day = forms.DateField(
        label=gettext_lazy("送教日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    hours = forms.CharField(label=gettext_lazy("课时"), max_length=10, initial="2")
    teacher_name = forms.CharField(
        label=gettext_lazy("送教教师(不填为协议教师)"), max_length=50, required=False
    )
    content = forms.CharField(
        label=gettext_lazy("教学内容与情况"), widget=forms.Textarea(attrs={"rows": 3})
    )

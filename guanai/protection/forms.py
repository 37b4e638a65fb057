"""Forms for protection cases, laid out for phones. Validation of meaning is in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import Message, worded
from guanai.protection.choices import (
    ASSESSMENT_AREAS,
    CaseKind,
    Channel,
    Grade,
    InterventionKind,
    MeasureKind,
    Source,
    StepKind,
)
from guanai.registry.forms import DATE_WIDGET

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _now() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=DATETIME_FORMAT)


def when_field(label: Message, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        initial=_now if required else None,
    )


class PhoneForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"


class ReportForm(PhoneForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("情形"), choices=[("", _("请选择"))] + CaseKind.choices
    )
    description = forms.CharField(label=gettext_lazy("情况描述"), widget=TEXTAREA, max_length=4000)
    grade = forms.ChoiceField(
        label=gettext_lazy("初判风险等级"), choices=Grade.choices, initial=Grade.YELLOW
    )
    happened_at = when_field(_("发生时间"), required=False)
    place = forms.CharField(label=gettext_lazy("发生地点"), max_length=200, required=False)
    source = forms.ChoiceField(
        label=gettext_lazy("发现途径"), choices=[("", _("请选择"))] + Source.choices
    )
    channel = forms.ChoiceField(label=gettext_lazy("来源渠道"), choices=Channel.choices)
    reporter_name = forms.CharField(label=gettext_lazy("报告人"), max_length=50)
    reporter_institution = forms.CharField(
        label=gettext_lazy("报告人单位"), max_length=100, required=False
    )
    reporter_contact = forms.CharField(
        label=gettext_lazy("联系方式"), max_length=50, required=False
    )


class GradeForm(PhoneForm):
    grade = forms.ChoiceField(label=gettext_lazy("风险等级"), choices=Grade.choices)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=300)


class AssignForm(PhoneForm):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("承办人"), queryset=None, empty_label=gettext_lazy("请选择")
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.display_name}({u.role_label},{u.division.name if u.division else ''})"
        )


class StepForm(PhoneForm):
    kind = forms.ChoiceField(label=gettext_lazy("步骤"), choices=StepKind.choices)
    done_at = when_field(_("时间"))
    text = forms.CharField(
        label=gettext_lazy("情况"), widget=TEXTAREA, max_length=4000, required=False
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("应急措施"), choices=[("", "—")] + MeasureKind.choices, required=False
    )
    intervention = forms.ChoiceField(
        label=gettext_lazy("监护干预"),
        choices=[("", "—")] + InterventionKind.choices,
        required=False,
    )
    institution = forms.CharField(label=gettext_lazy("机构"), max_length=100, required=False)
    start_on = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE_WIDGET, required=False)
    end_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE_WIDGET, required=False)
    follow_up_days = forms.IntegerField(
        label=gettext_lazy("回访间隔(天,帮扶计划)"), min_value=1, max_value=180, required=False
    )
    document = forms.FileField(label=gettext_lazy("文书(PDF/图片)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ASSESSMENT_AREAS:  # the assessment's scores, 0-3 each
            self.fields[key] = forms.ChoiceField(
                label=worded(_("评估:%(item)s"), item=label),
                choices=[
                    ("", "—"),
                    ("0", _("0 无")),
                    ("1", _("1 轻")),
                    ("2", _("2 中")),
                    ("3", _("3 重")),
                ],
                required=False,
            )

    def scores(self) -> dict:
        return {key: self.cleaned_data.get(key) or "" for key, _ in ASSESSMENT_AREAS}


class TaskForm(PhoneForm):
    title = forms.CharField(label=gettext_lazy("任务"), max_length=200)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("责任人"), queryset=None, empty_label=gettext_lazy("请选择")
    )
    due_on = forms.DateField(label=gettext_lazy("完成期限"), widget=DATE_WIDGET)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = workers
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.display_name}({u.get_department_display() or u.role_label})"
        )


class ReviewForm(PhoneForm):
    review = forms.CharField(label=gettext_lazy("结案审核意见"), widget=TEXTAREA, max_length=2000)


class ReopenForm(PhoneForm):
    reason = forms.CharField(label=gettext_lazy("重新打开的理由"), max_length=300)


class TaskDoneForm(PhoneForm):
    note = forms.CharField(label=gettext_lazy("完成情况"), widget=TEXTAREA, max_length=2000)

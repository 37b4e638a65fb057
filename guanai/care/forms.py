"""Forms for care work, laid out for phones. Validation of meaning is in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanai.care.models import Activity, CarerKind, Severity
from guanai.registry.forms import DATE_WIDGET

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class PairingForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    carer = forms.ModelChoiceField(
        label=gettext_lazy("结对人"), queryset=None, empty_label=gettext_lazy("请选择")
    )
    kind = forms.ChoiceField(label=gettext_lazy("结对类型"), choices=CarerKind.choices)
    start_date = forms.DateField(
        label=gettext_lazy("开始日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    end_date = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args, carers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers
        self.fields["carer"].label_from_instance = lambda u: (
            f"{u.display_name}({u.role_label},{u.division.name if u.division else ''})"
        )


class PairingEndForm(forms.Form):
    required_css_class = "required"
    end_date = forms.DateField(
        label=gettext_lazy("结束日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    reason = forms.CharField(label=gettext_lazy("结束原因"), max_length=200, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CareRecordForm(forms.Form):
    """The one-tap record: activity and date first; everything else optional, folded away."""

    required_css_class = "required"
    error_css_class = "error"
    MAIN = ["activity", "date", "place", "present", "mood", "problems", "severity"]
    MORE = [
        "study",
        "daily_life",
        "friends",
        "health",
        "help_given",
        "follow_up",
        "follow_up_needed",
        "photos",
    ]

    activity = forms.ChoiceField(label=gettext_lazy("活动"), choices=Activity.choices)
    date = forms.DateField(
        label=gettext_lazy("日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100, required=False)
    present = forms.CharField(label=gettext_lazy("在场人员"), max_length=200, required=False)
    mood = forms.CharField(label=gettext_lazy("情绪"), required=False, widget=TEXTAREA)
    problems = forms.CharField(label=gettext_lazy("发现的问题"), required=False, widget=TEXTAREA)
    severity = forms.ChoiceField(
        label=gettext_lazy("问题程度"), choices=Severity.choices, initial=Severity.NONE
    )
    study = forms.CharField(label=gettext_lazy("学习情况"), required=False, widget=TEXTAREA)
    daily_life = forms.CharField(label=gettext_lazy("生活情况"), required=False, widget=TEXTAREA)
    friends = forms.CharField(label=gettext_lazy("交友"), required=False, widget=TEXTAREA)
    health = forms.CharField(label=gettext_lazy("身体状况"), required=False, widget=TEXTAREA)
    help_given = forms.CharField(label=gettext_lazy("提供的帮助"), required=False, widget=TEXTAREA)
    follow_up = forms.CharField(label=gettext_lazy("需跟进事项"), required=False, widget=TEXTAREA)
    follow_up_needed = forms.BooleanField(label=gettext_lazy("需要跟进"), required=False)
    photos = MultipleImageField(label=gettext_lazy("照片"), required=False)

    def main_fields(self):
        return [self[name] for name in self.MAIN]

    def more_fields(self):
        return [self[name] for name in self.MORE]


class FlagHandleForm(forms.Form):
    required_css_class = "required"
    note = forms.CharField(label=gettext_lazy("处理情况"), widget=TEXTAREA)


class TermForm(forms.Form):
    required_css_class = "required"
    error_css_class = "error"
    name = forms.CharField(label=gettext_lazy("学期名称"), max_length=50)
    start = forms.DateField(label=gettext_lazy("开学日期"), widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE_WIDGET)


class PeriodForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

"""The child-file form: one page for child, household, parents and guardian, laid out for phones."""

import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import Message, worded
from guanai.core.phones import PhoneField
from guanai.geo.models import Division
from guanai.registry.choices import (
    AgeBand,
    AttachmentKind,
    InactiveReason,
    ParentRole,
    ParentStatus,
    SchoolStage,
)
from guanai.registry.extensions import child_list_filters
from guanai.registry.models import Child, Guardian, Household, Parent
from guanai.registry.presenters import UNKNOWN
from guanai.registry.services import (
    CHILD_FIELDS,
    GUARDIAN_FIELDS,
    HOUSEHOLD_FIELDS,
    PARENT_FIELDS,
    PARENT_STATUS_NEEDS,
)

PARENT_ESSENTIALS = ["status", *dict(PARENT_STATUS_NEEDS.values())]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _formfield(model, name: str, *, label: str | None = None) -> forms.Field:
    model_field = model._meta.get_field(name)
    if name.endswith("phone"):
        field = PhoneField(label=model_field.verbose_name, max_length=model_field.max_length)
    else:
        field = model_field.formfield()
    if isinstance(field, forms.DateField):
        field.widget = DATE_WIDGET
    if label:
        field.label = label
    field.required = False
    return field


# The few facts a director registers a child with; the rest can be completed later.
ESSENTIALS = [
    "village",
    "name",
    "id_number",
    "birth_date",
    "sex",
    *[f"{role.value}_{f}" for role in ParentRole for f in PARENT_ESSENTIALS],
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "household_phone",
]


class ChildFileForm(forms.Form):
    """The file on one page: the essentials open, the other sections folded until needed."""

    required_css_class = "required"
    error_css_class = "error"

    SECTIONS = [
        (_("家庭"), [*HOUSEHOLD_FIELDS]),
        *[(role.label, [f"{role.value}_{f}" for f in PARENT_FIELDS]) for role in ParentRole],
        (_("监护人"), [f"guardian_{f}" for f in GUARDIAN_FIELDS]),
        (
            _("就学"),
            ["school_stage", "school", "class_name", "class_teacher", "class_teacher_phone"],
        ),
        (
            _("残疾与健康"),
            [
                "disability_category",
                "disability_grade",
                "disability_cert_number",
                "serious_illness",
            ],
        ),
        (_("其他"), ["ethnicity", "phone", "lives_with_parents", "hobbies", "notes"]),
    ]

    def __init__(self, *args, villages=None, schools=None, check_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"] = forms.ModelChoiceField(
                queryset=villages, label=_("所在村(居)"), empty_label=_("请选择")
            )
        for name in CHILD_FIELDS:
            self.fields[name] = _formfield(Child, name)
        self.fields["id_number"] = forms.CharField(
            label=_("身份证号"),
            max_length=20,
            required=False,
            help_text=_("填写后自动核对出生日期和性别;暂无可留空"),
            widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
        )
        self.fields["name"].required = True
        if schools is not None:
            self.fields["school"].queryset = schools
        for key, field in HOUSEHOLD_FIELDS.items():
            self.fields[key] = _formfield(Household, field)
        for role in ParentRole:
            for name in PARENT_FIELDS:
                field = _formfield(
                    Parent,
                    name,
                    label=worded(
                        _("%(parent)s%(field)s"),
                        parent=role.label,
                        field=Parent._meta.get_field(name).verbose_name,
                    ),
                )
                self.fields[f"{role.value}_{name}"] = field
        for name in GUARDIAN_FIELDS:
            self.fields[f"guardian_{name}"] = _formfield(Guardian, name)
        self.fields["guardian_name"].label = _("监护人姓名")
        self.fields["guardian_phone"].label = _("监护人电话")
        self.fields["guardian_capacity"].label = _("监护人监护能力")
        self.fields["guardian_relation"].label = _("监护人与儿童关系")
        self.fields["school_stage"].choices = [("", UNKNOWN), *SchoolStage.choices]
        self.defaults = {
            **{n: _default(Child, n) for n in CHILD_FIELDS},
            **{k: _default(Household, f) for k, f in HOUSEHOLD_FIELDS.items()},
            **{f"{r.value}_{n}": _default(Parent, n) for r in ParentRole for n in PARENT_FIELDS},
            **{f"guardian_{n}": _default(Guardian, n) for n in GUARDIAN_FIELDS},
        }
        self.fields["confirm_warnings"] = forms.BooleanField(
            label=_("已核实以上情况属实"), required=False
        )
        self.order_fields([*ESSENTIALS, *(name for _, names in self.SECTIONS for name in names)])
        if check_url:
            for name in self.checked_fields():
                self.fields[name].widget.attrs.update(_check_attrs(check_url, name))

    def checked_fields(self) -> list[str]:
        """What is checked as it is typed: the ID numbers, the dates and the phones."""
        return [
            name
            for name, field in self.fields.items()
            if name.endswith("id_number") or isinstance(field, forms.DateField | PhoneField)
        ]

    def conditions(self) -> dict[str, tuple[str, str, Message]]:
        """Fields that another's value makes required: field -> (that field, its value, words)."""
        found = {
            "birth_date": ("id_number", "", _("没有身份证号时必填")),
            "sex": ("id_number", "", _("没有身份证号时必填")),
        }
        for role in ParentRole:
            for status, (name, _needs) in PARENT_STATUS_NEEDS.items():
                found[f"{role.value}_{name}"] = (
                    f"{role.value}_status",
                    status,
                    worded(_("%(status)s时必填"), status=ParentStatus(status).label),
                )
        return found

    def clean(self):
        data = super().clean()
        # Unticked checkboxes and empty selects come back as False/""; the model defaults decide.
        for key in (
            "hukou_type",
            "economic_status",
            *(f"{r.value}_status" for r in ParentRole),
            *(f"{r.value}_guardianship_capacity" for r in ParentRole),
            "guardian_capacity",
        ):
            if key in data and not data[key]:
                data.pop(key)
        return data

    def sections(self) -> list[dict]:
        """The essentials, then each folded section (opened where an error is), with the
        fields' conditions and how many of them hold a value."""
        conditions = self.conditions()
        essential = set(ESSENTIALS)
        parts = [(_("基本信息"), ESSENTIALS, True)]
        parts += [
            (title, [n for n in names if n not in essential], False)
            for title, names in self.SECTIONS
        ]
        shown = []
        for title, names, first in parts:
            fields = [(self[name], conditions.get(name)) for name in names if name in self.fields]
            shown.append(
                {
                    "title": title,
                    "fields": fields,
                    "essential": first,
                    "open": first or any(bound.errors for bound, _ in fields),
                    "filled": sum(1 for bound, _ in fields if self._filled(bound)),
                }
            )
        return shown

    def _filled(self, bound) -> bool:
        """Holds something other than nothing or the model's default (在家, 农业户口, 汉族)."""
        value = bound.value()
        return value not in (None, "", False, []) and str(value) != self.defaults.get(bound.name)

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error of the page, as (anchor of its field or "", words), in the page's order."""
        summary = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                said = worded(
                    _("%(label)s:%(error)s"), label=self.fields[name].label, error=message
                )
                summary.append((self[name].id_for_label, str(said)))
        return summary


def _default(model, name: str) -> str:
    default = model._meta.get_field(name).get_default()
    return "" if default is None else str(default)


def _check_attrs(url: str, name: str) -> dict[str, str]:
    """htmx: on change, post the form to the check and put its words under the field."""
    return {
        "hx-post": url,
        "hx-trigger": "change",
        "hx-include": "closest form",
        "hx-target": f"#check-{name}",
        "hx-vals": json.dumps({"_check": name}),
        "aria-describedby": f"check-{name}",
    }


def initial_from_child(child: Child) -> dict:
    initial = {name: getattr(child, name) for name in CHILD_FIELDS}
    initial["id_number"] = child.id_number or ""
    initial["school"] = child.school_id
    for key, field in HOUSEHOLD_FIELDS.items():
        initial[key] = getattr(child.household, field)
    for role in ParentRole:
        parent = getattr(child, role.value)
        if parent is not None:
            for name in PARENT_FIELDS:
                initial[f"{role.value}_{name}"] = getattr(parent, name)
    guardian = next(iter(child.guardians.all()), None)
    if guardian is not None:
        for name in GUARDIAN_FIELDS:
            initial[f"guardian_{name}"] = getattr(guardian, name)
    return initial


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(label=_("注销原因"), choices=InactiveReason.choices)
    on = forms.DateField(label=_("注销日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("姓名/拼音/身份证号"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("张三 / zhangsan / zs / 身份证后四位"), "type": "search"}
        ),
    )
    division = forms.ModelChoiceField(
        queryset=Division.objects.none(), label=_("地区"), required=False, empty_label=_("全部")
    )
    include_inactive = forms.BooleanField(label=_("含已注销"), required=False)
    missing_id = forms.BooleanField(label=_("缺身份证号"), required=False)
    missing_guardian = forms.BooleanField(label=_("缺监护人"), required=False)
    age_band = forms.ChoiceField(
        label=_("年龄段"), choices=[("", _("全部")), *AgeBand.choices], required=False
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if divisions is not None:
            self.fields["division"].queryset = divisions
        for extra in child_list_filters():  # what other apps add (the rules' category)
            self.fields[extra.key] = forms.ChoiceField(
                label=extra.label, choices=[("", _("全部")), *extra.choices()], required=False
            )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AttachmentKind.choices)
    upload = forms.FileField(
        label=_("文件"),
        help_text=_("JPEG、PNG、WebP 图片或 PDF,不超过 10 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)

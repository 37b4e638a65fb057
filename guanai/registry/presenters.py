"""The child's file arranged for display (page, PDF), with sensitive fields masked by role."""

from dataclasses import dataclass, field

from django.utils import timezone

from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.registry.choices import ParentRole
from guanai.registry.history import display_value
from guanai.registry.masking import mask_field
from guanai.registry.models import Child, Guardian, Household, Parent
from guanai.registry.services import HOUSEHOLD_FIELDS


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    sensitive: bool = False
    key: str = ""  # what accounts.permissions.can_see_file_section asks about


def age_on(birth_date, on) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


UNKNOWN = "未填写"
# Blank, these are not known yet and the page says so (未填写); other blanks are left out.
SHOWN_BLANK = {
    "ethnicity",
    "address",
    "name",
    "status",
    "relation",
    "school_stage",
    "school",
    "phone",
}


def _rows(instance, model, names, reveal: bool) -> list[tuple[str, str]]:
    rows = []
    for name in names:
        f = model._meta.get_field(name)
        value = display_value(instance, f)
        if value == "" and name in SHOWN_BLANK:
            rows.append((str(f.verbose_name), UNKNOWN))
            continue
        if value == "" or value == "否" and name in ("has_aids", "poverty_registered"):
            continue
        if not reveal:
            value = mask_field(name, value)
        rows.append((str(f.verbose_name), value))
    return rows


SCHOOL_FIELDS = ["school_stage", "school", "class_name", "class_teacher", "class_teacher_phone"]
HEALTH_SECTION_FIELDS = [
    "disability_category",
    "disability_grade",
    "disability_cert_number",
    "serious_illness",
]
NOTE_FIELDS = ["hobbies", "notes"]


def file_key_section(key: str) -> str:
    """The section of the file page that a flat key of the page form and the API belongs to."""
    for role in ParentRole:
        if key.startswith(f"{role.value}_"):
            return role.value
    if key.startswith("guardian_"):
        return "guardians"
    if key in HOUSEHOLD_FIELDS:
        return "household"
    if key in SCHOOL_FIELDS:
        return "school"
    if key in HEALTH_SECTION_FIELDS:
        return "health"
    if key in NOTE_FIELDS:
        return "notes"
    return "basic"


def child_file_view(user: User, child: Child, *, reveal: bool = False) -> list[Section]:
    today = timezone.localdate()
    basic = Section(
        "基本信息",
        [("所在村(居)", child.division.name), ("年龄", f"{age_on(child.birth_date, today)} 岁")],
        key="basic",
    )
    basic.rows += _rows(
        child, Child, ["name", "sex", "birth_date", "ethnicity", "id_number", "phone"], reveal
    )
    if not child.id_number:
        basic.rows.append(("身份证号", "未登记(待补录)"))
    if not child.is_active:
        basic.rows += _rows(child, Child, ["inactive_reason", "inactive_on", "inactive_note"], True)
    sections = [basic]
    sections.append(
        Section(
            "家庭",
            _rows(
                child.household,
                Household,
                [
                    "address",
                    "phone",
                    "hukou_type",
                    "hukou_address",
                    "economic_status",
                    "poverty_registered",
                ],
                reveal,
            ),
            key="household",
        )
    )
    for role, key, parent in (("父亲", "father", child.father), ("母亲", "mother", child.mother)):
        rows = _rows(parent, Parent, Parent.FILE_FIELDS, reveal) if parent else [("情况", "未登记")]
        sections.append(Section(role, rows, key=key))
    guardians: list[Guardian] = list(child.guardians.all())
    rows = []
    for g in guardians:
        rows += _rows(g, Guardian, ["name", "relation", "phone", "capacity", "address"], reveal)
    sections.append(Section("监护人", rows or [("情况", "未登记")], key="guardians"))
    sections.append(
        Section(
            "就学",
            _rows(
                child,
                Child,
                SCHOOL_FIELDS,
                reveal,
            ),
            key="school",
        )
    )
    sections.append(
        Section(
            "残疾与健康",
            _rows(child, Child, HEALTH_SECTION_FIELDS, reveal),
            sensitive=True,
            key="health",
        )
    )
    sections.append(Section("兴趣与备注", _rows(child, Child, NOTE_FIELDS, True), key="notes"))
    return [s for s in sections if permissions.can_see_file_section(user, s.key)]

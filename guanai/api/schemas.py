"""Bodies of the JSON API.

A child's file travels in the vocabulary of the page form (`ChildFileForm`): the same flat keys
(`father_status`, `household_address`, `guardian_phone`, ...), typed from the form's own fields.
A client can read a file, change a field and send that field back, and the API validates writes
with the form itself, so the page and the API accept exactly the same files.
"""

from datetime import date, datetime
from typing import Any, Literal

from django import forms
from ninja import Field, Schema
from pydantic import create_model

from guanai.registry.forms import ChildFileForm, DeactivateForm, initial_from_child
from guanai.registry.masking import HEALTH_FIELDS, mask_field
from guanai.registry.models import Child, Household

SENSITIVE_ENDINGS = ("id_number", "phone", *HEALTH_FIELDS)
VILLAGE_CODE = r"^\d{12}$"


def _python_type(field: forms.Field, *, output: bool) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.ChoiceField):
        values = tuple(value for value, _ in field.choices if value != "")
        if output:  # masked values do not belong to the choices
            return int if all(isinstance(v, int) for v in values) else str
        return Literal[values]
    if isinstance(field, forms.DateField):
        return date
    if isinstance(field, forms.BooleanField):
        return bool
    return str


def form_schema(
    name: str, form: forms.Form, *, partial: bool = False, output: bool = False, **extra: Any
) -> type[Schema]:
    """A schema with one optional field per form field (required where the form requires it)."""
    fields: dict[str, Any] = {}
    for key, field in form.fields.items():
        python_type = _python_type(field, output=output)
        limits = (
            {}
            if output or not getattr(field, "max_length", None)
            else {"max_length": field.max_length}
        )
        description = str(field.label or key)
        if field.required and not partial and not output:
            fields[key] = (python_type, Field(..., description=description, **limits))
        else:
            fields[key] = (python_type | None, Field(None, description=description, **limits))
    return create_model(name, __base__=Schema, **extra, **fields)


ChildIn = form_schema(
    "ChildIn",
    ChildFileForm(),
    village=(
        str | None,
        Field(
            None,
            pattern=VILLAGE_CODE,
            description="所在村(居)的 12 位区划代码;儿童主任可省略,默认本村",
        ),
    ),
)
ChildPatch = form_schema(
    "ChildPatch",
    ChildFileForm(),
    partial=True,
    version=(int, Field(..., description="读取档案时的版本号(乐观锁):期间有人保存过则返回 409")),
)
DeactivateIn = form_schema("DeactivateIn", DeactivateForm())
ChildFile = form_schema(
    "ChildFile",
    ChildFileForm(),
    output=True,
    id=(int, ...),
    version=(int, ...),
    village=(str, Field(..., description="所在村(居)的 12 位区划代码")),
    village_name=(str, ...),
    household_id=(int, ...),
    is_active=(bool, ...),
    inactive_reason=(str, ""),
    inactive_on=(date | None, None),
    inactive_note=(str, ""),
    created_at=(datetime, ...),
    updated_at=(datetime, ...),
    masked=(
        bool,
        Field(
            ...,
            description="身份证号、电话、残疾与健康信息已遮蔽(文字为 ******,数字与是否项为 null)",
        ),
    ),
)


def is_sensitive(key: str) -> bool:
    return key.endswith(SENSITIVE_ENDINGS)


def masked(key: str, value: Any) -> Any:
    """The value as a role without the reveal permission sees it."""
    if value in (None, "") or not is_sensitive(key):
        return value
    return mask_field(key, value) if isinstance(value, str) else None


def child_file(child: Child, *, reveal: bool) -> dict[str, Any]:
    values = initial_from_child(child)
    if not reveal:
        values = {key: masked(key, value) for key, value in values.items()}
    return values | {
        "id": child.pk,
        "version": child.version,
        "village": child.division_code,
        "village_name": child.division.name,
        "household_id": child.household_id,
        "is_active": child.is_active,
        "inactive_reason": child.inactive_reason,
        "inactive_on": child.inactive_on,
        "inactive_note": child.inactive_note,
        "created_at": child.created_at,
        "updated_at": child.updated_at,
        "masked": not reveal,
    }


class ChildQuery(Schema):
    q: str = Field(
        "", max_length=50, description="姓名、拼音、首字母或身份证号(含后几位),与页面搜索相同"
    )
    division: str = Field("", pattern=r"^\d{0,12}$", description="区划代码前缀:乡镇 9 位、村 12 位")
    include_inactive: bool = Field(False, description="含已注销档案")
    missing_id: bool = Field(False, description="只看缺身份证号的档案")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class HouseholdQuery(Schema):
    division: str = Field("", pattern=r"^\d{0,12}$", description="区划代码前缀:乡镇 9 位、村 12 位")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class InVillage(Schema):
    """Rows that belong to a village (`division_code`, `division`)."""

    village: str = Field(description="所在村(居)的 12 位区划代码")
    village_name: str

    @staticmethod
    def resolve_village(row: Child | Household) -> str:
        return row.division_code

    @staticmethod
    def resolve_village_name(row: Child | Household) -> str:
        return row.division.name


class ChildSummary(InVillage):
    id: int
    name: str
    sex: str
    birth_date: date
    id_number: str | None = Field(None, description="遮蔽后的身份证号;未登记为 null")
    household_id: int
    school_stage: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_id_number(child: Child) -> str | None:
        return masked("id_number", child.id_number) or None


class ChildPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ChildSummary]


class HouseholdOut(InVillage):
    id: int
    address: str
    phone: str = Field(description="遮蔽后的家庭联系电话")
    hukou_type: str
    hukou_region_code: str
    hukou_address: str
    economic_status: str
    poverty_registered: bool
    version: int

    @staticmethod
    def resolve_phone(household: Household) -> str:
        return masked("phone", household.phone)


class HouseholdDetail(HouseholdOut):
    # Set by the view from the scoped selector; never read from the unscoped relation.
    child_ids: list[int] = Field(description="该家庭中在您管辖范围内的儿童编号")


class HouseholdPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HouseholdOut]


class Problem(Schema):
    detail: str
    field: str | None = None

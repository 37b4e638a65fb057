"""Bodies of the JSON API.

A child's file travels in the vocabulary of the page form (`ChildFileForm`): the same flat keys
(`father_status`, `household_address`, `guardian_phone`, ...), typed from the form's own fields.
A client can read a file, change a field and send that field back, and the API validates writes
with the form itself, so the page and the API accept exactly the same files.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django import forms
from ninja import Field, Schema
from pydantic import BeforeValidator, create_model
from pydantic_core import PydanticCustomError

from guanai.core import phones
from guanai.core.params import MAX_ID
from guanai.core.phones import PhoneField
from guanai.registry import idnumber
from guanai.registry.forms import ChildFileForm, DeactivateForm, initial_from_child
from guanai.registry.masking import HEALTH_FIELDS, mask_field
from guanai.registry.models import Child, Household

SENSITIVE_ENDINGS = ("id_number", "phone", *HEALTH_FIELDS)
VILLAGE_CODE = r"^\d{12}$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# Far beyond any county's rows, and inside every database's 64-bit integers.
MAX_OFFSET = 1_000_000_000


def _iso_date_text(value: Any) -> Any:
    """Dates travel as YYYY-MM-DD strings: pydantic alone would read 0 as 1970-01-01."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # from Python callers (tests, the service layer), not from JSON
    if not isinstance(value, str) or not re.fullmatch(ISO_DATE, value):
        raise PydanticCustomError("iso_date", "应为 YYYY-MM-DD 格式的日期字符串")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


def _python_type(field: forms.Field, *, output: bool) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.ChoiceField):
        values = tuple(value for value, _ in field.choices if value != "")
        if output:  # masked values do not belong to the choices
            return int if all(isinstance(v, int) for v in values) else str
        return Literal[values]
    if isinstance(field, forms.DateField):
        return date if output else IsoDate
    if isinstance(field, forms.BooleanField):
        return bool
    return str


def _rules(key: str, field: forms.Field) -> dict[str, Any]:
    """What the form enforces on an input field, stated in the schema (pydantic checks the
    limits; patterns of numbers are published only, since the form first normalises full-width
    digits and spaces, then refuses what does not fit, 422 with the field named)."""
    if isinstance(field, forms.ModelChoiceField):
        return {"ge": 1, "le": MAX_ID}
    rules: dict[str, Any] = {}
    if getattr(field, "max_length", None):
        rules["max_length"] = field.max_length
    if isinstance(field, PhoneField):
        rules["json_schema_extra"] = {"pattern": phones.PATTERN, "examples": ["13800001111"]}
    elif key.endswith("id_number"):
        rules["json_schema_extra"] = {"pattern": idnumber.PATTERN}
    elif isinstance(field, forms.DateField):
        rules["json_schema_extra"] = {"pattern": ISO_DATE, "examples": ["2015-03-08"]}
    return rules


def _description(key: str, field: forms.Field) -> str:
    label = str(field.label or key)
    if isinstance(field, PhoneField):
        return (
            f"{label}:手机号 11 位或带区号的固定电话(如 {phones.EXAMPLES}),全角数字与空格自动规范"
        )
    if key.endswith("id_number"):
        return (
            f"{label}:18 位公民身份号码(末位可为 X,旧版 15 位自动转换),核对校验位、出生日期与地区码"
        )
    if isinstance(field, forms.DateField):
        return f"{label}:YYYY-MM-DD 格式的日期字符串"
    return label


def form_schema(
    name: str, form: forms.Form, *, partial: bool = False, output: bool = False, **extra: Any
) -> type[Schema]:
    """A schema with one optional field per form field (required where the form requires it)."""
    fields: dict[str, Any] = {}
    for key, field in form.fields.items():
        python_type = _python_type(field, output=output)
        limits = {} if output else _rules(key, field)
        description = str(field.label or key) if output else _description(key, field)
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
    version=(
        int,
        Field(
            ...,
            ge=1,
            le=MAX_ID,
            description="读取档案时的版本号(乐观锁):期间有人保存过则返回 409",
        ),
    ),
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


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="每页条数,1 到 500")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="从第几条开始(0 起);超过总数时返回空页")


class ChildQuery(PageQuery):
    q: str = Field(
        "", max_length=50, description="姓名、拼音、首字母或身份证号(含后几位),与页面搜索相同"
    )
    division: str = Field("", pattern=r"^\d{0,12}$", description="区划代码前缀:乡镇 9 位、村 12 位")
    include_inactive: bool = Field(False, description="含已注销档案")
    missing_id: bool = Field(False, description="只看缺身份证号的档案")


class HouseholdQuery(PageQuery):
    division: str = Field("", pattern=r"^\d{0,12}$", description="区划代码前缀:乡镇 9 位、村 12 位")


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

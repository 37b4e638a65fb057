"""The fields a roster can give (`ClaimField`), three ways: as a file shows them now, as a roster
row gives them, and as the registry's services take them."""

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting, unscoped
from guanai.core.errors import DomainError
from guanai.ingest.models import ClaimField, SourceRecord
from guanai.registry.choices import DisabilityCategory
from guanai.registry.models import Child, Guardian, School
from guanai.registry.services import check_id_number

# The columns `files_values` reads, in the order `_shown` takes them.
_FILE_COLUMNS = (
    "id",
    "id_number",
    "household__phone",
    "household__address",
    "school__name",
    "class_name",
    "disability_category",
    "disability_grade",
)


def files_values(actor: User | None, ids) -> dict[int, dict[str, str]]:
    """What each file the actor reaches shows now for the fields a roster can give, read in
    two queries."""
    guardians: dict[int, tuple[str, str]] = {}
    primary = scope_acting(actor, Guardian.objects.filter(child_id__in=ids, is_primary=True))
    for child_id, name, phone in primary.order_by("-id").values_list("child_id", "name", "phone"):
        guardians[child_id] = (name, phone)
    rows = scope_acting(actor, Child.objects.filter(pk__in=ids)).values_list(*_FILE_COLUMNS)
    return {row[0]: _shown(row, guardians.get(row[0])) for row in rows}


def file_values(actor: User | None, child: Child) -> dict[str, str]:
    return files_values(actor, [child.pk])[child.pk]


def _shown(row: tuple, guardian: tuple[str, str] | None) -> dict[str, str]:
    _, number, household_phone, address, school, class_name, category, grade = row
    name, phone = guardian or ("", "")
    return {
        ClaimField.ID_NUMBER: number or "",
        ClaimField.GUARDIAN: name,
        ClaimField.PHONE: phone or household_phone,
        ClaimField.ADDRESS: address,
        ClaimField.SCHOOL: school or "",
        ClaimField.CLASS_NAME: class_name,
        ClaimField.DISABILITY: disability_value(category, grade),
    }


def record_values(record: SourceRecord) -> dict[str, str]:
    """The fields a roster row gives (empty cells give nothing)."""
    v = record.values
    values = {
        ClaimField.ID_NUMBER: record.id_number,
        ClaimField.GUARDIAN: v.get("guardian", ""),
        ClaimField.PHONE: v.get("phone", ""),
        ClaimField.ADDRESS: v.get("address", ""),
        ClaimField.SCHOOL: v.get("school", ""),
        ClaimField.CLASS_NAME: v.get("class_name", ""),
        ClaimField.DISABILITY: disability_value(
            v.get("disability_category", ""), v.get("disability_grade", "")
        ),
    }
    return {f: value[:200] for f, value in values.items() if value}


def disability_value(category: str, grade: object) -> str:
    return f"{category}:{grade}" if category else ""


def disability_label(value: str) -> str:
    category, _, grade = value.partition(":")
    label = (
        DisabilityCategory(category).label if category in DisabilityCategory.values else category
    )
    return f"{label} {grade}级" if grade else label


def file_data(
    child: Child | None,
    division_code: str,
    values: dict[str, str],
    *,
    has_guardian: bool | None = None,
) -> dict:
    """Claim values as the registry's form keys; a value the file cannot take is left out.

    `has_guardian`: whether the file has a primary guardian, where the caller read it for many
    files at once (otherwise it is asked when a phone needs it)."""
    data: dict = {}
    for field, value in values.items():
        if field == ClaimField.ID_NUMBER:
            try:
                check_id_number(
                    value,
                    birth_date=child.birth_date if child else None,
                    sex=child.sex if child else None,
                )
            except DomainError:
                continue
            taken = unscoped(Child.objects.filter(id_number=value), purpose="duplicate id")
            if child is not None:
                taken = taken.exclude(pk=child.pk)
            if not taken.exists():
                data["id_number"] = value
        elif field == ClaimField.GUARDIAN:
            data["guardian_name"] = value
        elif field == ClaimField.PHONE:
            if has_guardian is None:
                has_guardian = (
                    child is not None and child.guardians.filter(is_primary=True).exists()
                )
            to_guardian = ClaimField.GUARDIAN in values or has_guardian
            data["guardian_phone" if to_guardian else "household_phone"] = value
        elif field == ClaimField.ADDRESS:
            data["household_address"] = value
        elif field == ClaimField.SCHOOL:
            school = school_named(division_code, value)
            if school is not None:
                data["school"] = school
        elif field == ClaimField.CLASS_NAME:
            data["class_name"] = value
        elif field == ClaimField.DISABILITY:
            category, _, grade = value.partition(":")
            if grade:
                data["disability_category"], data["disability_grade"] = category, int(grade)
    return data


def data_takes(field: str, data: dict) -> bool:
    """Whether `file_data` kept the field (so the file now shows the claim's value)."""
    keys = {
        ClaimField.ID_NUMBER: ("id_number",),
        ClaimField.GUARDIAN: ("guardian_name",),
        ClaimField.PHONE: ("guardian_phone", "household_phone"),
        ClaimField.ADDRESS: ("household_address",),
        ClaimField.SCHOOL: ("school",),
        ClaimField.CLASS_NAME: ("class_name",),
        ClaimField.DISABILITY: ("disability_category",),
    }[field]
    return any(k in data for k in keys)


def school_named(division_code: str, name: str) -> School | None:
    """A school of the county with exactly this name (rosters give names, not codes)."""
    found = list(School.objects.filter(division_code__startswith=division_code[:6], name=name)[:2])
    return found[0] if len(found) == 1 else None

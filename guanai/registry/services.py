"""Writes to the child's file: register, update, deactivate. Atomic, validated, audited, versioned."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Field, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import (
    division_visible,
    require_division,
    scope,
    scope_acting,
    unscoped,
)
from guanai.audit.models import Action
from guanai.audit.services import audit, audit_changes_many, audit_many
from guanai.core.bulk import insert_many, update_many
from guanai.core.errors import AccessDenied, DomainError, Message, listed, recorded
from guanai.geo.models import Division, Level
from guanai.registry import idnumber
from guanai.registry.choices import GuardianRelation, InactiveReason, ParentRole, ParentStatus
from guanai.registry.extensions import file_changed, files_opened, files_saved
from guanai.registry.history import file_snapshot, snapshot_diff
from guanai.registry.models import Child, Guardian, Household, Parent, Revision, School
from guanai.registry.names import given_name, name_initials, name_pinyin
from guanai.registry.plausibility import file_warnings
from guanai.registry.review import submission_open

CHILD_FIELDS = [
    "name",
    "birth_date",
    "sex",
    "ethnicity",
    "phone",
    "lives_with_parents",
    "school",
    "school_stage",
    "class_name",
    "class_teacher",
    "class_teacher_phone",
    "disability_category",
    "disability_grade",
    "disability_cert_number",
    "serious_illness",
    "hobbies",
    "notes",
]
# form key -> Household field
HOUSEHOLD_FIELDS = {
    "household_address": "address",
    "household_phone": "phone",
    "hukou_type": "hukou_type",
    "hukou_region_code": "hukou_region_code",
    "hukou_address": "hukou_address",
    "economic_status": "economic_status",
    "poverty_registered": "poverty_registered",
}
PARENT_FIELDS = Parent.FILE_FIELDS
GUARDIAN_FIELDS = ["name", "relation", "phone", "capacity"]


class DuplicateChild(DomainError):
    def __init__(self, message: Message, existing: Child, *, visible: bool):
        super().__init__(message, field="id_number" if existing.id_number else "name")
        self.existing = existing
        self.visible = visible  # whether the user may open the existing file


class FileProblems(DomainError):
    """Several problems of one save at once; it reads as the first, and `problems` holds all."""

    def __init__(self, problems: list[DomainError]):
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


class NeedsConfirmation(DomainError):
    """Facts that are possible but unlikely (plausibility.file_warnings): saved once confirmed."""

    def __init__(self, warnings: list[Message]):
        super().__init__(
            _("请核实以下情况,确认无误后勾选“已核实”再保存:%(warnings)s"),
            warnings=listed(warnings, ";"),
        )
        self.warnings = warnings


class StaleEdit(DomainError):
    """Someone else saved the file after this form was opened (optimistic locking)."""


@dataclass(frozen=True)
class IdCheck:
    number: str | None
    birth_date: date
    sex: str
    converted_from_legacy: bool = False


def check_id_number(raw: str, *, birth_date: date | None, sex: str | None) -> IdCheck:
    """Validate an entered number and fill or cross-check birth date and sex from it."""
    if not raw or not raw.strip():
        missing = []
        if birth_date is None:
            missing.append(DomainError(_("没有身份证号时必须填写出生日期"), field="birth_date"))
        elif birth_date > timezone.localdate():
            missing.append(DomainError(_("出生日期不能晚于今天"), field="birth_date"))
        if not sex:
            missing.append(DomainError(_("没有身份证号时必须填写性别"), field="sex"))
        if missing:
            raise missing[0] if len(missing) == 1 else FileProblems(missing)
        assert birth_date is not None and sex  # for mypy: both checked above
        return IdCheck(number=None, birth_date=birth_date, sex=sex)
    try:
        parsed = idnumber.parse(raw, today=timezone.localdate())
    except idnumber.IdNumberError as exc:
        raise DomainError(exc.message, field="id_number") from exc
    problems = idnumber.cross_check(parsed, birth_date=birth_date, sex=sex)
    if problems:
        raise DomainError(listed(problems, ";"), field="id_number")
    return IdCheck(parsed.number, parsed.birth_date, parsed.sex, parsed.converted_from_legacy)


# What a parent's status needs besides itself: the field, and the words of its mark and refusal.
# The form marks these fields as required when the status is chosen (forms.ChildFileForm).
PARENT_STATUS_NEEDS: dict[str, tuple[str, Message]] = {
    ParentStatus.IMPRISONED: ("status_until", _("服刑在押时请填写刑满日期")),
    ParentStatus.WORKING_AWAY: ("away_destination", _("外出务工时请填写务工地")),
}


def check_parent_dates(role: ParentRole, data: dict[str, Any]) -> None:
    """Dates and details a parent's status needs; errors name the form field (father_…)."""
    since, until = data.get("status_since"), data.get("status_until")
    today = timezone.localdate()
    label, prefix = role.label, f"{role.value}_"
    if since and since > today:
        raise DomainError(
            _("%(label)s状况的起始日期不能晚于今天"), field=prefix + "status_since", label=label
        )
    if since and until and until < since:
        raise DomainError(
            _("%(label)s的截止日期不能早于起始日期"), field=prefix + "status_until", label=label
        )
    needed = PARENT_STATUS_NEEDS.get(data.get("status") or "")
    if needed and not data.get(needed[0]):
        raise DomainError(
            _("%(whose)s%(problem)s"), field=prefix + needed[0], whose=label, problem=needed[1]
        )


def _parent_values(role: ParentRole, data: dict[str, Any]) -> dict[str, Any]:
    prefix = f"{role.value}_"
    return {f: data[prefix + f] for f in PARENT_FIELDS if prefix + f in data}


def _parent_number(role: ParentRole, raw: str) -> str:
    try:
        return idnumber.parse(raw).number
    except idnumber.IdNumberError as exc:
        raise DomainError(
            _("%(whose)s%(problem)s"),
            field=f"{role.value}_id_number",
            whose=role.label,
            problem=exc.message,
        ) from exc


def file_problems(data: dict[str, Any]) -> list[DomainError]:
    """Every refusal the file's data earns, each naming its form field, so a page shows them
    all at once; the as-you-type checks read the same list (views.child_check)."""
    problems: list[DomainError] = []

    def run(check: Any, *args: Any, **kwargs: Any) -> None:
        try:
            check(*args, **kwargs)
        except FileProblems as exc:
            problems.extend(exc.problems)
        except DomainError as exc:
            problems.append(exc)

    run(
        check_id_number,
        data.get("id_number") or "",
        birth_date=data.get("birth_date"),
        sex=data.get("sex"),
    )
    for role in ParentRole:
        values = _parent_values(role, data)
        run(check_parent_dates, role, values)
        if values.get("id_number"):
            run(_parent_number, role, values["id_number"])
    if data.get("disability_category") and not data.get("disability_grade"):
        problems.append(
            DomainError(_("填写残疾类别时请同时填写残疾等级"), field="disability_grade")
        )
    return problems


def _refuse_problems(
    data: dict[str, Any], *, ask_to_confirm: bool, saved: Child | None = None
) -> None:
    """Refuse with every problem; then, if asked, with the implausible combinations the save
    brings in (an edit does not ask again about what the saved file already held)."""
    problems = file_problems(data)
    if problems:
        raise problems[0] if len(problems) == 1 else FileProblems(problems)
    if not ask_to_confirm:
        return
    today = timezone.localdate()
    born = check_id_number(
        data.get("id_number") or "", birth_date=data.get("birth_date"), sex=data.get("sex")
    ).birth_date
    warnings = file_warnings(data, today=today, birth_date=born)
    if saved is not None:
        held = set(file_warnings(_plausibility_data(saved), today=today))
        warnings = [w for w in warnings if w not in held]
    if warnings:
        raise NeedsConfirmation(warnings)


def _plausibility_data(child: Child) -> dict[str, Any]:
    """The saved file in the form's keys that `plausibility.file_warnings` reads."""
    guardian = child.guardians.filter(is_primary=True).first()
    return {
        "birth_date": child.birth_date,
        "school": child.school_id,
        "school_stage": child.school_stage,
        "guardian_name": guardian.name if guardian else "",
        "guardian_relation": guardian.relation if guardian else "",
        **{
            f"{role.value}_status": getattr(getattr(child, role.value), "status", "")
            for role in ParentRole
        },
    }


def find_duplicate(
    *,
    id_number: str | None,
    name: str,
    birth_date: date,
    division_code: str,
    exclude_pk: int | None = None,
) -> Child | None:
    """Same number anywhere, or same name, birth date and village (the caller says only
    that a file exists when it lies outside the user's node: `_duplicate_error`)."""
    candidates = unscoped(Child.objects.all(), purpose="duplicate id")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    if id_number:
        found = candidates.filter(id_number=id_number).first()
        if found:
            return found
    return candidates.filter(name=name, birth_date=birth_date, division_code=division_code).first()


def _duplicate_error(user: User, existing: Child, by_number: bool) -> DuplicateChild:
    if not division_visible(user, existing.division_code):
        # Say that the file exists, not whose it is: the user may not see outside their node.
        return DuplicateChild(
            _("该身份证号已在您管辖范围以外的村(居)建档,请联系上级督导员核实"),
            existing,
            visible=False,
        )
    if by_number:
        message = f"身份证号已登记:{existing.name}({existing.division.name})的档案使用了该号码"
    else:
        message = f"本村已有同名同出生日期的儿童:{existing.name}({existing.birth_date})"
    return DuplicateChild(message, existing, visible=True)


def _apply_child(child: Child, data: dict[str, Any], ids: IdCheck) -> None:
    for field in CHILD_FIELDS:
        if field in data:
            setattr(child, field, data[field])
    child.name = child.name.strip()
    child.id_number = ids.number
    child.birth_date = ids.birth_date
    child.sex = ids.sex
    _derive_search_fields(child)


def _derive_search_fields(child: Child) -> None:
    """The columns search reads, kept from the name and the number."""
    child.id_number_tail = (child.id_number or "")[-6:]
    child.given_name = given_name(child.name)
    child.name_pinyin = name_pinyin(child.name)
    child.name_initials = name_initials(child.name)


def _apply_parent(
    parent: Parent | None, household: Household, role: ParentRole, data: dict[str, Any]
) -> Parent | None:
    values = _parent_values(role, data)
    # The form pre-selects "at home" and full capacity: on their own they describe nobody.
    described = any(
        v
        for f, v in values.items()
        if f not in ("can_work", "guardianship_capacity")
        and not (f == "status" and v == ParentStatus.AT_HOME)
    )
    if not values or (parent is None and not described):
        return parent
    check_parent_dates(role, values)
    if values.get("id_number"):
        values["id_number"] = _parent_number(role, values["id_number"])
    parent = parent or Parent(household=household, role=role)
    for field, value in values.items():
        model_field = Parent._meta.get_field(field)
        nullable = isinstance(model_field, Field) and model_field.null
        setattr(parent, field, "" if value is None and not nullable else value)
    parent.save()
    return parent


def _apply_guardian(child: Child, data: dict[str, Any]) -> None:
    values = {f: data.get(f"guardian_{f}") for f in GUARDIAN_FIELDS}
    if not values["name"]:
        return
    guardian = child.guardians.filter(is_primary=True).first() or Guardian(
        child=child, is_primary=True
    )
    for field, value in values.items():
        setattr(guardian, field, value or "")
    guardian.save()


def _apply_household(household: Household, data: dict[str, Any]) -> None:
    for key, field in HOUSEHOLD_FIELDS.items():
        if key in data:
            setattr(household, field, data[key] if data[key] is not None else "")


def _record_revision(
    child: Child, actor: User | None, summary: str, before: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """Store the file as it is now, with what changed since `before` (None for a new file).

    A file that came in by import or seeding has no revision yet: its state before this first
    edit is kept as revision 1, so that history starts from what was imported.
    """
    child.refresh_from_db()
    previous = child.revisions.order_by("-number").first()
    number = previous.number if previous else 0
    if previous is None and before is not None:
        number += 1
        _revision(child, number, None, "系统", "导入时的档案", {}, before).save()
    after = file_snapshot(child)
    changes = snapshot_diff(before or {}, after)
    author = actor.display_name if actor is not None else "系统导入"
    _revision(child, number + 1, actor, author, summary, changes, after).save()
    return changes


@transaction.atomic
def child_register(
    *,
    actor: User,
    village: Division,
    data: dict[str, Any],
    household: Household | None = None,
    ask_to_confirm: bool = False,
) -> Child:
    """Register a child (with a new household, or into a sibling's household).

    Refuses with every problem at once (`FileProblems`); with `ask_to_confirm` (the page, until
    its user ticks 已核实) also with the implausible combinations (`NeedsConfirmation`)."""
    if not permissions.can_register_children(actor):
        raise AccessDenied(_("您的角色不能登记儿童"))
    if village.level != Level.VILLAGE or not division_visible(actor, village.code):
        raise DomainError(_("请选择您管辖范围内的村(居)"), field="village")
    if household is not None and household.division_code != village.code:
        raise DomainError(_("兄弟姐妹的家庭不在所选村(居)"), field="village")
    _refuse_problems(data, ask_to_confirm=ask_to_confirm)
    ids = check_id_number(
        data.get("id_number") or "", birth_date=data.get("birth_date"), sex=data.get("sex")
    )
    existing = find_duplicate(
        id_number=ids.number,
        name=data["name"].strip(),
        birth_date=ids.birth_date,
        division_code=village.code,
    )
    if existing:
        raise _duplicate_error(
            actor, existing, by_number=bool(ids.number) and existing.id_number == ids.number
        )
    if household is None:
        household = Household(division=village, division_code=village.code)
    _apply_household(household, data)
    household.save()
    child = Child(
        household=household, division=village, division_code=village.code, created_by=actor
    )
    _apply_child(child, data, ids)
    # A sibling's household already has the parents: the form's parent fields update them.
    for role in ParentRole:
        parent = _apply_parent(_existing_parent(household, role), household, role, data)
        setattr(child, role.value, parent)
    child.save()
    _apply_guardian(child, data)
    changes = _record_revision(child, actor, "建档", None)
    submission_open(actor=actor, child=child, changes=changes, new_file=True)
    audit(
        actor=actor,
        action=Action.CREATE,
        target=child,
        changes={k: ("", v[1]) for k, v in changes.items() if not k.endswith("id_number")},
    )
    file_changed(child)
    return child


def _existing_parent(household: Household, role: ParentRole) -> Parent | None:
    return household.parents.filter(role=role).order_by("id").first()


@transaction.atomic
def child_update(
    *, actor: User, child: Child, version: int, data: dict[str, Any], ask_to_confirm: bool = False
) -> dict[str, list[Any]]:
    """Save an edit made on version `version`; refuses if someone saved in between (and, like
    `child_register`, with every problem at once, and the implausible unless confirmed)."""
    if not permissions.can_edit_children(actor):
        raise AccessDenied(_("您的角色不能修改儿童档案"))
    if not division_visible(actor, child.division_code):
        raise AccessDenied(_("该档案不在您的管辖范围内"))
    _refuse_problems(data, ask_to_confirm=ask_to_confirm, saved=child)
    ids = check_id_number(
        data.get("id_number") or "", birth_date=data.get("birth_date"), sex=data.get("sex")
    )
    existing = find_duplicate(
        id_number=ids.number,
        name=data.get("name", child.name).strip(),
        birth_date=ids.birth_date,
        division_code=child.division_code,
        exclude_pk=child.pk,
    )
    if existing:
        raise _duplicate_error(
            actor, existing, by_number=bool(ids.number) and existing.id_number == ids.number
        )
    # Claim the version first: a concurrent save that got there before us makes this update 0 rows.
    claimed = scope(actor, Child.objects.filter(pk=child.pk, version=version)).update(
        version=F("version") + 1
    )
    if not claimed:
        last = child.revisions.order_by("-number").first()
        who = f"{last.actor_name} 于 {timezone.localtime(last.at):%m-%d %H:%M} " if last else ""
        raise StaleEdit(
            _("此档案已被%(who)s修改,您的修改未保存。请重新打开档案,核对后再修改。"), who=who
        )
    child.refresh_from_db()
    before = file_snapshot(child)
    household = child.household
    _apply_household(household, data)
    household.save()
    _apply_child(child, data, ids)
    for role in ParentRole:
        setattr(child, role.value, _apply_parent(getattr(child, role.value), household, role, data))
    child.save()
    _apply_guardian(child, data)
    changes = _record_revision(child, actor, "修改档案", before)
    submission_open(actor=actor, child=child, changes=changes, new_file=False)
    if changes:
        audit(
            actor=actor,
            action=Action.UPDATE,
            target=child,
            changes={k: tuple(v) for k, v in changes.items()},
        )
    file_changed(child)
    return changes


@recorded
@transaction.atomic
def child_deactivate(
    *, actor: User, child: Child, reason: InactiveReason, on: date, note: str = ""
) -> None:
    """Moved away, turned 18, died: the file is closed with a reason, never deleted."""
    if not permissions.can_edit_children(actor) or not division_visible(actor, child.division_code):
        raise AccessDenied(_("您不能注销该档案"))
    if not child.is_active:
        raise DomainError(_("该档案已注销"))
    if on > timezone.localdate():
        raise DomainError(_("注销日期不能晚于今天"), field="on")
    if reason == InactiveReason.OTHER and not note.strip():
        raise DomainError(_("原因为“其他”时请填写说明"), field="note")
    before = file_snapshot(child)
    child.is_active = False
    child.inactive_reason = reason
    child.inactive_on = on
    child.inactive_note = note.strip()
    child.version += 1
    child.save()
    changes = _record_revision(child, actor, f"注销:{InactiveReason(reason).label}", before)
    audit(
        actor=actor,
        action=Action.DEACTIVATE,
        target=child,
        changes={k: tuple(v) for k, v in changes.items()},
        detail=InactiveReason(reason).label,
    )
    file_changed(child)


@transaction.atomic
def child_reactivate(*, actor: User, child: Child) -> None:
    if not permissions.can_edit_children(actor) or not division_visible(actor, child.division_code):
        raise AccessDenied(_("您不能恢复该档案"))
    before = file_snapshot(child)
    child.is_active = True
    child.inactive_reason = ""
    child.inactive_on = None
    child.inactive_note = ""
    child.version += 1
    child.save()
    changes = _record_revision(child, actor, "恢复档案", before)
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=child,
        changes={k: tuple(v) for k, v in changes.items()},
        detail="恢复档案",
    )
    file_changed(child)


def child_file_opened(*, actor: User, child: Child, what: str = "查看档案") -> None:
    """Record that someone read a child's file (page, PDF, past version)."""
    audit(actor=actor, action=Action.VIEW, target=child, detail=what)


def child_sensitive_revealed(*, actor: User, child: Child) -> None:
    audit(
        actor=actor, action=Action.REVEAL, target=child, detail="显示身份证号、电话、健康与残疾信息"
    )


# What the uploader of a roster hears of a row whose ID number is on file in another node:
# no more than that (nothing of that child), and the county reviews it.
OUTSIDE_SCOPE_ID_MESSAGE = "此身份证号已在其他乡镇(街道)登记,已转县级核对"

# Fields a departmental roster can change on a file (keys as in the forms' data).
SOURCE_CHILD_FIELDS = ("class_name", "school", "disability_category", "disability_grade")


@transaction.atomic
def child_update_from_source(
    *, actor: User | None, child: Child, data: dict[str, Any], summary: str
) -> dict[str, list[Any]]:
    """Take over values from a departmental roster, as `ingest.merge` decided them.

    `data` holds some of id_number, SOURCE_CHILD_FIELDS, household_address, household_phone,
    guardian_name, guardian_phone. Only a file in the actor's scope changes (an importer's
    row matched to a file elsewhere is refused here too). Versioned, kept in the history
    and audited like any edit; the rules run again. `children_update_from_source` does the
    same for many files at once.
    """
    locked = scope_acting(actor, Child.objects.select_for_update().filter(pk=child.pk)).first()
    if locked is None:
        raise AccessDenied(OUTSIDE_SCOPE_ID_MESSAGE)
    child = locked
    before = file_snapshot(child)
    number = _source_number(child, data)
    if number is not None:
        taken = unscoped(Child.objects.filter(id_number=number), purpose="duplicate id")
        if taken.exclude(pk=child.pk).exists():
            raise DomainError(NUMBER_TAKEN, field="id_number")
    household = child.household
    primary = child.guardians.filter(is_primary=True).first() if _names_guardian(data) else None
    guardian = _take_source_values(child, household, data, number, primary)
    household.save()
    if guardian is not None:
        guardian.save()
    child.version += 1
    child.save()
    changes = _record_revision(child, actor, summary, before)
    if changes:
        audit(
            actor=actor,
            action=Action.UPDATE,
            target=child,
            changes={k: tuple(v) for k, v in changes.items()},
            detail=summary,
        )
    file_changed(child)
    return changes


NUMBER_TAKEN = _("身份证号已被另一份档案使用")
# What a roster's values change on a file, saved as they are (children_update_from_source).
SOURCE_SAVED_CHILD = (
    "id_number",
    "id_number_tail",
    "given_name",
    "name_pinyin",
    "name_initials",
    *SOURCE_CHILD_FIELDS,
    "version",
    "updated_at",
)
SOURCE_SAVED_HOUSEHOLD = (*HOUSEHOLD_FIELDS.values(), "updated_at")


def _source_number(child: Child, data: dict[str, Any]) -> str | None:
    """The roster's ID number checked against the file's birth date and sex (None: none given)."""
    if "id_number" not in data:
        return None
    ids = check_id_number(data["id_number"], birth_date=child.birth_date, sex=child.sex)
    if ids.number is None:
        raise DomainError(_("名册给出的身份证号为空"), field="id_number")
    return ids.number


def _names_guardian(data: dict[str, Any]) -> bool:
    return "guardian_name" in data or "guardian_phone" in data


def _take_source_values(
    child: Child,
    household: Household,
    data: dict[str, Any],
    number: str | None,
    primary: Guardian | None,
) -> Guardian | None:
    """A roster's values onto the file in memory; returns the primary guardian to save (a new
    one where the file has none), or None when the roster names no guardian."""
    if number is not None:
        child.id_number = number
        _derive_search_fields(child)
    for field in SOURCE_CHILD_FIELDS:
        if field in data:
            setattr(child, field, data[field])
    _apply_household(household, data)
    if not _names_guardian(data):
        return None
    guardian = primary or Guardian(child=child, is_primary=True, relation=GuardianRelation.OTHER)
    guardian.name = data.get("guardian_name", guardian.name)
    guardian.phone = data.get("guardian_phone", guardian.phone)
    return guardian


@dataclass(frozen=True)
class SourceUpdate:
    """One file's values from a roster, as `child_update_from_source` takes them."""

    child_id: int
    data: dict[str, Any]
    summary: str


@transaction.atomic
def children_update_from_source(
    *, actor: User | None, updates: list[SourceUpdate]
) -> dict[int, dict[str, list[Any]]]:
    """`child_update_from_source` for many files at once (a roster's chunk), in a fixed number of
    queries: the same values saved, the same revisions and audit rows, the same findings.

    One check of the actor's scope for the whole set: a file outside refuses them all, and
    nothing is saved. Each file comes once. The files are changed in memory in the given order
    (a household two children share takes both, the second file's history starting from the
    first's change),
    then written together: fields by primary key, revisions and audit rows inserted at once.
    The files-changed hooks hear which keys of each file changed (`extensions.files_saved`):
    the rules evaluate in one batch the files whose deciding facts changed. Imports are not
    reviewed (registry/review.py: only a village director's own edits are). Returns each
    file's changes (snapshot key -> [old, new]).
    """
    if not updates:
        return {}
    ids = {u.child_id for u in updates}
    if len(ids) != len(updates):
        # Each file once: its rules run once, on what the whole chunk gave it.
        raise DomainError(_("同一份档案在一次批量更新中只能出现一次"))
    files = scope_acting(
        actor, Child.objects.select_for_update(of=("self",)).filter(pk__in=ids)
    ).select_related("division", "household", "father", "mother", "school")
    children = {child.pk: child for child in files}
    if children.keys() != ids:
        raise AccessDenied(OUTSIDE_SCOPE_ID_MESSAGE)
    households: dict[int, Household] = {}
    for child in children.values():  # one instance per household, shared by its children
        child.household = households.setdefault(child.household_id, child.household)
    guardians: dict[int, list[Guardian]] = {pk: [] for pk in ids}
    held = scope_acting(actor, Guardian.objects.filter(child_id__in=ids))
    for guardian in held.order_by("-is_primary", "id"):
        guardians[guardian.child_id].append(guardian)
    holders = _number_holders(updates)
    revised = scope_acting(actor, Revision.objects.filter(child_id__in=ids)).values("child_id")
    last = dict(revised.annotate(n=Max("number")).values_list("child_id", "n").order_by())
    author = actor.display_name if actor is not None else "系统导入"
    saved_guardians: dict[int, Guardian] = {}
    new_guardians: dict[int, Guardian] = {}  # by id(): not saved yet
    revisions: list[Revision] = []
    audited: list[tuple[Child, dict[str, tuple[Any, Any]] | None, str]] = []
    results: dict[int, dict[str, list[Any]]] = {}
    changed: dict[int, set[str]] = {}
    for update in updates:
        child, file_guardians = children[update.child_id], guardians[update.child_id]
        before = file_snapshot(child, file_guardians)
        number = _source_number(child, update.data)
        if number is not None:
            if holders.get(number, child.pk) != child.pk:
                raise DomainError(NUMBER_TAKEN, field="id_number")
            if child.id_number and holders.get(child.id_number) == child.pk:
                del holders[child.id_number]
            holders[number] = child.pk
        primary = next((g for g in file_guardians if g.is_primary), None)
        guardian = _take_source_values(child, child.household, update.data, number, primary)
        if guardian is not None and guardian.pk is None and id(guardian) not in new_guardians:
            new_guardians[id(guardian)] = guardian
            file_guardians.insert(0, guardian)  # the file had no primary guardian: first
        elif guardian is not None and guardian.pk is not None:
            saved_guardians[guardian.pk] = guardian
        child.version += 1
        after = file_snapshot(child, file_guardians)
        changes = snapshot_diff(before, after)
        previous = last.get(child.pk) or 0
        if previous == 0:  # an imported or seeded file: its state before is revision 1
            previous = 1
            revisions.append(_revision(child, 1, None, "系统", "导入时的档案", {}, before))
        revisions.append(
            _revision(child, previous + 1, actor, author, update.summary, changes, after)
        )
        last[child.pk] = previous + 1
        if changes:
            audited.append((child, {k: tuple(v) for k, v in changes.items()}, update.summary))
        results[child.pk] = changes
        changed.setdefault(child.pk, set()).update(changes)
    update_many(Child, list(children.values()), SOURCE_SAVED_CHILD)
    update_many(Household, list(households.values()), SOURCE_SAVED_HOUSEHOLD)
    update_many(Guardian, list(saved_guardians.values()), ("name", "phone"))
    insert_many(Guardian, list(new_guardians.values()))
    insert_many(Revision, revisions)
    audit_changes_many(actor=actor, action=Action.UPDATE, entries=audited)
    files_saved(list(children.values()), changed)
    return results


def _number_holders(updates: list[SourceUpdate]) -> dict[str, int]:
    """Which file holds each ID number the updates give (anywhere: numbers are unique)."""
    numbers = set()
    for update in updates:
        if "id_number" in update.data:
            try:
                numbers.add(idnumber.parse(update.data["id_number"]).number)
            except idnumber.IdNumberError:
                continue  # refused with its message when its turn comes
    taken = unscoped(Child.objects.filter(id_number__in=numbers), purpose="duplicate id")
    return dict(taken.values_list("id_number", "id"))


def _revision(
    child: Child,
    number: int,
    actor: User | None,
    actor_name: str,
    summary: str,
    changes: dict[str, list[Any]],
    snapshot: dict[str, Any],
) -> Revision:
    return Revision(
        child=child,
        number=number,
        actor=actor,
        actor_name=actor_name,
        summary=summary,
        changes=changes,
        snapshot=snapshot,
    )


@dataclass
class SourcedChild:
    """A child not yet on file as a roster row gives it (the importer validated the row)."""

    village: Division
    name: str
    id_number: str | None
    birth_date: date
    sex: str
    household_id: int | None = None  # a sibling's household already on file
    family: object = None  # rows with the same family key share one new household
    address: str = ""
    household_phone: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    class_name: str = ""
    school: School | None = None
    disability_category: str = ""
    disability_grade: int | None = None


@transaction.atomic
def children_register_from_source(
    *, actor: User | None, children: list[SourcedChild], detail: str
) -> list[Child]:
    """Open many files at once: the children of a roster who are not on file yet.

    Like seeded files they start without a revision (the first edit keeps the imported state
    as revision 1); each gets an audit row, and the rules evaluate them together.
    """
    if not children:
        return []
    if actor is not None:
        for village in {row.village for row in children}:  # once per village, not per row
            require_division(
                actor, village.code, _("%(name)s不在您的管辖范围内"), name=village.name
            )
    households: dict[object, Household] = {}
    for row in children:
        key = row.family if row.family is not None else id(row)
        if row.household_id is None and key not in households:
            households[key] = Household(
                division=row.village,
                division_code=row.village.code,
                address=row.address,
                phone=row.household_phone,
            )
    insert_many(Household, list(households.values()))
    author = actor if actor is not None and actor.is_authenticated else None
    made = [
        Child(
            household_id=row.household_id
            or households[row.family if row.family is not None else id(row)].pk,
            division=row.village,
            division_code=row.village.code,
            name=row.name,
            id_number=row.id_number or None,
            birth_date=row.birth_date,
            sex=row.sex,
            class_name=row.class_name,
            school=row.school,
            disability_category=row.disability_category,
            disability_grade=row.disability_grade,
            created_by=author,
        )
        for row in children
    ]
    for child in made:
        _derive_search_fields(child)
    insert_many(Child, made)
    insert_many(
        Guardian,
        [
            Guardian(
                child=child,
                name=row.guardian_name,
                relation=GuardianRelation.OTHER,
                phone=row.guardian_phone,
                is_primary=True,
            )
            for child, row in zip(made, children, strict=True)
            if row.guardian_name
        ],
    )
    audit_many(actor=actor, action=Action.CREATE, targets=made, detail=detail)
    ids = [child.pk for child in made]
    files_opened(min(ids), max(ids))
    return made

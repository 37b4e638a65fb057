"""Values from rosters onto children's files: one value shown per field, every other one kept.

A linked roster row gives values for some fields of the file (guardian, phone, address...).
Each value becomes a `FieldClaim` dated by the roster's date; the file's own value is a claim of
"档案录入", dated by the file's last change. `displayed_claim` picks what the file shows:

- among the sources trusted for the field (`TRUSTED_SOURCES`), the newest value wins;
- on the same day, the value already shown stays (no flip-flopping between two rosters);
- a value from a source not trusted for the field is shown only while no trusted source gave one.

The others stay as claims, and the file shows them with source and date (`claims_for_file`).
"""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting, unscoped
from guanai.core.bulk import insert_many
from guanai.core.errors import AccessDenied, DomainError
from guanai.geo.models import Division, Level
from guanai.ingest import linkage
from guanai.ingest.models import (
    FILE_ENTRY,
    ClaimField,
    FieldClaim,
    LinkMethod,
    Source,
    SourceRecord,
)
from guanai.registry.choices import DisabilityCategory
from guanai.registry.masking import mask_field
from guanai.registry.models import Child, Guardian, Household, Revision, School
from guanai.registry.services import (
    SourcedChild,
    check_id_number,
    child_update_from_source,
    children_register_from_source,
)

_OFFICIAL = frozenset(
    {FILE_ENTRY, Source.POLICE, Source.CIVIL, Source.EDUCATION, Source.DISABLED, Source.HEALTH}
)
# Which sources the file believes for each field ("其他" is believed for nothing).
TRUSTED_SOURCES: dict[str, frozenset[str]] = {
    ClaimField.ID_NUMBER: _OFFICIAL,
    ClaimField.GUARDIAN: _OFFICIAL,
    ClaimField.PHONE: _OFFICIAL,
    ClaimField.ADDRESS: _OFFICIAL,
    ClaimField.SCHOOL: frozenset({FILE_ENTRY, Source.EDUCATION}),
    ClaimField.CLASS_NAME: frozenset({FILE_ENTRY, Source.EDUCATION}),
    ClaimField.DISABILITY: frozenset({FILE_ENTRY, Source.DISABLED}),
}
# claim field -> the name masking knows it by
_MASK_AS = {
    ClaimField.ID_NUMBER: "id_number",
    ClaimField.PHONE: "phone",
    ClaimField.DISABILITY: "disability_category",
}


def conflicts_in(actor: User | None, batch) -> int:
    """Values of a batch that differ from what the files show (kept, not shown)."""
    shown_same = FieldClaim.objects.filter(
        child=OuterRef("child"), field=OuterRef("field"), value=OuterRef("value"), displayed=True
    )
    claims = scope_acting(actor, FieldClaim.objects.filter(record__batch=batch))
    return claims.exclude(Exists(shown_same)).count()


def displayed_claim(claims: Sequence[FieldClaim]) -> FieldClaim | None:
    """The claim the file shows among one field's claims (see the module's rule)."""
    if not claims:
        return None
    field = claims[0].field
    trusted = [c for c in claims if c.source in TRUSTED_SOURCES[field]]
    pool = trusted or list(claims)
    newest = max(c.observed_on for c in pool)
    latest = [c for c in pool if c.observed_on == newest]
    for claim in latest:
        if claim.displayed:
            return claim
    return max(reversed(latest), key=_age)


def disability_value(category: str, grade: object) -> str:
    return f"{category}:{grade}" if category else ""


def disability_label(value: str) -> str:
    category, _, grade = value.partition(":")
    label = (
        DisabilityCategory(category).label if category in DisabilityCategory.values else category
    )
    return f"{label} {grade}级" if grade else label


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


def school_named(division_code: str, name: str) -> School | None:
    """A school of the county with exactly this name (rosters give names, not codes)."""
    found = list(School.objects.filter(division_code__startswith=division_code[:6], name=name)[:2])
    return found[0] if len(found) == 1 else None


@dataclass
class ClaimGroup:
    """One field of one file as the page shows it: the shown value and the others."""

    field: str
    label: str
    shown: FieldClaim | None
    others: list[FieldClaim]


def claims_for_file(child: Child, *, reveal: bool) -> list[ClaimGroup]:
    """Fields where sources gave values, for the file page; masked unless revealing."""
    by_field: dict[str, list[FieldClaim]] = {}
    for claim in child.claims.select_related("record__batch").order_by("-observed_on", "-id"):
        claim.shown_value = _display(claim.field, claim.value, reveal)
        by_field.setdefault(claim.field, []).append(claim)
    groups = []
    for field in ClaimField:
        claims = by_field.get(field, [])
        if not claims:
            continue
        shown = next((c for c in claims if c.displayed), None)
        others = [c for c in claims if c is not shown and c.value != (shown.value if shown else "")]
        groups.append(ClaimGroup(field, field.label, shown, _distinct(others)))
    return groups


SOURCE_ROWS_SHOWN = 20


def source_rows_for_file(child: Child) -> list[SourceRecord]:
    """The roster rows linked to a file, newest first: where its data came from."""
    rows = child.source_records.select_related("batch").order_by("-batch__as_of", "-id")
    return list(rows[:SOURCE_ROWS_SHOWN])


def _distinct(claims: Iterable[FieldClaim]) -> list[FieldClaim]:
    """One line per (value, source), the newest (claims arrive newest first)."""
    seen, kept = set(), []
    for claim in claims:
        if (claim.value, claim.source) not in seen:
            seen.add((claim.value, claim.source))
            kept.append(claim)
    return kept


def _display(field: str, value: str, reveal: bool) -> str:
    shown = disability_label(value) if field == ClaimField.DISABILITY else value
    if reveal or field not in _MASK_AS:
        return shown
    return mask_field(_MASK_AS[field], shown)


def _summary(record: SourceRecord) -> str:
    return f"导入:{Source(record.source).label}名册 {record.batch.file_name} {record.place}"[:200]


def _file_data(child: Child | None, division_code: str, values: dict[str, str]) -> dict:
    """Claim values as the registry's form keys; a value the file cannot take is left out."""
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
            has_guardian = ClaimField.GUARDIAN in values or (
                child is not None and child.guardians.filter(is_primary=True).exists()
            )
            data["guardian_phone" if has_guardian else "household_phone"] = value
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


def _taken(field: str, data: dict) -> bool:
    """Whether `_file_data` kept the field (so the file now shows the claim's value)."""
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


def _claim(child: Child, record: SourceRecord | None, field: str, value: str, **kw) -> FieldClaim:
    return FieldClaim(
        child=child,
        division_code=child.division_code,
        field=field,
        value=value,
        source=record.source if record else FILE_ENTRY,
        record=record,
        **kw,
    )


@transaction.atomic
class AdminPrefixes:
    """Province, city, county and township names, which rosters put before an address and files
    often leave out: 德安县蒲亭镇东风村三组 and 东风村三组 are one address."""

    def __init__(self):
        self._by_first: dict[str, list[str]] | None = None

    def strip(self, address: str) -> str:
        if self._by_first is None:
            names = Division.objects.exclude(level=Level.VILLAGE).values_list("name", flat=True)
            self._by_first = {}
            for name in sorted(set(names), key=len, reverse=True):
                self._by_first.setdefault(name[:1], []).append(name)
        text = "".join(address.split())
        while text:
            prefix = next((n for n in self._by_first.get(text[0], ()) if text.startswith(n)), "")
            if not prefix or prefix == text:
                break
            text = text[len(prefix) :]
        return text

    def same_address(self, a: str, b: str) -> bool:
        return bool(a and b) and linkage.clean_address(self.strip(a)) == linkage.clean_address(
            self.strip(b)
        )


def records_merge(*, actor: User | None, records: list[SourceRecord]) -> int:
    """Bring linked rows' values onto their files; returns how many files changed.

    Rows are taken in order. Where a row agrees with its file nothing is written: the stored
    row is the record of that. Only the fields where they disagree become claims, the file's
    side dated by its newest confirmation (its last change, or a later roster with the same
    value); `displayed_claim` then picks what the file shows. Each changed file is saved once,
    with history, audit and the rules, like any edit.
    """
    current = files_values(actor, {r.child_id for r in records})
    if current.keys() != {r.child_id for r in records}:
        raise AccessDenied("要更新的档案不在您的管辖范围内")
    places = AdminPrefixes()
    todo = []
    for record in records:
        values = current[record.child_id]
        given = {
            f: v
            for f, v in record_values(record).items()
            if v != values[f]
            and not (f == ClaimField.ADDRESS and places.same_address(v, values[f]))
        }
        if given:
            todo.append((record, given))
    if not todo:
        return 0
    children = scope_acting(actor, Child.objects.all()).in_bulk({r.child_id for r, _ in todo})
    book = _ClaimBook(actor, set(children))
    changes: dict[int, tuple[dict, list[SourceRecord]]] = {}
    for record, given in todo:
        child, values = children[record.child_id], current[record.child_id]
        for field, value in given.items():
            claims = book.claims(child.pk, field)
            book.file_side(child, record, field, values[field], claims)
            claims.append(book.new(child, record, field, value, record.batch.as_of, False))
            pick = displayed_claim(claims)
            taken = {}
            if pick.value != values[field]:
                taken = _file_data(child, child.division_code, {field: pick.value})
            if _taken(field, taken):
                values[field] = pick.value
                data, rows = changes.setdefault(child.pk, ({}, []))
                data.update(taken)
                if record not in rows:
                    rows.append(record)
            book.flag(claims, values[field])
    book.save()
    for pk, (data, rows) in changes.items():
        more = f" 等 {len(rows)} 行" if len(rows) > 1 else ""
        summary = _summary(rows[0])[: 200 - len(more)] + more
        child_update_from_source(actor=actor, child=children[pk], data=data, summary=summary)
    return len(changes)


class _ClaimBook:
    """The claims of some files, loaded at once, changed in memory and saved together."""

    def __init__(self, actor: User | None, child_ids: set[int]):
        self.actor = actor
        self.by_key: dict[tuple[int, str], list[FieldClaim]] = {}
        claims = scope_acting(actor, FieldClaim.objects.filter(child_id__in=child_ids))
        for claim in claims.order_by("id"):
            self.by_key.setdefault((claim.child_id, claim.field), []).append(claim)
        last = scope_acting(actor, Revision.objects.filter(child_id__in=child_ids)).values(
            "child_id"
        )
        self.changed_on = {
            # Local days, as rosters are dated: a UTC date is a day behind from 16:00 to 24:00.
            row["child_id"]: timezone.localdate(row["at"])
            for row in last.annotate(at=Max("at")).order_by()
        }
        self.rows: dict[int, list[SourceRecord]] = {}
        linked = scope_acting(actor, SourceRecord.objects.filter(child_id__in=child_ids))
        linked = linked.select_related("batch")
        for row in linked:
            self.rows.setdefault(row.child_id, []).append(row)
        self.added: list[FieldClaim] = []
        self.flipped: dict[int, FieldClaim] = {}

    def claims(self, child_id: int, field: str) -> list[FieldClaim]:
        return self.by_key.setdefault((child_id, field), [])

    def new(self, child, record, field, value, on, displayed) -> FieldClaim:
        claim = _claim(child, record, field, value, observed_on=on, displayed=displayed)
        self.added.append(claim)
        return claim

    def file_side(self, child, record, field, value, claims: list[FieldClaim]) -> None:
        """Make the file's own value one of the claims, dated by its newest confirmation."""
        shown = [c for c in claims if c.displayed]
        if value and any(c.value == value for c in shown):
            return
        for claim in shown:
            self._set(claim, False)
        if not value:
            return
        day = self.changed_on.get(child.pk) or timezone.localdate(child.created_at)
        confirmed_by = None
        for other in self.rows.get(child.pk, []):
            if other.pk == record.pk or other.batch.as_of < day:
                continue
            if record_values(other).get(field) == value:
                day, confirmed_by = other.batch.as_of, other
        claims.append(self.new(child, confirmed_by, field, value, day, True))

    def flag(self, claims: list[FieldClaim], value: str) -> None:
        """Exactly one claim of the field is marked shown: the newest with the file's value."""
        matching = [c for c in claims if c.value == value]
        keep = max(reversed(matching), key=_age) if matching else None
        for claim in claims:
            self._set(claim, claim is keep)

    def _set(self, claim: FieldClaim, displayed: bool) -> None:
        if claim.displayed != displayed:
            claim.displayed = displayed
            if claim.pk is not None:
                self.flipped[claim.pk] = claim

    def save(self) -> None:
        insert_many(FieldClaim, self.added)
        for displayed in (True, False):
            pks = [pk for pk, c in self.flipped.items() if c.displayed is displayed]
            if pks:
                flipped = scope_acting(self.actor, FieldClaim.objects.filter(pk__in=pks))
                flipped.update(displayed=displayed)


def _age(claim: FieldClaim) -> tuple:
    """Order of claims of one day: stored ones by id, then new ones (newest last)."""
    return (claim.observed_on, claim.pk is None, claim.pk or 0)


@transaction.atomic
def record_unmerge(*, actor: User | None, record: SourceRecord, child: Child) -> None:
    """A link undone: the row's values leave the file; what other sources say is shown again."""
    fields = list(record.claims.values_list("field", flat=True))
    record.claims.all().delete()
    if not fields:
        return
    child = (
        scope_acting(actor, Child.objects.select_for_update(of=("self",)).filter(pk=child.pk))
        .select_related("household", "school")
        .first()
    )
    if child is None:
        raise AccessDenied("该档案不在您的管辖范围内")
    current = file_values(actor, child)
    book = _ClaimBook(actor, {child.pk})
    data: dict = {}
    for field in fields:
        claims = book.claims(child.pk, field)
        pick = displayed_claim(claims)
        value = current[field]
        if pick is not None and pick.value != value:
            taken = _file_data(child, child.division_code, {field: pick.value})
            if _taken(field, taken):
                data.update(taken)
                value = pick.value
        book.flag(claims, value)
    book.save()
    if data:
        summary = f"撤销关联:{_summary(record)}"[:200]
        child_update_from_source(actor=actor, child=child, data=data, summary=summary)


class Opened:
    """What one import keeps between chunks: households opened or found (rows of one family
    share one), villages, and registered children as prepared for comparison."""

    def __init__(self):
        self.households: dict[tuple[str, ...], int] = {}  # family key -> household id
        self.villages: dict[str, Division] = {}
        # child id -> (linkage.Person, village code), prepared once
        self.people: dict[int, tuple] = {}


@dataclass
class OpenedFiles:
    created: int = 0
    same_as_created: list[SourceRecord] = dataclasses.field(default_factory=list)
    duplicates: list[tuple[SourceRecord, Child]] = dataclasses.field(default_factory=list)


def records_open_files(
    *, actor: User | None, records: list[SourceRecord], opened: Opened
) -> OpenedFiles:
    """Open a file for each row that matches no child, all at once (rows not saved yet: this
    sets their child and link; rows of a child opened here are returned for merging).

    Rows with the same family phone (or guardian and address) in a village share a household,
    or join the household already on file with that phone. Two rows of one child (same ID, or
    same name, birth date and village) open one file. A row with the name, birth date and
    village of a file the scores did not reach is returned as a duplicate, for review.
    """
    result = OpenedFiles()
    if not records:
        return result
    existing = _same_name_birth_village(actor, records)
    first_of: dict[tuple, SourceRecord] = {}
    to_open: list[SourceRecord] = []
    twins: list[tuple[SourceRecord, SourceRecord]] = []  # (row, the row that opens its file)
    for record in records:
        same = (record.name, record.birth_date, record.division_code)
        if same in existing:
            result.duplicates.append((record, existing[same]))
            continue
        key = record.id_number or same
        if key in first_of or same in first_of:
            twins.append((record, first_of.get(key) or first_of[same]))
            continue
        first_of[key] = first_of[same] = record
        to_open.append(record)
    _known_households(actor, to_open, opened)
    # The villages of the chunk at once (a county roster names thousands).
    codes = {record.division_code for record in to_open} - opened.villages.keys()
    opened.villages.update(Division.objects.in_bulk(codes, field_name="code"))
    rows = [_sourced_child(record, opened) for record in to_open]
    by_batch = records[0].batch
    detail = f"导入 {Source(by_batch.source).label} 名册 {by_batch.file_name}:新建档案"
    children = children_register_from_source(actor=actor, children=rows, detail=detail)
    for record, row, child in zip(to_open, rows, children, strict=True):
        record.child, record.link_method = child, LinkMethod.CREATED
        if row.family:
            opened.households.setdefault(row.family, child.household_id)
    for record, first in twins:
        record.child, record.link_method = first.child, LinkMethod.ID_EXACT
        result.same_as_created.append(record)
    result.created = len(to_open)
    return result


def _same_name_birth_village(actor: User | None, records: list[SourceRecord]) -> dict[tuple, Child]:
    """Files with a row's name, birth date and village (what the registry calls a duplicate)."""
    wanted = {(r.name, r.birth_date, r.division_code) for r in records}
    same = scope_acting(
        actor,
        Child.objects.filter(
            name__in={key[0] for key in wanted},
            birth_date__in={key[1] for key in wanted},
            division_code__in={key[2] for key in wanted},
        ),
    )
    found = same.values_list("id", "name", "birth_date", "division_code")
    hits = {
        (name, birth, code): pk for pk, name, birth, code in found if (name, birth, code) in wanted
    }
    children = scope_acting(actor, Child.objects.all()).in_bulk(set(hits.values()))
    return {key: children[pk] for key, pk in hits.items()}


def _known_households(actor: User | None, records: list[SourceRecord], opened: Opened) -> None:
    """Households already on file, in the actor's reach, with a family phone of these rows
    (a sibling's)."""
    wanted = {}
    for record in records:
        given = record_values(record)
        phone = given.get(ClaimField.PHONE)
        key = _household_key(record.division_code, given)
        if phone and key and key not in opened.households:
            wanted[(record.division_code, phone)] = key
    if not wanted:
        return
    codes = {code for code, _ in wanted}
    phones = {phone for _, phone in wanted}
    found: dict[tuple[str, str], int] = {}
    by_household = scope_acting(
        actor, Household.objects.filter(division_code__in=codes, phone__in=phones)
    )
    for pk, code, phone in by_household.order_by("-id").values_list("id", "division_code", "phone"):
        found[(code, phone)] = pk
    by_guardian = scope_acting(
        actor, Guardian.objects.filter(child__division_code__in=codes, phone__in=phones)
    )
    for pk, code, phone in by_guardian.order_by("-id").values_list(
        "child__household_id", "child__division_code", "phone"
    ):
        found.setdefault((code, phone), pk)
    for (code, phone), key in wanted.items():
        if (code, phone) in found:
            opened.households[key] = found[(code, phone)]


def _sourced_child(record: SourceRecord, opened: Opened) -> SourcedChild:
    given = record_values(record)
    code = record.division_code
    # The number is the row's own, checked on reading and on no file yet (linking looked).
    data = _file_data(None, code, {f: v for f, v in given.items() if f != ClaimField.ID_NUMBER})
    key = _household_key(code, given)
    return SourcedChild(
        village=opened.villages[code],
        name=record.name,
        id_number=record.id_number or None,
        birth_date=record.birth_date,
        sex=record.sex,
        household_id=opened.households.get(key) if key else None,
        family=key,
        address=data.get("household_address", ""),
        household_phone=data.get("household_phone", "")
        or (data.get("guardian_phone", "") if not key else ""),
        guardian_name=data.get("guardian_name", ""),
        guardian_phone=data.get("guardian_phone", ""),
        class_name=data.get("class_name", ""),
        school=data.get("school"),
        disability_category=data.get("disability_category", ""),
        disability_grade=data.get("disability_grade"),
    )


def _household_key(code: str, given: dict[str, str]) -> tuple[str, ...] | None:
    """Rows of one village with the same family phone, or guardian and address, are siblings."""
    if given.get(ClaimField.PHONE):
        return (code, "phone", given[ClaimField.PHONE])
    if given.get(ClaimField.GUARDIAN) and given.get(ClaimField.ADDRESS):
        return (code, "guardian", given[ClaimField.GUARDIAN], given[ClaimField.ADDRESS])
    return None

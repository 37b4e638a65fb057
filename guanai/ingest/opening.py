"""New files for the roster rows that match no child: households shared by a family's rows, one
file for two rows of one child, and the search for a file of the same name, birth date and
village that the scores did not reach (a duplicate, left for review)."""

import dataclasses
from dataclasses import dataclass

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting
from guanai.geo.models import Division
from guanai.ingest.models import ClaimField, LinkMethod, Source, SourceRecord
from guanai.ingest.values import file_data, record_values
from guanai.registry.models import Child, Guardian, Household
from guanai.registry.services import SourcedChild, children_register_from_source


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
    data = file_data(None, code, {f: v for f, v in given.items() if f != ClaimField.ID_NUMBER})
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

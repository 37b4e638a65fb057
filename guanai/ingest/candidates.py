"""Which registered children a roster row may be: blocks, candidates and their scores.

Only children in the acting user's reach are candidates (accounts/scoping.py); a row whose
ID number is on file elsewhere never gets here (services._link_chunk holds it for the county).
"""

import operator
from collections.abc import Iterable
from functools import reduce

from django.db.models import Count, Max, Q

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting
from guanai.ingest import linkage
from guanai.ingest.models import SourceRecord
from guanai.registry.models import Child, Guardian
from guanai.registry.names import name_pinyin

PEOPLE_KEPT = 200_000  # registered children kept prepared for comparison during one import


def record_person(record: SourceRecord) -> linkage.Person:
    v = record.values
    return linkage.Person(
        key=f"r{record.pk}",
        name=record.name,
        # An invalid number given on the roster still tells a one-digit typo of a file's.
        id_number=record.id_number or v.get("id_number_given", ""),
        birth_date=record.birth_date,
        sex=record.sex,
        guardian=v.get("guardian", ""),
        phone=v.get("phone", ""),
        address=v.get("address", ""),
    ).prepare()


def children_people(actor: User | None, ids) -> dict[int, tuple[linkage.Person, str]]:
    """Registered children as linkage compares them (with their village), in two queries."""
    guardians: dict[int, tuple[str, str]] = {}
    primary = scope_acting(actor, Guardian.objects.filter(child_id__in=ids))
    for child_id, name, phone in primary.order_by("-is_primary", "-id").values_list(
        "child_id", "name", "phone"
    ):
        guardians[child_id] = (name, phone)  # the last one kept: the primary guardian
    people = {}
    rows = scope_acting(actor, Child.objects.filter(pk__in=ids)).values_list(
        "id",
        "name",
        "id_number",
        "birth_date",
        "sex",
        "household__phone",
        "household__address",
        "division_code",
    )
    for pk, name, number, birth, sex, household_phone, address, code in rows:
        guardian, phone = guardians.get(pk, ("", ""))
        person = linkage.Person(
            key=f"c{pk}",
            name=name,
            id_number=number or "",
            birth_date=birth,
            sex=sex,
            guardian=guardian,
            phone=phone or household_phone,
            address=address,
        )
        people[pk] = (person.prepare(), code)
    return people


def _blocks(record: SourceRecord) -> list[tuple]:
    """The keys a row is compared on: village and birth date first, then the name in pinyin
    (a name written in Latin letters as each of its readings spells it, so that "Xiaoyu Wang"
    finds 王小雨 without a birth date in common)."""
    simple = linkage.simplify(record.name)
    pinyins = [name_pinyin(simple)] if simple else []
    if pinyins and not pinyins[0]:
        pinyins = list(linkage.spellings(record.name))
    return [("born", record.division_code, record.birth_date)] + [
        ("pinyin", pinyin) for pinyin in pinyins if pinyin
    ]


def candidates(
    actor: User | None, records: list[SourceRecord], people: dict, unnumbered: "Unnumbered"
) -> list[list[int]]:
    """Ids of registered children a row may be, found for all rows at once; `people` gets each
    of them prepared for comparison (kept across chunks).

    Blocks: village and birth date, and the name in pinyin (a block of more than MAX_BLOCK
    children is no evidence). A row with an ID number not on file can only be a child
    registered without one (two valid different numbers never match), so for such rows only
    those are looked at. Only children in the actor's reach are candidates.
    """
    if not records:
        return []
    wanted = [_blocks(r) for r in records]
    found: set[tuple] = set()
    # Rows with a number need only children without one; the others need every child.
    for numbered in (True, False):
        keys = [k for r, k in zip(records, wanted, strict=True) if bool(r.id_number) == numbered]
        if keys:
            found |= unnumbered.members(keys) if numbered else _block_members(actor, keys)
    blocks: dict[tuple, list[int]] = {}
    without_number: set[int] = set()
    for pk, code, birth, pinyin, number in found:
        blocks.setdefault(("born", code, birth), []).append(pk)
        blocks.setdefault(("pinyin", pinyin), []).append(pk)
        if not number:
            without_number.add(pk)
    result = []
    for record, keys in zip(records, wanted, strict=True):
        ids: set[int] = set()
        for key in keys:
            members = blocks.get(key, [])
            if record.id_number:
                members = [pk for pk in members if pk in without_number]
            if len(members) <= linkage.MAX_BLOCK:  # a larger block is no evidence
                ids.update(members)
        result.append(sorted(ids))
    missing = {pk for ids in result for pk in ids} - people.keys()
    if len(people) + len(missing) > PEOPLE_KEPT:
        people.clear()
        missing = {pk for ids in result for pk in ids}
    people.update(children_people(actor, missing))
    return result


_MEMBER = ("id", "division_code", "birth_date", "name_pinyin", "id_number")


def _block_members(actor: User | None, wanted: list[list[tuple]]) -> set[tuple]:
    """(id, village, birth date, pinyin, number) of the children in these rows' blocks."""
    born: dict[str, set] = {}
    for keys in wanted:
        born.setdefault(keys[0][1], set()).add(keys[0][2])
    pinyins = {key[1] for keys in wanted for key in keys[1:]}
    common = (
        scope_acting(actor, Child.objects.filter(name_pinyin__in=pinyins))
        .values_list("name_pinyin")
        .annotate(n=Count("id"))
        .filter(n__gt=linkage.MAX_BLOCK)
        .order_by()
    )
    pinyins -= {pinyin for pinyin, _ in common}
    terms = [Q(name_pinyin__in=pinyins)]
    terms += [Q(division_code=code, birth_date__in=dates) for code, dates in born.items()]
    found: set[tuple] = set()
    # A few hundred terms per query: SQLite refuses expressions deeper than 1,000.
    for start in range(0, len(terms), 200):
        q = reduce(operator.or_, terms[start : start + 200])
        found.update(scope_acting(actor, Child.objects.filter(q)).values_list(*_MEMBER))
    return found


class Unnumbered:
    """The children registered without an ID number, by block: the only children a row with a
    number can be. Read once per import and kept in step with it (files opened by earlier chunks
    come in, files given a number by a row go out). Asked for chunk by chunk, the database went
    through every such child each time: a fifth of a million-row import on SQLite.
    """

    def __init__(self, actor: User | None) -> None:
        self.actor = actor  # only the children in the actor's reach
        self.last_pk: int | None = None  # children up to this id have been looked at
        self.children: dict[int, tuple] = {}  # id -> (id, village, birth date, pinyin, None)
        self.blocks: dict[tuple, set[int]] = {}

    def members(self, wanted: list[list[tuple]]) -> set[tuple]:
        """What _block_members gives for these rows' blocks, among children without a number."""
        self._take_new()
        return {
            self.children[pk] for keys in wanted for key in keys for pk in self.blocks.get(key, ())
        }

    def recheck(self, ids: Iterable[int]) -> None:
        """Children a row with a number was merged onto: those whose file took it go out."""
        ids = [pk for pk in ids if pk in self.children]
        if not ids:
            return
        given = scope_acting(self.actor, Child.objects.filter(pk__in=ids, id_number__isnull=False))
        for pk in given.values_list("id", flat=True):
            _, code, birth, pinyin, _ = self.children.pop(pk)
            self.blocks[("born", code, birth)].discard(pk)
            self.blocks[("pinyin", pinyin)].discard(pk)

    def _take_new(self) -> None:
        if self.last_pk is None:
            # The last id first: a child registered meanwhile comes in with the next look.
            reach = scope_acting(self.actor, Child.objects.all())
            self.last_pk = reach.aggregate(last=Max("id"))["last"] or 0
            children = reach.filter(id_number__isnull=True)
        else:
            children = scope_acting(self.actor, Child.objects.filter(id__gt=self.last_pk))
            self.last_pk = children.aggregate(last=Max("id"))["last"] or self.last_pk
        for member in children.filter(id__lte=self.last_pk).values_list(*_MEMBER):
            pk, code, birth, pinyin, number = member
            if number is None:
                self.children[pk] = member
                self.blocks.setdefault(("born", code, birth), set()).add(pk)
                self.blocks.setdefault(("pinyin", pinyin), set()).add(pk)


def scored(
    record: SourceRecord, candidates: list[int], people: dict
) -> list[tuple[float, int, str, linkage.Comparison]]:
    """(score, child id, child's village, comparison) of the candidates worth a look, best first."""
    person = record_person(record)
    scored = []
    for pk in candidates:
        other, division_code = people[pk]
        result = linkage.compare(person, other)
        if result.verdict != "non_match":
            scored.append((result.score, pk, division_code, result))
    scored.sort(key=lambda t: -t[0])
    return scored

"""Values from rosters onto children's files: one value shown per field, every other one kept.

`records_merge` brings linked rows' values onto their files as claims (`claims`), and saves a
file whose shown value changes through the registry; `record_unmerge` takes a row's values off
again when its link is undone.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting
from guanai.core.errors import AccessDenied
from guanai.geo.models import Division, Level
from guanai.ingest import linkage
from guanai.ingest.claims import ClaimBook, displayed_claim
from guanai.ingest.models import ClaimField, Source, SourceRecord
from guanai.ingest.values import data_takes, file_data, file_values, files_values, record_values
from guanai.registry.models import Child, Guardian
from guanai.registry.services import (
    SourceUpdate,
    child_update_from_source,
    children_update_from_source,
)


def _summary(record: SourceRecord) -> str:
    return f"导入:{Source(record.source).label}名册 {record.batch.file_name} {record.place}"[:200]


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


@transaction.atomic
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
        raise AccessDenied(_("要更新的档案不在您的管辖范围内"))
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
    primary = scope_acting(actor, Guardian.objects.filter(child_id__in=children, is_primary=True))
    with_guardian = set(primary.values_list("child_id", flat=True))
    book = ClaimBook(actor, set(children))
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
                taken = file_data(
                    child,
                    child.division_code,
                    {field: pick.value},
                    has_guardian=child.pk in with_guardian,
                )
            if data_takes(field, taken):
                values[field] = pick.value
                data, rows = changes.setdefault(child.pk, ({}, []))
                data.update(taken)
                if record not in rows:
                    rows.append(record)
            book.flag(claims, values[field])
    book.save()
    updates = [SourceUpdate(pk, data, _rows_summary(rows)) for pk, (data, rows) in changes.items()]
    if len(updates) == 1:  # one file: the one-file service (the same writes)
        one = updates[0]
        child_update_from_source(
            actor=actor, child=children[one.child_id], data=one.data, summary=one.summary
        )
    else:  # the chunk's files together: one scope check, bulk writes, the rules in one batch
        children_update_from_source(actor=actor, updates=updates)
    return len(changes)


def _rows_summary(rows: list[SourceRecord]) -> str:
    more = f" 等 {len(rows)} 行" if len(rows) > 1 else ""
    return _summary(rows[0])[: 200 - len(more)] + more


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
        raise AccessDenied(_("该档案不在您的管辖范围内"))
    current = file_values(actor, child)
    book = ClaimBook(actor, {child.pk})
    data: dict = {}
    for field in fields:
        claims = book.claims(child.pk, field)
        pick = displayed_claim(claims)
        value = current[field]
        if pick is not None and pick.value != value:
            taken = file_data(child, child.division_code, {field: pick.value})
            if data_takes(field, taken):
                data.update(taken)
                value = pick.value
        book.flag(claims, value)
    book.save()
    if data:
        summary = f"撤销关联:{_summary(record)}"[:200]
        child_update_from_source(actor=actor, child=child, data=data, summary=summary)

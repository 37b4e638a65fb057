"""What departments' roster rows claim about a file, and which claim the file shows.

A linked roster row gives values for some fields of the file (guardian, phone, address...).
Each value becomes a `FieldClaim` dated by the roster's date; the file's own value is a claim of
"档案录入", dated by the file's last change. `displayed_claim` picks what the file shows:

- among the sources trusted for the field (`TRUSTED_SOURCES`), the newest value wins;
- on the same day, the value already shown stays (no flip-flopping between two rosters);
- a value from a source not trusted for the field is shown only while no trusted source gave one.

The others stay as claims, and the file shows them with source and date
(`file_sources.claims_for_file`). `ClaimBook` holds some files' claims while a merge changes them.
"""

from collections.abc import Sequence

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from guanai.accounts.models import User
from guanai.accounts.scoping import scope_acting
from guanai.core.bulk import insert_many
from guanai.ingest.models import FILE_ENTRY, ClaimField, FieldClaim, Source, SourceRecord
from guanai.ingest.values import record_values
from guanai.registry.models import Child, Revision

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
    return max(reversed(latest), key=claim_age)


class ClaimBook:
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
        keep = max(reversed(matching), key=claim_age) if matching else None
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


def claim_age(claim: FieldClaim) -> tuple:
    """Order of claims of one day: stored ones by id, then new ones (newest last)."""
    return (claim.observed_on, claim.pk is None, claim.pk or 0)

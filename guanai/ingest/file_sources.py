"""The file page's account of where its data came from: each field's claims (the shown value and
the others, masked unless revealing) and the roster rows linked to the file."""

from collections.abc import Iterable
from dataclasses import dataclass

from guanai.ingest.models import ClaimField, FieldClaim, SourceRecord
from guanai.ingest.values import disability_label
from guanai.registry.masking import mask_field
from guanai.registry.models import Child

# claim field -> the name masking knows it by
_MASK_AS = {
    ClaimField.ID_NUMBER: "id_number",
    ClaimField.PHONE: "phone",
    ClaimField.DISABILITY: "disability_category",
}


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

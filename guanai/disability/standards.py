"""The standard that applies to a claim: the most specific area, then the latest date."""

from collections.abc import Iterable
from datetime import date

from guanai.disability.models import Basis, RehabStandard
from guanai.disability.settlement import Standard


def pick(rows: Iterable[RehabStandard], area_code: str, day: date) -> RehabStandard | None:
    """Of the rows of one kind and item: those in force on `day` for `area_code`, the most
    specific area first, then the latest."""
    covering = [r for r in rows if r.effective_from <= day and area_code.startswith(r.area_prefix)]
    if not covering:
        return None
    return max(covering, key=lambda r: (len(r.area_prefix), r.effective_from))


def as_standard(row: RehabStandard | None) -> Standard | None:
    if row is None:
        return None
    return Standard(
        amount=row.amount,
        yearly=row.basis == Basis.YEAR,
        min_months=row.min_months,
        monthly_cap=row.monthly_cap,
    )


def standard_for(kind: str, item: str, area_code: str, day: date) -> RehabStandard | None:
    return pick(RehabStandard.objects.filter(kind=kind, item=item), area_code, day)


class StandardBook:
    """Every standard read once (a batch or a bench settles thousands of claims)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[RehabStandard]] = {}
        for row in RehabStandard.objects.all():
            self.rows.setdefault((row.kind, row.item), []).append(row)

    def find(self, kind: str, item: str, area_code: str, day: date) -> RehabStandard | None:
        return pick(self.rows.get((kind, item), []), area_code, day)

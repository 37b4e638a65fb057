"""What a protection case tells the rules: an open case of harm from absent or improper
guardianship makes the child 监护困境, any other a sudden event (临时困境); the reason names
the case number, never its details. Closed cases end on their closing day."""

from django.db.models import QuerySet
from django.utils import timezone

from guanai.accounts.scoping import unscoped, unscoped_area, within
from guanai.protection.choices import CaseKind
from guanai.protection.models import ProtectionCase
from guanai.registry.extensions import ChildEvent
from guanai.rules.choices import HardshipKind

HARDSHIP_OF = {
    CaseKind.ABUSE: HardshipKind.ABUSE,
    CaseKind.ABANDONMENT: HardshipKind.ABANDONMENT,
    CaseKind.NEGLECT: HardshipKind.GUARDIANSHIP_HARM,
    CaseKind.DOMESTIC_VIOLENCE: HardshipKind.GUARDIANSHIP_HARM,
    CaseKind.SEXUAL_HARM: HardshipKind.GUARDIANSHIP_HARM,
    CaseKind.ACCIDENT: HardshipKind.ACCIDENT,
}


def _events(cases: QuerySet) -> list[ChildEvent]:
    rows = cases.values_list(
        "child_id", "kind", "happened_at", "received_at", "closed_at", "number"
    )
    return [
        ChildEvent(
            child_id=child_id,
            kind=str(HARDSHIP_OF.get(kind, HardshipKind.SUDDEN_EVENT)),
            occurred_on=timezone.localdate(happened or received),
            ended_on=timezone.localdate(closed) if closed else None,
            words=f"保护个案 {number}",
        )
        for child_id, kind, happened, received, closed, number in rows.order_by()
    ]


def case_events(child_id: int) -> list[ChildEvent]:
    return _events(
        unscoped(ProtectionCase.objects.filter(child_id=child_id), purpose="rules on save")
    )


def case_events_between(first_id: int, last_id: int, division_code: str) -> list[ChildEvent]:
    area = unscoped_area(division_code, purpose="rules batch")
    return _events(
        within(area, ProtectionCase.objects.filter(child_id__gte=first_id, child_id__lte=last_id))
    )

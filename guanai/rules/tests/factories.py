"""Children with parents, events and receipts in the database, for the rules' tests."""

from datetime import date

from guanai.geo.models import Division
from guanai.registry.models import Child, Parent
from guanai.rules.models import BenefitReceipt, HardshipEvent
from guanai.testing.factories import child_build


def kid(village: Division, name: str = "张小明", **extra) -> Child:
    """A child without an ID number: the rules do not read it, and the shared factory's ID
    numbers are a limited sequence for the whole test run."""
    return child_build(village, name, with_id=False, **extra)


def parent_add(child: Child, role: str, status: str = "at_home", **extra) -> Parent:
    parent = Parent.objects.create(household=child.household, role=role, status=status, **extra)
    setattr(child, role, parent)
    child.save(update_fields=[role])
    return parent


def left_behind_build(village: Division, name: str = "留守娃", **extra) -> Child:
    """A child whose parents both work away (since 2022), born 2015-03-09 unless told."""
    child = kid(village, name, **extra)
    away = {"away_destination": "广东省东莞市", "status_since": date(2022, 3, 1)}
    parent_add(child, "father", "working_away", **away)
    parent_add(child, "mother", "working_away", **away)
    return child


def event_add(child: Child, kind: str, occurred_on: date, **extra) -> HardshipEvent:
    return HardshipEvent.objects.create(
        child=child,
        division_code=child.division_code,
        kind=kind,
        occurred_on=occurred_on,
        description=extra.pop("description", "测试事件"),
        **extra,
    )


def receipt_add(child: Child, benefit: str, start_on: date, **extra) -> BenefitReceipt:
    return BenefitReceipt.objects.create(
        child=child, division_code=child.division_code, benefit=benefit, start_on=start_on, **extra
    )


def rules_probe_args(child: Child) -> dict[str, int]:
    """URL arguments of the rules pages pointing at `child` (the jurisdiction probe's child B)."""
    receipt = child.benefit_receipts.first() or receipt_add(child, "dibao", date(2024, 1, 1))
    event = child.hardship_events.first() or event_add(child, "accident", date(2024, 1, 1))
    return {"child_pk": child.pk, "receipt_pk": receipt.pk, "event_pk": event.pk}

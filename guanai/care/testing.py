"""Builders for tests (and the URL probe): care objects that hang off a child."""

from datetime import date, timedelta

from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.care.models import Activity, CareRecord, CarerKind, Flag, Pairing
from guanai.registry.models import Child


def pairing_build(
    child: Child, carer: User, kind: str = CarerKind.CARING_MOTHER, **extra
) -> Pairing:
    start = extra.pop("start_date", timezone.localdate() - timedelta(days=400))
    return Pairing.objects.create(child=child, carer=carer, kind=kind, start_date=start, **extra)


def record_build(pairing: Pairing, day: date | None = None, **extra) -> CareRecord:
    return CareRecord.objects.create(
        child=pairing.child,
        carer=pairing.carer,
        pairing=pairing,
        division_code=pairing.child.division_code,
        activity=extra.pop("activity", Activity.TALK),
        date=day or timezone.localdate(),
        **extra,
    )


def care_objects_for(child: Child) -> dict[str, object]:
    """A pairing and a record with a flag, all about `child` (get or make)."""
    carer = User.objects.filter(username=f"carer_of_{child.pk}").first()
    if carer is None:
        from guanai.testing.factories import user_build

        carer = user_build(f"carer_of_{child.pk}", Role.CARER, child.division)
    pairing = Pairing.objects.filter(child=child, carer=carer).first() or pairing_build(
        child, carer
    )
    record = pairing.records.first() or record_build(
        pairing, severity="serious", problems="家中无人照看"
    )
    flag = Flag.objects.filter(record=record).first() or Flag.objects.create(
        child=child,
        record=record,
        division_code=child.division_code,
        raised_by=carer,
        summary=record.problems,
    )
    return {
        "pk": child.pk,
        "child_pk": child.pk,
        "pairing_pk": pairing.pk,
        "record_pk": record.pk,
        "flag_pk": flag.pk,
    }

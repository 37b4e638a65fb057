from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.registry.forms import initial_from_child
from guanai.registry.models import Child
from guanai.registry.services import child_deactivate, child_update
from guanai.rules import services
from guanai.rules.models import ChildBaseline, ChildFinding, FindingChange, RuleParameter
from guanai.rules.tests.factories import event_add, kid, left_behind_build, parent_add

DAY = timedelta(days=1)


def current(child) -> dict[str, ChildFinding]:
    return {f.code: f for f in ChildFinding.objects.filter(child=child, is_current=True)}


def edit(actor, child, **changes):
    child = Child.objects.get(pk=child.pk)
    data = initial_from_child(child) | changes
    return child_update(actor=actor, child=child, version=child.version, data=data)


@pytest.mark.django_db
def test_the_first_evaluation_is_the_baseline_not_a_change(place):
    child = left_behind_build(place.village_a)
    stats = services.child_evaluate(child)
    found = current(child)["left_behind"]
    assert stats.inserted == 1
    assert found.started_on == date(2022, 3, 1)
    assert found.reason.endswith("→ 留守儿童")
    assert ChildBaseline.objects.filter(child=child).exists()
    assert not FindingChange.objects.exists()


@pytest.mark.django_db
def test_saving_a_file_re_evaluates_it_and_records_the_change(users, place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    edit(users["director_a"], child, father_status="at_home", father_away_destination="")
    assert "left_behind" not in current(child)
    ended = ChildFinding.objects.get(child=child, code="left_behind")
    today = timezone.localdate()
    assert (ended.is_current, ended.ended_on) == (False, today - DAY)
    assert ended.end_reason == "档案信息变化,不再符合条件"
    change = FindingChange.objects.get(child=child)
    assert (change.change, change.code, change.on) == ("ended", "left_behind", today - DAY)
    assert change.division_code == child.division_code
    assert change.confirmed_at is None


@pytest.mark.django_db
def test_a_birthday_ends_the_category_on_its_eve(place):
    child = left_behind_build(place.village_a, birth=date(2009, 6, 2))
    services.registry_evaluate(as_of=date(2025, 6, 1))
    assert current(child)["left_behind"].valid_until == date(2025, 6, 1)
    services.registry_evaluate(as_of=date(2025, 6, 10))
    ended = ChildFinding.objects.get(child=child, code="left_behind")
    assert (ended.ended_on, ended.end_reason) == (date(2025, 6, 1), "满16周岁")
    change = FindingChange.objects.get(child=child)
    assert change.on == date(2025, 6, 1)
    assert change.reason.startswith("满16周岁(原认定:")


@pytest.mark.django_db
def test_a_second_batch_writes_nothing(place):
    for village in (place.village_a, place.village_b, place.village_c):
        left_behind_build(village)
    kid(place.village_a, "普通娃")
    first = services.registry_evaluate(as_of=date(2025, 6, 1), chunk_size=2)
    again = services.registry_evaluate(as_of=date(2025, 6, 2), chunk_size=2)
    assert (first.children, first.inserted) == (4, 3)
    assert (again.inserted, again.updated, again.closed, again.changes) == (0, 0, 0, 0)


@pytest.mark.django_db
def test_batch_and_single_evaluation_agree(place):
    a = left_behind_build(place.village_a)
    b = kid(place.village_b, "困境娃")
    parent_add(b, "father", "dead", status_since=date(2019, 1, 1))
    parent_add(b, "mother", "missing", status_since=date(2020, 1, 1))
    c = kid(place.village_c, "临时娃")
    event_add(c, "accident", timezone.localdate() - 10 * DAY)
    services.registry_evaluate()
    batch = {(f.child_id, f.code, f.reason, f.valid_until) for f in ChildFinding.objects.all()}
    ChildFinding.objects.all().delete()
    for child in (a, b, c):
        services.child_evaluate(child)
    single = {(f.child_id, f.code, f.reason, f.valid_until) for f in ChildFinding.objects.all()}
    assert batch == single
    assert {"orphan_allowance", "de_facto_unsupported", "temporary_assistance"} <= {
        code for _, code, _, _ in batch
    }


@pytest.mark.django_db
def test_a_batch_limited_to_a_division_leaves_the_rest_alone(place):
    a = left_behind_build(place.village_a)
    c = left_behind_build(place.village_c)
    stats = services.registry_evaluate(division_code=place.township_1.prefix)
    assert stats.children == 1
    assert current(a) and not current(c)


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(place):
    left_behind_build(place.village_a)
    stats = services.registry_evaluate(dry_run=True)
    assert stats.inserted == 1
    assert not ChildFinding.objects.exists()


@pytest.mark.django_db
def test_a_county_raises_an_age_from_a_date_without_code(place):
    child = left_behind_build(place.village_a, birth=date(2008, 9, 1))
    RuleParameter.objects.create(
        name="left_behind.age_below",
        area_code=place.county.code,
        effective_from=date(2025, 1, 1),
        value=Decimal(18),
    )
    services.registry_evaluate(as_of=date(2024, 12, 31))
    assert "left_behind" not in current(child)
    services.registry_evaluate(as_of=date(2025, 1, 1))
    assert "未满18周岁" in current(child)["left_behind"].reason
    # Elsewhere the national age still holds.
    other = left_behind_build(place.village_a, "外县娃", birth=date(2008, 9, 1))
    other.division_code = "360427001001"
    Child.objects.filter(pk=other.pk).update(division_code="360427001001")
    services.child_evaluate(other, as_of=date(2025, 1, 1))
    assert "left_behind" not in current(other)


@pytest.mark.django_db
def test_a_changed_reason_is_updated_in_place(users, place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    row = current(child)["left_behind"]
    edit(users["director_a"], child, father_away_destination="浙江省义乌市")
    updated = current(child)["left_behind"]
    assert updated.pk == row.pk
    assert "浙江省义乌市" in updated.reason
    assert not FindingChange.objects.exists()


@pytest.mark.django_db
def test_closing_a_file_ends_its_findings_without_asking(users, place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    child_deactivate(
        actor=users["director_a"], child=child, reason="moved_away", on=timezone.localdate()
    )
    ended = ChildFinding.objects.get(child=child)
    assert (ended.is_current, ended.end_reason) == (False, "档案已注销")
    assert not FindingChange.objects.exists()


@pytest.mark.django_db
def test_recording_a_receipt_is_checked_and_audited(users, place):
    child = kid(place.village_a)
    director = users["director_a"]
    today = timezone.localdate()
    receipt = services.benefit_receipt_record(
        actor=director, child=child, benefit="dibao", start_on=today, monthly_amount=Decimal(300)
    )
    assert AuditEvent.objects.filter(object_type="rules.benefitreceipt", action="create").exists()
    with pytest.raises(DomainError, match="已有享受记录"):
        services.benefit_receipt_record(
            actor=director, child=child, benefit="dibao", start_on=today
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.benefit_receipt_record(
            actor=director, child=child, benefit="tekun_support", start_on=today + DAY
        )
    with pytest.raises(AccessDenied):
        services.benefit_receipt_record(
            actor=users["director_b"], child=child, benefit="tekun_support", start_on=today
        )
    services.benefit_receipt_end(actor=director, receipt=receipt, end_on=today)
    receipt.refresh_from_db()
    assert receipt.end_on == today
    with pytest.raises(DomainError, match="已停止"):
        services.benefit_receipt_end(actor=director, receipt=receipt, end_on=today)


@pytest.mark.django_db
def test_a_hardship_event_makes_a_temporary_difficulty_until_it_ends(users, place):
    child = kid(place.village_a)
    director = users["director_a"]
    today = timezone.localdate()
    event = services.hardship_event_record(
        actor=director,
        child=child,
        kind="accident",
        occurred_on=today - 3 * DAY,
        description="车祸受伤住院",
    )
    assert {"temporary_difficulty", "temporary_assistance"} <= set(current(child))
    services.hardship_event_end(actor=director, event=event, ended_on=today - DAY)
    assert "temporary_difficulty" not in current(child)
    assert FindingChange.objects.filter(child=child, change="ended").count() == 2


@pytest.mark.django_db
def test_receiving_a_living_benefit_ends_the_temporary_assistance(place, users):
    child = kid(place.village_a)
    event_add(child, "sudden_event", timezone.localdate() - 3 * DAY)
    services.child_evaluate(child)
    assert "temporary_assistance" in current(child)
    services.benefit_receipt_record(
        actor=users["director_a"], child=child, benefit="dibao", start_on=timezone.localdate()
    )
    assert "temporary_assistance" not in current(child)


@pytest.mark.django_db
def test_confirming_changes_is_scoped_and_audited(users, place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    parent_add(child, "father", "at_home")
    services.child_evaluate(child)
    change = FindingChange.objects.get()
    with pytest.raises(AccessDenied):
        services.finding_changes_confirm(actor=users["director_b"], changes=[change])
    with pytest.raises(AccessDenied):
        services.finding_changes_confirm(actor=users["carer_a"], changes=[change])
    assert services.finding_changes_confirm(actor=users["director_a"], changes=[change]) == 1
    change.refresh_from_db()
    assert change.confirmed_by == users["director_a"]
    assert AuditEvent.objects.filter(object_type="rules.findingchange", action="update").exists()
    assert services.finding_changes_confirm(actor=users["director_a"], changes=[change]) == 0


@pytest.mark.django_db
def test_who_may_set_parameters(users, place):
    set_ = services.rule_parameter_set
    row = set_(
        actor=users["county"],
        name="dibao.standard_monthly.rural",
        area_code=place.county.code,
        effective_from=date(2025, 4, 1),
        value=Decimal("650"),
    )
    assert row.value == Decimal("650")
    with pytest.raises(AccessDenied):
        set_(
            actor=users["county"],
            name="dibao.standard_monthly.rural",
            area_code="",
            effective_from=date(2025, 4, 1),
            value=Decimal("1"),
        )
    with pytest.raises(AccessDenied):
        set_(
            actor=users["director_a"],
            name="dibao.standard_monthly.rural",
            area_code=place.village_a.code,
            effective_from=date(2025, 4, 1),
            value=Decimal("1"),
        )
    with pytest.raises(DomainError, match="没有名为"):
        set_(actor=None, name="no.such", area_code="", effective_from=date(2025, 4, 1), value=1)


@pytest.mark.django_db
def test_a_batch_inside_a_transaction_stays_in_this_process(place):
    """Workers need the connections closed, which an open transaction (a test's) forbids."""
    for village in (place.village_a, place.village_b, place.village_c):
        left_behind_build(village)
    stats = services.registry_evaluate(workers=2, chunk_size=1)
    assert (stats.children, stats.inserted) == (3, 3)

from datetime import date
from decimal import Decimal

import pytest

from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.disability import services
from guanai.disability.models import Claim, ClaimStatus, PaymentBatch, RehabApplication, Status
from guanai.disability.standards import standard_for
from guanai.disability.testing import application_build
from guanai.disability.tests.conftest import APPLIED
from guanai.testing.factories import child_build

FORM = {
    "kind": "training",
    "category": "intellectual",
    "applicant_name": "陈母",
    "applicant_relation": "母亲",
    "residence": "household",
    "diagnosis": "精神发育迟滞",
    "applied_on": APPLIED,
}


def apply(actor, child, **changes):
    return services.application_create(actor=actor, child=child, **(FORM | changes))


def referred(federation, child, institution, **changes):
    application = apply(federation, child, **changes)
    return services.application_refer(
        actor=federation, application=application, institution=institution, on=date(2026, 3, 5)
    )


def test_the_national_standards_are_shipped(db):
    assert standard_for("cochlear_implant", "", "360426001001", date(2026, 1, 1)).amount == 12000
    assert standard_for("training", "vision", "360426001001", date(2026, 1, 1)).amount == 1000
    training = standard_for("training", "autism", "360426001001", date(2026, 1, 1))
    assert (training.amount, training.min_months, training.monthly_cap) == (17000, 10, 1700)
    assert standard_for("device", "walker", "360426001001", date(2026, 1, 1)).amount == 1500
    assert standard_for("training", "autism", "360426001001", date(2017, 1, 1)) is None


def test_a_village_director_files_an_eligible_application(users, child):
    application = apply(users["director_a"], child)
    assert application.status == Status.ELIGIBLE
    assert "符合智力残疾儿童康复训练救助对象为 0-14 岁的条件" in application.reason
    assert AuditEvent.objects.filter(object_type="disability.rehabapplication").exists()


def test_outside_the_age_rule_is_refused_naming_it_and_nothing_is_saved(users, place):
    older = child_build(place.village_a, "周大", birth=date(2017, 1, 1))  # 9 in March 2026
    with pytest.raises(DomainError, match="肢体残疾儿童康复训练救助对象为 0-7 岁") as error:
        apply(users["director_a"], older, category="limb")
    assert error.value.field == "child"
    assert not RehabApplication.objects.exists()


def test_a_household_registered_elsewhere_needs_a_residence_paper(users, child):
    child.household.hukou_region_code = "440300"
    child.household.save()
    with pytest.raises(DomainError, match="户籍不在本县"):
        apply(users["director_a"], child)
    assert apply(users["director_a"], child, residence="permit").status == Status.ELIGIBLE


def test_outsiders_cannot_apply(users, child):
    with pytest.raises(AccessDenied):
        apply(users["director_b"], child)
    with pytest.raises(AccessDenied):
        apply(users["carer_a"], child)


def test_referral_fills_the_institution_and_then_refuses_when_full(federation, place, institution):
    for name in ("甲", "乙"):
        referred(
            federation,
            child_build(place.village_a, f"陈{name}", birth=date(2020, 1, 1)),
            institution,
        )
    third = apply(federation, child_build(place.village_b, "陈丙", birth=date(2020, 1, 1)))
    with pytest.raises(DomainError, match=r"名额已满\(2/2\)"):
        services.application_refer(
            actor=federation, application=third, institution=institution, on=date(2026, 3, 5)
        )
    third.refresh_from_db()
    assert third.status == Status.ELIGIBLE


def test_a_training_claim_needs_months(federation, child, institution):
    application = referred(federation, child, institution)
    with pytest.raises(DomainError, match="实际训练月数") as error:
        services.claim_create(
            actor=federation,
            application=application,
            period_start=date(2026, 3, 5),
            period_end=date(2026, 3, 31),
            cost="2000",
        )
    assert error.value.field == "months"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("cost", "-1", "总费用不能为负数"),
        ("cost", "两千", "总费用须为数字"),
        ("insurance_paid", "abc", "基本医保支付须为数字"),
        ("medical_aid_paid", "-5", "医疗救助支付不能为负数"),
        ("critical_paid", "2500", "大病保险支付 2500 元高于总费用 2000 元"),
        ("cost", "NaN", "总费用须为数字"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(
    federation, child, institution, field, value, words
):
    application = referred(federation, child, institution)
    amounts = {"cost": "2000", field: value}
    with pytest.raises(DomainError, match=words) as error:
        services.claim_create(
            actor=federation,
            application=application,
            period_start=date(2026, 3, 5),
            period_end=date(2026, 3, 31),
            months=1,
            **amounts,
        )
    assert error.value.field == field
    assert not Claim.objects.exists()


def test_insurances_together_above_the_cost_are_refused(federation, child, institution):
    application = referred(federation, child, institution)
    with pytest.raises(DomainError, match="合计 2100 元高于总费用 2000 元"):
        services.claim_create(
            actor=federation,
            application=application,
            period_start=date(2026, 3, 5),
            period_end=date(2026, 3, 31),
            months=1,
            cost="2000",
            insurance_paid="1000",
            critical_paid="1100",
        )


def test_claims_of_a_year_share_the_standard(federation, child, institution):
    application = referred(federation, child, institution)

    def claim(start, end, months, cost):
        return services.claim_create(
            actor=federation,
            application=application,
            period_start=start,
            period_end=end,
            months=months,
            cost=cost,
            insurance_paid="0",
        )

    first = claim(date(2026, 3, 5), date(2026, 8, 31), 6, "15000")
    assert first.payable == Decimal("10200")  # 6 months: at most 1700 a month
    second = claim(date(2026, 9, 1), date(2026, 12, 31), 4, "12000")
    assert second.payable == Decimal("6800")  # 10 months: 17000 for the year, 10200 paid
    assert "本年已付 10200 元" in second.words


def test_a_one_off_is_settled_once(federation, place, institution):
    small = child_build(place.village_a, "耳蜗", birth=date(2022, 1, 1))
    application = referred(
        federation, small, institution, kind="cochlear_implant", category="hearing"
    )
    claim = services.claim_create(
        actor=federation,
        application=application,
        period_start=date(2026, 3, 10),
        period_end=date(2026, 3, 20),
        cost="60000",
        insurance_paid="30000",
        critical_paid="10000",
    )
    assert claim.payable == Decimal("12000")
    assert "余额 20000 元高于标准 12000 元,按标准支付" in claim.words
    assert claim.months is None
    with pytest.raises(DomainError, match="一次性救助,已结算过"):
        services.claim_create(
            actor=federation,
            application=application,
            period_start=date(2026, 3, 10),
            period_end=date(2026, 3, 20),
            cost="100",
        )


def test_checks_go_institution_then_federation_then_batch(users, federation, child, institution):
    county = users["county"]
    application = referred(federation, child, institution)
    claim = services.claim_create(
        actor=county,
        application=application,
        period_start=date(2026, 3, 5),
        period_end=date(2026, 3, 31),
        months=1,
        cost="1500",
    )
    with pytest.raises(DomainError, match="没有残联已审核"):
        services.batch_create(actor=county, county=users["county"].division)
    with pytest.raises(DomainError, match="机构核对人"):
        services.claim_check(actor=county, claim=claim)
    claim = services.claim_check(actor=county, claim=claim, checker="机构财务王某")
    assert claim.status == ClaimStatus.INSTITUTION_CHECKED
    with pytest.raises(AccessDenied, match="只有残联"):
        services.claim_check(actor=county, claim=claim)
    claim = services.claim_check(actor=federation, claim=claim)
    assert claim.status == ClaimStatus.FEDERATION_CHECKED
    batch = services.batch_create(actor=county, county=county.division)
    assert (batch.claim_count, batch.total_payable, batch.frozen) == (1, Decimal("1500"), True)
    claim.refresh_from_db()
    assert (claim.status, claim.batch_id) == (ClaimStatus.BATCHED, batch.pk)
    with pytest.raises(DomainError, match="无需再审核"):
        services.claim_check(actor=federation, claim=claim)
    assert PaymentBatch.objects.count() == 1


def test_township_staff_cannot_settle_or_batch(users, child, institution):
    application = application_build(child, status=Status.REFERRED, institution=institution)
    with pytest.raises(AccessDenied):
        services.claim_create(
            actor=users["supervisor_1"],
            application=application,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            months=1,
            cost="100",
        )
    with pytest.raises(AccessDenied):
        services.batch_create(actor=users["supervisor_1"], county=users["county"].division)


def test_a_drop_out_needs_a_reason(federation, child, institution):
    application = referred(federation, child, institution)
    with pytest.raises(DomainError, match="退出原因"):
        services.application_progress(
            actor=federation, application=application, status="dropped", on=date(2026, 4, 1)
        )
    application = services.application_progress(
        actor=federation,
        application=application,
        status="dropped",
        on=date(2026, 4, 1),
        reason="随父母外出",
    )
    assert application.status == Status.DROPPED
    assert "中途退出:随父母外出" in application.reason


def test_a_list_of_claims_shares_the_year_and_fails_whole(federation, child, place, institution):
    application = referred(federation, child, institution)
    other = referred(
        federation, child_build(place.village_b, "陈乙", birth=date(2020, 1, 1)), institution
    )

    def entry(app, month, cost="2000", **extra):
        return services.ClaimEntry(
            app, date(2026, month, 5), date(2026, month, 28), cost, months=1, **extra
        )

    made = services.claims_create_many(
        actor=federation,
        entries=[entry(application, m) for m in range(3, 13)] + [entry(other, 3, "900")],
    )
    assert [c.payable for c in made[:10]] == [Decimal("1700")] * 10
    assert made[-1].payable == Decimal("900")
    assert sum(c.payable for c in made[:10]) == 17000  # the year's standard, reached in month 10
    with pytest.raises(DomainError, match="第 2 条:总费用须为数字") as error:
        services.claims_create_many(
            actor=federation, entries=[entry(other, 4), entry(other, 5, "一千")]
        )
    assert error.value.field == "cost"
    assert Claim.objects.count() == 11
    with pytest.raises(DomainError, match="第 3 条:本年已结算 12 个月"):
        services.claims_create_many(
            actor=federation, entries=[entry(application, 12) for _ in range(3)]
        )


def test_a_list_is_refused_outside_the_actors_area(users, child, institution):
    application = application_build(child, status=Status.REFERRED, institution=institution)
    entry = services.ClaimEntry(application, date(2026, 1, 5), date(2026, 1, 28), "100", months=1)
    with pytest.raises(AccessDenied):
        services.claims_create_many(actor=users["supervisor_2"], entries=[entry])


def test_the_agreement_needs_the_assessment_and_the_plan(federation, child, institution):
    application = referred(federation, child, institution)
    with pytest.raises(DomainError, match="康复评估") as error:
        services.application_progress(
            actor=federation, application=application, status="in_service", on=date(2026, 3, 10)
        )
    assert error.value.field == "assessment"
    application = services.application_progress(
        actor=federation,
        application=application,
        status="in_service",
        on=date(2026, 3, 10),
        assessment="认知发展落后约两年",
        plan="每周五次个训,每月评估",
    )
    assert (application.status, application.agreement_on) == (Status.IN_SERVICE, date(2026, 3, 10))
    with pytest.raises(DomainError, match="不能改为康复中"):
        services.application_progress(
            actor=federation, application=application, status="in_service", on=date(2026, 3, 11)
        )

"""From eligible to paid: the township proposes, the county approves (maker-checker), the
child leaves the gap list and is on the month's frozen payment list, reproducible later."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guanai.accounts.models import Role
from guanai.benefits import services
from guanai.benefits.models import PaymentLine, Proposal, ProposalStatus
from guanai.core.errors import AccessDenied, DomainError
from guanai.registry.models import Guardian
from guanai.rules.models import BenefitReceipt, RuleParameter
from guanai.rules.services import child_evaluate
from guanai.rules.tests.factories import kid, parent_add
from guanai.testing.factories import user_build

pytestmark = pytest.mark.django_db
ORPHAN = "orphan_allowance"


@pytest.fixture
def orphan(place):
    child = kid(place.village_a, "孤儿甲")
    parent_add(child, "father", "dead")
    parent_add(child, "mother", "dead")
    Guardian.objects.create(
        child=child, name="张爷爷", relation="grandparent_paternal", is_primary=True
    )
    RuleParameter.objects.create(
        name="orphan_allowance.monthly",
        area_code="360426",
        effective_from=date(2020, 1, 1),
        value=Decimal("1500"),
    )
    child_evaluate(child)
    return child


@pytest.fixture
def second_county_user(place):
    return user_build("county2", Role.CIVIL_AFFAIRS, place.county)


def test_a_proposal_needs_the_rules_finding(users, children, orphan):
    with pytest.raises(DomainError, match="不符合“孤儿") as refused:
        services.proposal_create(actor=users["supervisor_1"], child=children["a"], benefit=ORPHAN)
    assert refused.value.field == "benefit"
    proposal = services.proposal_create(actor=users["supervisor_1"], child=orphan, benefit=ORPHAN)
    assert proposal.basis.startswith("孤儿;") and "基本生活费" in proposal.basis  # the reason
    with pytest.raises(DomainError, match="已在审批中"):
        services.proposal_create(actor=users["supervisor_1"], child=orphan, benefit=ORPHAN)
    for outsider in (users["supervisor_2"], users["director_a"], users["carer_a"]):
        with pytest.raises(AccessDenied):
            services.proposal_create(actor=outsider, child=orphan, benefit=ORPHAN)


def test_the_county_approves_another_persons_proposal_at_the_standard(
    users, orphan, second_county_user
):
    proposal = services.proposal_create(actor=users["county"], child=orphan, benefit=ORPHAN)
    start = timezone.localdate().replace(day=1)
    with pytest.raises(AccessDenied, match="不能审批本人"):
        services.proposal_decide(
            actor=users["county"], proposal=proposal, approve=True, start_on=start
        )
    with pytest.raises(DomainError) as off:
        services.proposal_decide(
            actor=second_county_user,
            proposal=proposal,
            approve=True,
            start_on=start,
            monthly_amount="1200",
        )
    assert off.value.field == "off_table_reason" and "标准为 1500.00 元/月" in off.value.message
    for bad in ("abc", "-5", "NaN"):
        with pytest.raises(DomainError) as wrong:
            services.proposal_decide(
                actor=second_county_user,
                proposal=proposal,
                approve=True,
                start_on=start,
                monthly_amount=bad,
            )
        assert wrong.value.field == "monthly_amount"
    assert not BenefitReceipt.objects.exists()
    approved = services.proposal_decide(
        actor=second_county_user,
        proposal=proposal,
        approve=True,
        start_on=start,
        monthly_amount="1500",
    )
    assert approved.status == ProposalStatus.APPROVED and approved.standard_amount == Decimal(
        "1500"
    )
    assert approved.receipt.monthly_amount == Decimal("1500")
    with pytest.raises(AccessDenied):  # the township proposes; only the county decides
        services.proposal_decide(actor=users["supervisor_1"], proposal=proposal, approve=False)


def test_a_refusal_needs_a_reason(users, orphan):
    proposal = services.proposal_create(actor=users["supervisor_1"], child=orphan, benefit=ORPHAN)
    with pytest.raises(DomainError) as refused:
        services.proposal_decide(actor=users["county"], proposal=proposal, approve=False)
    assert refused.value.field == "note"
    done = services.proposal_decide(
        actor=users["county"], proposal=proposal, approve=False, note="已由其他渠道供养"
    )
    assert done.status == ProposalStatus.REFUSED and not BenefitReceipt.objects.exists()


def test_from_the_gap_list_to_the_frozen_payment_list(login, users, place, orphan):
    supervisor = login(users["supervisor_1"])
    gaps = supervisor.get(reverse("rules:gap_list")).content.decode()
    propose = reverse("benefits:proposal_create", args=[orphan.pk]) + f"?benefit={ORPHAN}"
    assert "孤儿甲" in gaps and propose in gaps
    supervisor.post(reverse("benefits:proposal_create", args=[orphan.pk]), {"benefit": ORPHAN})
    proposal = Proposal.objects.get()
    county = login(users["county"])
    start = timezone.localdate().replace(day=1)
    response = county.post(
        reverse("benefits:proposal_detail", args=[proposal.pk]),
        {"decision": "approve", "start_on": start.isoformat(), "monthly_amount": "1500"},
    )
    assert response.status_code == 302
    assert "孤儿甲" not in county.get(reverse("rules:gap_list")).content.decode()

    response = county.post(
        reverse("benefits:payment_list_index"), {"benefit": ORPHAN, "month": start.isoformat()}
    )
    frozen = PaymentLine.objects.get().payment_list
    assert (frozen.children, frozen.total, frozen.version) == (1, Decimal("1500.00"), 1)
    line = PaymentLine.objects.get()
    assert line.payee_masked.startswith("张") and "爷爷" not in line.payee_masked
    orphan.name = "孤儿乙"  # the file changes later: the frozen month does not
    orphan.save()
    xlsx = county.get(reverse("benefits:payment_list_xlsx", args=[frozen.pk]))
    rows = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.values)
    names = [r[2] for r in rows]
    assert "孤儿甲" in names and "孤儿乙" not in names
    assert rows[-1][0] == "合计" and rows[-1][5] == 1500
    refused = county.post(
        reverse("benefits:payment_list_index"), {"benefit": ORPHAN, "month": start.isoformat()}
    )
    assert refused.status_code == 400 and "更正说明" in refused.content.decode()
    county.post(
        reverse("benefits:payment_list_index"),
        {"benefit": ORPHAN, "month": start.isoformat(), "note": "更正姓名"},
    )
    assert sorted(PaymentLine.objects.values_list("payment_list__version", "name")) == [
        (1, "孤儿甲"),
        (2, "孤儿乙"),
    ]
    for outsider in ("supervisor_1", "supervisor_2", "director_a"):
        page = login(users[outsider]).get(reverse("benefits:payment_list_detail", args=[frozen.pk]))
        assert page.status_code in (403, 404), outsider


def test_a_stop_the_rules_propose_is_confirmed_by_the_county(login, users, place, orphan):
    from guanai.rules.tests.factories import receipt_add

    no_longer = kid(place.village_b, "不符合娃")  # nothing on file makes 低保 due
    receipt = receipt_add(no_longer, "dibao", date(2024, 1, 1))
    child_evaluate(no_longer)
    county = login(users["county"])
    page = county.get(reverse("rules:gap_list") + "?which=unentitled").content.decode()
    assert "不符合娃" in page and reverse("benefits:receipt_stop", args=[receipt.pk]) in page
    stop = reverse("benefits:receipt_stop", args=[receipt.pk])
    assert county.post(stop, {"end_on": "2024-06-30", "reason": ""}).status_code == 400
    county.post(stop, {"end_on": "2024-06-30", "reason": "家庭收入已超过低保标准"})
    receipt.refresh_from_db()
    assert receipt.end_on == date(2024, 6, 30)
    assert login(users["supervisor_1"]).get(stop).status_code in (403, 404)  # the county stops


def test_the_county_approves_only_on_reviewed_facts(users, orphan):
    """A village's change waiting for the township's review blocks an approval, not a refusal."""
    from guanai.registry import review
    from guanai.registry.testing import fact_review_build

    proposal = services.proposal_create(actor=users["supervisor_1"], child=orphan, benefit=ORPHAN)
    waiting = fact_review_build(orphan)
    type(orphan).objects.filter(pk=orphan.pk).update(facts_pending=True)
    start = timezone.localdate().replace(day=1)
    with pytest.raises(DomainError, match="尚未审核"):
        services.proposal_decide(
            actor=users["county"], proposal=proposal, approve=True, start_on=start
        )
    review.reviews_accept(actor=users["supervisor_1"], ids=[waiting.pk])
    approved = services.proposal_decide(
        actor=users["county"], proposal=proposal, approve=True, start_on=start
    )
    assert approved.status == ProposalStatus.APPROVED


def test_the_file_offers_the_township_a_proposal_for_what_is_owed(login, users, orphan):
    url = reverse("registry:child_detail", args=[orphan.pk])
    propose = reverse("benefits:proposal_create", args=[orphan.pk]) + f"?benefit={ORPHAN}"
    assert propose in login(users["supervisor_1"]).get(url).content.decode()
    assert propose not in login(users["director_a"]).get(url).content.decode()

"""Builders for tests (and the URL probe): a proposal and a frozen payment list naming a child."""

from decimal import Decimal

from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.benefits.models import PaymentLine, PaymentList, Proposal
from guanai.registry.models import Child
from guanai.rules.choices import Benefit
from guanai.rules.models import BenefitReceipt


def benefit_objects_for(child: Child) -> dict[str, object]:
    """A proposal for `child` by its township's supervisor, and the county's payment list with
    the child on it (get or make)."""
    township = child.division_code[:9]
    proposer = User.objects.filter(role=Role.CHILD_SUPERVISOR, division__code=township).first()
    county = User.objects.filter(role=Role.CIVIL_AFFAIRS, division__code=township[:6]).first()
    assert proposer is not None and county is not None, "the probe's county has both"
    proposal = Proposal.objects.filter(child=child).first() or Proposal.objects.create(
        child=child,
        division_code=child.division_code,
        benefit=Benefit.ORPHAN_ALLOWANCE,
        basis="父母双亡",
        proposed_by=proposer,
    )
    month = timezone.localdate().replace(day=1)
    payment_list = PaymentList.objects.filter(county_code=township[:6]).first()
    if payment_list is None:
        payment_list = PaymentList.objects.create(
            county_code=township[:6],
            benefit=Benefit.ORPHAN_ALLOWANCE,
            month=month,
            frozen_by=county,
            children=1,
            total=Decimal("1500"),
        )
        PaymentLine.objects.create(
            payment_list=payment_list,
            child=child,
            division_code=child.division_code,
            township="蒲亭镇",
            village=child.division.name,
            name=child.name,
            amount=Decimal("1500"),
            start_on=month,
        )
    receipt = BenefitReceipt.objects.filter(child=child).first() or BenefitReceipt.objects.create(
        child=child, division_code=child.division_code, benefit=Benefit.DIBAO, start_on=month
    )
    return {
        "child_pk": child.pk,
        "receipt_pk": receipt.pk,
        "proposal_pk": proposal.pk,
        "list_pk": payment_list.pk,
    }

"""Reads of proposals and payment lists, through the gate."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.benefits.models import PaymentLine, PaymentList, Proposal, ProposalStatus
from guanai.core.errors import AccessDenied
from guanai.rules.choices import FindingKind
from guanai.rules.models import BenefitReceipt, ChildFinding


def proposals_for(user: User) -> QuerySet[Proposal]:
    return scope(user, Proposal.objects.select_related("child", "child__division", "proposed_by"))


def proposal_queue_for(user: User) -> QuerySet[Proposal]:
    """Proposals waiting for the county, oldest first."""
    return proposals_for(user).filter(status=ProposalStatus.PROPOSED).order_by("proposed_at", "id")


def proposal_get_for(user: User, pk: int) -> Proposal:
    proposal = proposals_for(user).filter(pk=pk).first()
    if proposal is None:
        raise AccessDenied(_("没有找到该申报,或不在您的管辖范围内"))
    return proposal


def eligibility_for(user: User, child_id: int, benefit: str) -> ChildFinding | None:
    """The rules' current finding that the child is owed the benefit (None: not owed)."""
    found = scope(user, ChildFinding.objects.filter(child_id=child_id))
    return found.filter(kind=FindingKind.BENEFIT, code=benefit, is_current=True).first()


def open_proposal_exists(user: User, child_id: int, benefit: str) -> bool:
    return (
        proposals_for(user)
        .filter(child_id=child_id, benefit=benefit, status=ProposalStatus.PROPOSED)
        .exists()
    )


def receipts_in_month(user: User, county_code: str, benefit: str, first, last):
    """Receipts of the county's children in force some day of the month."""
    receipts = scope(user, BenefitReceipt.objects.filter(benefit=benefit, start_on__lte=last))
    return (
        receipts.filter(division_code__startswith=county_code)
        .exclude(end_on__lt=first)
        .select_related("child", "child__division", "child__division__parent")
        .prefetch_related("child__guardians")
        .order_by("division_code", "child__name", "id")
    )


def payment_lists_for(user: User) -> QuerySet[PaymentList]:
    return scope(user, PaymentList.objects.select_related("frozen_by"))


def payment_list_get_for(user: User, pk: int) -> PaymentList:
    found = payment_lists_for(user).filter(pk=pk).first()
    if found is None:
        raise AccessDenied(_("没有找到该发放名册,或不在您的管辖范围内"))
    return found


def payment_lines(user: User, payment_list: PaymentList) -> QuerySet[PaymentLine]:
    return scope(user, PaymentLine.objects.filter(payment_list=payment_list))


def last_version(user: User, county_code: str, benefit: str, month) -> int:
    found = payment_lists_for(user).filter(county_code=county_code, benefit=benefit, month=month)
    return max(found.values_list("version", flat=True), default=0)


def receipt_get_for(user: User, pk: int) -> BenefitReceipt:
    receipt = scope(user, BenefitReceipt.objects.select_related("child")).filter(pk=pk).first()
    if receipt is None:
        raise AccessDenied(_("没有找到该享受记录,或不在您的管辖范围内"))
    return receipt

"""Writes for benefit decisions and payment lists: propose, decide (maker-checker), freeze.
Atomic, checked through the gate, audited; an approval becomes the rules' receipt."""

from calendar import monthrange
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import require_division, scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.benefits import permissions, selectors
from guanai.benefits.models import PaymentLine, PaymentList, Proposal, ProposalStatus
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.geo.models import Division, Level
from guanai.registry.idnumber import mask as mask_id_number
from guanai.registry.masking import MASK
from guanai.registry.models import Child
from guanai.rules.choices import Benefit
from guanai.rules.models import BenefitReceipt
from guanai.rules.parameters import book_load
from guanai.rules.services import benefit_receipt_end, benefit_receipt_record

# The parameter holding each allowance's monthly standard (rules/parameters.SPECS); 低保 by the
# child's area being urban or rural. Benefits not listed have no monthly amount to check.
STANDARDS: dict[str, str] = {
    Benefit.ORPHAN_ALLOWANCE: "orphan_allowance.monthly",
    Benefit.TEKUN_SUPPORT: "tekun_support.monthly",
    Benefit.DISABILITY_LIVING_SUBSIDY: "disability_living_subsidy.monthly",
    Benefit.DISABILITY_CARE_SUBSIDY: "disability_care_subsidy.monthly",
}
LEGAL_BASIS: dict[str, str] = {
    Benefit.ORPHAN_ALLOWANCE: "国办发〔2010〕54号;民发〔2019〕62号",
    Benefit.TEKUN_SUPPORT: "国发〔2016〕14号",
    Benefit.DIBAO: "《社会救助暂行办法》",
}


def standard_for(child: Child, benefit: str, on: date) -> Decimal | None:
    """The monthly standard in force for the child's area on the day, if the table has one."""
    code = child.division_code
    if benefit == Benefit.DIBAO:
        urban = bool(child.division.is_urban)
        name = f"dibao.standard_monthly.{'urban' if urban else 'rural'}"
    else:
        name = STANDARDS.get(benefit, "")
    return book_load(code).value(name, code, on) if name else None


@transaction.atomic
def proposal_create(*, actor: User, child: Child, benefit: str, note: str = "") -> Proposal:
    """The township proposes a benefit the rules say the child is owed now."""
    if not permissions.can_propose(actor):
        raise AccessDenied(_("只有乡镇(街道)儿童督导员或县级民政部门可以申报待遇"))
    if not scope(actor, Child.objects.filter(pk=child.pk)).exists():
        raise AccessDenied(_("该儿童不在您的管辖范围内"), field="child")
    if benefit not in Benefit.values:
        raise DomainError(_("请选择保障待遇"), field="benefit")
    finding = selectors.eligibility_for(actor, child.pk, benefit)
    label = Benefit(benefit).label
    if finding is None:
        raise DomainError(
            _("按现有档案,该儿童不符合“%(label)s”的条件,不能申报"), field="benefit", label=label
        )
    if selectors.open_proposal_exists(actor, child.pk, benefit):
        raise DomainError(_("该儿童的“%(label)s”已在审批中"), field="benefit", label=label)
    proposal = Proposal.objects.create(
        child=child,
        division_code=child.division_code,
        benefit=benefit,
        basis=finding.reason[:500],
        note=note.strip()[:300],
        proposed_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=proposal,
        label=f"{child.name}:{label}",
        detail=f"申报{label}:{finding.reason}"[:500],
    )
    return proposal


def _amount(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise DomainError(_("金额须为数字"), field="monthly_amount") from None
    if not value.is_finite() or value < 0:
        raise DomainError(_("金额须为不小于 0 的数字"), field="monthly_amount")
    return value.quantize(Decimal("0.01"))


@recorded
@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    approve: bool,
    note: str = "",
    start_on: date | None = None,
    monthly_amount=None,
    off_table_reason: str = "",
) -> Proposal:
    """The county approves (the receipt the gap list reads) or refuses with a reason."""
    if not permissions.can_decide(actor):
        raise AccessDenied(_("只有县级民政部门可以审批待遇"))
    locked = scope(actor, Proposal.objects.select_for_update()).filter(pk=proposal.pk).first()
    if locked is None:
        raise AccessDenied(_("没有找到该申报,或不在您的管辖范围内"))
    proposal = locked
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(_("该申报已审批"), field="note")
    if proposal.proposed_by_id == actor.pk:
        raise AccessDenied(_("不能审批本人提交的申报(申报与审批须由不同人员办理)"))
    label = proposal.get_benefit_display()
    child = scope(actor, Child.objects.select_related("division")).get(pk=proposal.child_id)
    if not approve:
        if not note.strip():
            raise DomainError(_("不予批准时请填写理由"), field="note")
        proposal.status = ProposalStatus.REFUSED
    else:
        if child.facts_pending:
            # Maker-checker on the facts too: the county approves on what the township reviewed.
            raise DomainError(
                _("该儿童档案有村(居)录入、乡镇(街道)尚未审核的信息变更,审核通过后才能批准"),
                field="note",
            )
        if start_on is None:
            raise DomainError(_("请填写开始享受日期"), field="start_on")
        amount = _amount(monthly_amount)
        standard = standard_for(child, proposal.benefit, start_on)
        if amount is not None and amount != standard and not off_table_reason.strip():
            shown = (
                f"标准为 {standard} 元/月" if standard is not None else "标准表中没有该待遇的金额"
            )
            raise DomainError(
                _("金额 %(amount)s 元/月与标准不同(%(shown)s),请填写理由"),
                field="off_table_reason",
                amount=amount,
                shown=shown,
            )
        receipt = benefit_receipt_record(
            actor=actor,
            child=child,
            benefit=proposal.benefit,
            start_on=start_on,
            monthly_amount=amount,
            note=f"县级审批(申报 {proposal.pk})",
        )
        proposal.status = ProposalStatus.APPROVED
        proposal.start_on, proposal.monthly_amount = start_on, amount
        proposal.standard_amount = standard
        proposal.off_table_reason = off_table_reason.strip()[:300]
        proposal.legal_basis = LEGAL_BASIS.get(proposal.benefit, "")
        proposal.receipt = receipt
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.decision_note = note.strip()[:300]
    proposal.save()
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=proposal,
        label=f"{child.name}:{label}",
        changes={"status": (ProposalStatus.PROPOSED, proposal.status)},
        detail=f"{proposal.get_status_display()}:{proposal.decision_note}"[:500],
    )
    return proposal


@recorded
@transaction.atomic
def receipt_stop(*, actor: User, receipt: BenefitReceipt, end_on: date | None, reason: str) -> None:
    """The county confirms a stop the rules propose (the child no longer qualifies): nothing
    stops silently, and the stop is audited with its reason."""
    if not permissions.can_decide(actor):
        raise AccessDenied(_("只有县级民政部门可以停发待遇"))
    if not scope(actor, BenefitReceipt.objects.filter(pk=receipt.pk)).exists():
        raise AccessDenied(_("没有找到该享受记录,或不在您的管辖范围内"))
    if end_on is None:
        raise DomainError(_("请填写停发日期"), field="end_on")
    if not reason.strip():
        raise DomainError(_("请填写停发原因"), field="reason")
    benefit_receipt_end(actor=actor, receipt=receipt, end_on=end_on)
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=receipt,
        label=f"{receipt.child.name}:{receipt.get_benefit_display()}",
        changes={"end_on": (None, end_on)},
        detail=f"确认停发:{reason.strip()}"[:500],
    )


def _month_span(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


@transaction.atomic
def payment_list_freeze(
    *, actor: User, county: Division, benefit: str, month: date, note: str = ""
) -> PaymentList:
    """Freeze the month's list of the county's children receiving the allowance, as a new
    version (an earlier one stays as it was)."""
    if not permissions.can_decide(actor):
        raise AccessDenied(_("只有县级民政部门可以生成发放名册"))
    if county.level != Level.COUNTY:
        raise DomainError(_("请选择县(区)"), field="county")
    require_division(actor, county.code)
    if benefit not in Benefit.values:
        raise DomainError(_("请选择保障待遇"), field="benefit")
    first, last = _month_span(month)
    version = selectors.last_version(actor, county.code, benefit, first) + 1
    if version > 1 and not note.strip():
        raise DomainError(_("重新生成(更正)时请填写更正说明"), field="note")
    payment_list = PaymentList.objects.create(
        county_code=county.code,
        benefit=benefit,
        month=first,
        version=version,
        frozen_by=actor,
        note=note.strip()[:300],
    )
    lines = []
    for receipt in selectors.receipts_in_month(actor, county.code, benefit, first, last):
        child = receipt.child
        village = child.division
        guardians = sorted(child.guardians.all(), key=lambda g: (not g.is_primary, g.pk))
        guardian = guardians[0] if guardians else None
        lines.append(
            PaymentLine(
                payment_list=payment_list,
                child=child,
                division_code=child.division_code,
                township=village.parent.name if village.parent else "",
                village=village.name,
                name=child.name,
                id_number_masked=mask_id_number(child.id_number) if child.id_number else "",
                payee_masked=(guardian.name[:1] + MASK[:2]) if guardian else "",
                amount=receipt.monthly_amount,
                start_on=receipt.start_on,
                reason=receipt.note[:500],
            )
        )
    PaymentLine.objects.bulk_create(lines, batch_size=2000)
    payment_list.children = len(lines)
    payment_list.total = sum((line.amount or Decimal(0) for line in lines), Decimal(0))
    payment_list.save(update_fields=["children", "total"])
    audit(
        actor=actor,
        action=Action.CREATE,
        target=payment_list,
        division_code=county.code,
        detail=f"冻结发放名册 {payment_list}:{len(lines)} 人,合计 {payment_list.total} 元",
    )
    return payment_list

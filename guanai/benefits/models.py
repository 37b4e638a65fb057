"""Benefit decisions and payment lists (审核报送): the township proposes a benefit the rules
say a child is owed, the county approves (a receipt the gap list reads) or refuses, and each
month the county freezes the list of who is paid what.

A frozen payment list is a copy: its lines keep the name, amount and reason as they were, so
a past month is reproduced exactly after files change; a correction is a new version.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanai.rules.choices import Benefit


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待县级审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class Proposal(models.Model):
    scope_division_field = "division_code"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="benefit_proposals"
    )
    division_code = models.CharField(max_length=12)
    benefit = models.CharField(_("保障待遇"), max_length=40, choices=Benefit.choices)
    basis = models.CharField(_("认定依据"), max_length=500)  # the rules' reason when proposed
    note = models.CharField(_("申报说明"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    start_on = models.DateField(_("开始享受日期"), null=True, blank=True)
    monthly_amount = models.DecimalField(
        _("月发放金额(元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    standard_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    off_table_reason = models.CharField(_("金额与标准不同的理由"), max_length=300, blank=True)
    legal_basis = models.CharField(_("政策依据"), max_length=200, blank=True)
    receipt = models.OneToOneField(
        "rules.BenefitReceipt", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("待遇申报")
        verbose_name_plural = _("待遇申报")
        indexes = [models.Index(fields=["division_code", "status"], name="proposal_area_status")]

    def __str__(self) -> str:
        return f"{self.get_benefit_display()} {self.child_id}"


class PaymentList(models.Model):
    """One county's list of one allowance for one month, frozen (a version)."""

    scope_division_field = "county_code"

    county_code = models.CharField(max_length=6)
    benefit = models.CharField(_("保障待遇"), max_length=40, choices=Benefit.choices)
    month = models.DateField(_("发放月份"))  # its first day
    version = models.PositiveIntegerField(default=1)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("更正说明"), max_length=300, blank=True)
    children = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["-month", "benefit", "-version"]
        verbose_name = _("发放名册")
        verbose_name_plural = _("发放名册")
        constraints = [
            models.UniqueConstraint(
                fields=["county_code", "benefit", "month", "version"], name="payment_list_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_benefit_display()} 第{self.version}版"


class PaymentLine(models.Model):
    """A child on a frozen list, as the files said when it was frozen."""

    scope_division_field = "division_code"

    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE, related_name="lines")
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+")
    division_code = models.CharField(max_length=12)
    township = models.CharField(max_length=100)
    village = models.CharField(max_length=100)
    name = models.CharField(max_length=50)
    id_number_masked = models.CharField(max_length=18, blank=True)
    payee_masked = models.CharField(_("领取人"), max_length=50, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    start_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["division_code", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"

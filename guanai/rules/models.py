"""What the rules found for each child, the parameters they used, and the facts only people can record.

ChildFinding rows are written by the rules (services.py), never by hand: one row per period in
which a child was in a category or eligible for a benefit. FindingChange rows are the starts and
ends that a child director confirms. BenefitReceipt and HardshipEvent are recorded by people.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanai.rules.choices import Benefit, ChangeKind, FindingKind, HardshipKind, finding_label


class RuleParameter(models.Model):
    """One value of a rule parameter (an age, a duration, an amount) for an area and a period.

    The value in force for a child on a day is the row of the most specific area (longest
    division-code prefix of the child's village, '' = national) whose period covers the day,
    and among those the latest `effective_from`. A county changes its amounts by adding rows.
    """

    name = models.CharField(_("参数"), max_length=60)
    area_code = models.CharField(_("适用区划代码前缀"), max_length=12, blank=True)
    effective_from = models.DateField(_("起始日期"))
    effective_to = models.DateField(_("截止日期"), null=True, blank=True)
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "area_code", "effective_from"]
        verbose_name = _("规则参数")
        verbose_name_plural = _("规则参数")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "area_code", "effective_from"], name="rule_parameter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.area_code or '全国'} {self.effective_from}: {self.value}"


class HardshipEvent(models.Model):
    """A recorded event: a sudden hardship (临时困境) or harm from absent or improper guardianship."""

    scope_division_field = "division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="hardship_events"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("事件类型"), max_length=20, choices=HardshipKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    ended_on = models.DateField(_("困难解除日期"), null=True, blank=True)
    description = models.CharField(_("情况说明"), max_length=300)
    other_assistance = models.BooleanField(_("已获得其他生活救助"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("困境事件")
        verbose_name_plural = _("困境事件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class BenefitReceipt(models.Model):
    """A benefit the child actually receives (or received), as recorded by a worker."""

    scope_division_field = "division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="benefit_receipts"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    benefit = models.CharField(_("保障待遇"), max_length=40, choices=Benefit.choices)
    start_on = models.DateField(_("开始享受日期"))
    end_on = models.DateField(_("停止日期"), null=True, blank=True)
    monthly_amount = models.DecimalField(
        _("月发放金额(元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("享受待遇记录")
        verbose_name_plural = _("享受待遇记录")
        indexes = [models.Index(fields=["child", "benefit"])]

    def __str__(self) -> str:
        return f"{self.get_benefit_display()} {self.start_on}"


class ChildFinding(models.Model):
    """One period in which a child was in a category or eligible for a benefit, and why."""

    scope_division_field = "division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="findings")
    division_code = models.CharField(max_length=12)
    kind = models.CharField(_("类型"), max_length=10, choices=FindingKind.choices)
    code = models.CharField(_("类别/待遇"), max_length=40)
    reason = models.CharField(_("认定依据"), max_length=500)
    started_on = models.DateField(_("起始日期"))
    # False when the file's facts carry no dates: started_on is then the day the rules first
    # found it, the latest the child can have qualified, and is shown as such (不详).
    started_known = models.BooleanField(_("起始日期有依据"), default=True)
    # Found from facts a village entered and the township has not reviewed yet (待审核).
    pending_review = models.BooleanField(_("依据待审核"), default=False)
    # Newly found under a newer rule version in a file evaluated before: counted once the
    # director confirms its start (FindingChange), not silently.
    awaits_confirmation = models.BooleanField(_("新版本认定待确认"), default=False)
    valid_until = models.DateField(_("按现有档案截止日期"), null=True, blank=True)
    until_reason = models.CharField(_("截止原因"), max_length=100, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=300, blank=True)
    is_current = models.BooleanField(_("当前有效"), default=True)
    as_of = models.DateField(_("认定日期"))

    class Meta:
        ordering = ["kind", "code", "-started_on"]
        verbose_name = _("认定结果")
        verbose_name_plural = _("认定结果")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind", "code"],
                condition=Q(is_current=True),
                name="child_finding_one_current",
            )
        ]
        indexes = [models.Index(fields=["division_code", "kind", "code", "is_current"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return finding_label(self.kind, self.code)

    @property
    def started_words(self) -> str:
        """符合起始 as the page and the exports show it."""
        if self.started_known:
            return self.started_on.isoformat()
        return f"不详(档案未记日期,{self.started_on.isoformat()} 起认定)"


class FindingChange(models.Model):
    """A category or benefit that started or ended for a child, waiting for the director to confirm."""

    scope_division_field = "division_code"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="finding_changes"
    )
    division_code = models.CharField(max_length=12)
    kind = models.CharField(_("类型"), max_length=10, choices=FindingKind.choices)
    code = models.CharField(_("类别/待遇"), max_length=40)
    change = models.CharField(_("变化"), max_length=10, choices=ChangeKind.choices)
    on = models.DateField(_("变化日期"))
    reason = models.CharField(_("原因"), max_length=500)
    detected_on = models.DateField(_("发现日期"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["division_code", "child_id", "on", "id"]
        verbose_name = _("认定变化")
        verbose_name_plural = _("认定变化")
        indexes = [models.Index(fields=["division_code", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.get_change_display()}:{self.label}"

    @property
    def label(self) -> str:
        return finding_label(self.kind, self.code)


class ChildBaseline(models.Model):
    """Marks that a child's file has been evaluated once.

    What the first evaluation finds is the baseline, not a change: a county loaded from an old
    roster would otherwise ask its directors to confirm every category of every child.
    """

    child = models.OneToOneField(
        "registry.Child", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    evaluated_on = models.DateField()

    class Meta:
        verbose_name = _("首次认定")
        verbose_name_plural = _("首次认定")

    def __str__(self) -> str:
        return f"{self.child_id} {self.evaluated_on}"

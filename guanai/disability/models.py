"""Rehabilitation assistance for disabled children (康复救助, seed 004 篇10).

National standards as dated parameters (RehabStandard), the designated institutions, each
child's application (eligibility in words, referral), the institutions' claims with the
settlement in words, and the frozen payment batches. People's rows carry the child's village
code (`division_code`, the scoping field); institutions and batches the county's code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanai.registry.choices import DisabilityCategory


class Kind(models.TextChoices):
    TRAINING = "training", _("康复训练")
    EARLY_INTERVENTION = "early_intervention", _("早期干预")
    COCHLEAR_IMPLANT = "cochlear_implant", _("人工耳蜗植入手术")
    LIMB_SURGERY = "limb_surgery", _("肢体矫治手术")
    DEVICE = "device", _("辅助器具适配")


class Device(models.TextChoices):
    HEARING_AIDS = "hearing_aids", _("助听器(双耳数字式,含验配)")
    PROSTHESIS = "prosthesis", _("假肢或矫形器")
    WHEELCHAIR = "wheelchair", _("轮椅")
    POSTURE_CHAIR = "posture_chair", _("坐姿椅")
    STANDING_FRAME = "standing_frame", _("站立架")
    WALKER = "walker", _("助行器")


# The disability a device serves.
DEVICE_CATEGORY = {
    Device.HEARING_AIDS: DisabilityCategory.HEARING,
    Device.PROSTHESIS: DisabilityCategory.LIMB,
    Device.WHEELCHAIR: DisabilityCategory.LIMB,
    Device.POSTURE_CHAIR: DisabilityCategory.LIMB,
    Device.STANDING_FRAME: DisabilityCategory.LIMB,
    Device.WALKER: DisabilityCategory.LIMB,
}
# Categories with a rehabilitation programme (mental and multiple have none of their own).
REHAB_CATEGORIES = [
    DisabilityCategory.VISION,
    DisabilityCategory.HEARING,
    DisabilityCategory.SPEECH,
    DisabilityCategory.LIMB,
    DisabilityCategory.INTELLECTUAL,
    DisabilityCategory.AUTISM,
]


class Basis(models.TextChoices):
    ONCE = "once", _("一次性")
    YEAR = "year", _("每年")


class RehabStandard(models.Model):
    """One dated standard: from `effective_from`, in the area whose code starts with `area_prefix`
    ("" national), for a kind and item (a disability category for training, a device, or "")."""

    effective_from = models.DateField(_("起始日期"))
    area_prefix = models.CharField(_("适用地区代码"), max_length=12, blank=True)
    kind = models.CharField(_("救助项目"), max_length=20, choices=Kind.choices)
    item = models.CharField(_("类别或器具"), max_length=20, blank=True)
    basis = models.CharField(_("计算方式"), max_length=10, choices=Basis.choices)
    amount = models.DecimalField(_("标准(元)"), max_digits=10, decimal_places=2)
    min_months = models.PositiveSmallIntegerField(_("全额所需训练月数"), null=True, blank=True)
    monthly_cap = models.DecimalField(
        _("不足月数时每月上限(元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "item", "-effective_from"]
        verbose_name = _("康复救助标准")
        verbose_name_plural = _("康复救助标准")
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "area_prefix", "kind", "item"],
                name="rehab_standard_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.amount} 元({self.effective_from})"


class Institution(models.Model):
    """A designated rehabilitation institution (定点康复机构) of a county."""

    scope_division_field = "division_code"

    name = models.CharField(_("机构名称"), max_length=100)
    division_code = models.CharField(_("所在县(区)代码"), max_length=12, db_index=True)
    services = models.CharField(_("服务项目"), max_length=200, blank=True)
    prices = models.CharField(_("收费标准"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("服务能力(名额)"), default=0)
    agreement_start = models.DateField(_("协议起始日期"), null=True, blank=True)
    agreement_end = models.DateField(_("协议截止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("定点"), default=True)

    class Meta:
        ordering = ["division_code", "name"]
        verbose_name = _("定点康复机构")
        verbose_name_plural = _("定点康复机构")

    def __str__(self) -> str:
        return self.name


class Residence(models.TextChoices):
    HOUSEHOLD = "household", _("本县户籍")
    TEMPORARY = "temporary", _("本县暂住登记")
    PERMIT = "permit", _("本县居住证")


class Status(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ELIGIBLE = "eligible", _("审核通过")
    REFUSED = "refused", _("不符合条件")
    REFERRED = "referred", _("已转介机构")
    IN_SERVICE = "in_service", _("康复中")
    DROPPED = "dropped", _("中途退出")
    CLOSED = "closed", _("已结束")


class RehabApplication(models.Model):
    scope_division_field = "division_code"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="rehab_applications"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(_("救助项目"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("残疾类别"), max_length=20, choices=DisabilityCategory.choices)
    device = models.CharField(_("辅助器具"), max_length=20, choices=Device.choices, blank=True)
    applicant_name = models.CharField(_("申请人"), max_length=50)
    applicant_relation = models.CharField(_("与儿童关系"), max_length=30)
    is_delegate = models.BooleanField(_("受监护人委托代为申请"), default=False)
    applicant_id_number = models.CharField(_("申请人身份证号"), max_length=18, blank=True)
    residence = models.CharField(_("居住依据"), max_length=20, choices=Residence.choices)
    diagnosis = models.TextField(_("诊断意见"))
    applied_on = models.DateField(_("申请日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("定点康复机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    referred_on = models.DateField(_("转介日期"), null=True, blank=True)
    agreement_on = models.DateField(_("康复协议签订日期"), null=True, blank=True)
    assessment = models.TextField(_("康复评估"), blank=True)
    plan = models.TextField(_("康复计划"), blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("康复救助申请")
        verbose_name_plural = _("康复救助申请")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请 {self.pk}"

    @property
    def item(self) -> str:
        """The key of its standard: the device, or the category for training, or nothing."""
        if self.kind == Kind.DEVICE:
            return self.device
        if self.kind == Kind.TRAINING:
            return self.category
        return ""


class ClaimStatus(models.TextChoices):
    ENTERED = "entered", _("待机构核对")
    INSTITUTION_CHECKED = "institution_checked", _("机构已核对")
    FEDERATION_CHECKED = "federation_checked", _("残联已审核")
    BATCHED = "batched", _("已列入拨付批次")


class PaymentBatch(models.Model):
    """Checked claims frozen together for finance to pay the institutions."""

    scope_division_field = "division_code"

    number = models.CharField(_("批次号"), max_length=30, unique=True)
    division_code = models.CharField(_("县(区)代码"), max_length=12, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    frozen = models.BooleanField(_("已冻结"), default=True)
    claim_count = models.PositiveIntegerField(_("结算笔数"), default=0)
    total_cost = models.DecimalField(_("费用合计"), max_digits=14, decimal_places=2, default=0)
    total_payable = models.DecimalField(_("救助合计"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")

    def __str__(self) -> str:
        return self.number


class Claim(models.Model):
    """An institution's claim for one application over a period, with its settlement."""

    scope_division_field = "division_code"

    application = models.ForeignKey(
        RehabApplication, on_delete=models.PROTECT, related_name="claims"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="claims")
    period_start = models.DateField(_("结算期起"))
    period_end = models.DateField(_("结算期止"))
    months = models.PositiveSmallIntegerField(_("实际训练月数"), null=True, blank=True)
    cost = models.DecimalField(_("总费用(元)"), max_digits=10, decimal_places=2)
    insurance_paid = models.DecimalField(
        _("基本医保支付"), max_digits=10, decimal_places=2, default=0
    )
    critical_paid = models.DecimalField(
        _("大病保险支付"), max_digits=10, decimal_places=2, default=0
    )
    supplementary_paid = models.DecimalField(
        _("补充保险支付"), max_digits=10, decimal_places=2, default=0
    )
    medical_aid_paid = models.DecimalField(
        _("医疗救助支付"), max_digits=10, decimal_places=2, default=0
    )
    issued_free = models.BooleanField(_("残联已免费发放该器具"), default=False)
    standard = models.DecimalField(
        _("适用标准(元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    payable = models.DecimalField(_("救助金额(元)"), max_digits=10, decimal_places=2)
    words = models.CharField(_("计算说明"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=24, choices=ClaimStatus.choices, default=ClaimStatus.ENTERED
    )
    institution_checker = models.CharField(_("机构核对人"), max_length=50, blank=True)
    institution_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution_checked_at = models.DateTimeField(null=True, blank=True)
    federation_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    federation_checked_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("康复救助结算")
        verbose_name_plural = _("康复救助结算")
        indexes = [models.Index(fields=["status", "division_code"], name="claim_status_area")]

    def __str__(self) -> str:
        return f"结算 {self.pk}"

    @property
    def paid_first(self):
        return (
            self.insurance_paid
            + self.critical_paid
            + self.supplementary_paid
            + self.medical_aid_paid
        )


class HomeTeaching(models.Model):
    """送教上门 for one child and one school year (seed 004 篇4, 篇8): free and voluntary, with
    an agreement the family signs, the child's situation and an individual education plan."""

    scope_division_field = "division_code"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="home_teachings"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    school_year = models.PositiveSmallIntegerField(_("学年(起始年份)"))
    start_date = models.DateField(_("送教开始日期"))
    end_date = models.DateField(_("送教截止日期"))
    teacher_name = models.CharField(_("送教教师"), max_length=50)
    school = models.CharField(_("送教学校"), max_length=100, blank=True)
    guardian_name = models.CharField(_("签订协议的监护人"), max_length=50)
    signed_on = models.DateField(_("协议签订日期"))
    situation = models.TextField(_("儿童基本情况"))
    plan = models.TextField(_("个别化教育计划"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "division_code", "id"]
        verbose_name = _("送教上门")
        verbose_name_plural = _("送教上门")

    def __str__(self) -> str:
        return f"{self.school_year}学年送教上门"


class TeachingVisit(models.Model):
    """One visit of home teaching, with its class hours and what was taught."""

    scope_division_field = "division_code"

    teaching = models.ForeignKey(HomeTeaching, on_delete=models.PROTECT, related_name="visits")
    division_code = models.CharField(max_length=12, db_index=True)
    date = models.DateField(_("送教日期"))
    hours = models.DecimalField(_("课时"), max_digits=4, decimal_places=1)
    teacher_name = models.CharField(_("送教教师"), max_length=50)
    content = models.TextField(_("教学内容与情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("送教记录")
        verbose_name_plural = _("送教记录")

    def __str__(self) -> str:
        return f"送教 {self.date:%Y-%m-%d}"

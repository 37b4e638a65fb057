"""One window (一门受理): applications received at the township, referred (转办) to the
department responsible with a time limit in working days.

Working days follow `HolidayCalendar` rows (holidays and 调休 make-up working days, national
or per county). A referral's clock is stored as dates (`due_on`, `escalate_on`), moved when it
pauses for documents, so that the sweep (sweep.py) is two indexed range queries.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Department
from guanai.window.choices import ApplicationStatus, ReferralStatus


class HolidayCalendar(models.Model):
    """A day that is not what its weekday says: a holiday (not a working day) or a make-up
    working day on a weekend (调休). `area` is a county code, or "" for the national calendar;
    a county's row for a day replaces the national one."""

    area = models.CharField(_("适用地区代码前缀"), max_length=6, blank=True)
    day = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("是否工作日"))
    words = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["day", "area"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="holiday_once")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '休息'} {self.words}"


class HelpKind(models.Model):
    """A kind of help applied for at the window, with its promised time limit and the
    department it usually goes to; national rows ("") unless a county defines its own code."""

    area = models.CharField(_("适用地区代码前缀"), max_length=6, blank=True)
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    department = models.CharField(_("主办部门"), max_length=30, choices=Department.choices)
    limit_days = models.PositiveIntegerField(_("承诺办理时限(工作日)"))
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code", "area"]
        verbose_name = _("受理事项")
        verbose_name_plural = _("受理事项")
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="help_kind_once")]

    def __str__(self) -> str:
        return self.name


class DocumentRequirement(models.Model):
    """One line of a kind's checklist (申请材料清单)."""

    kind = models.ForeignKey(HelpKind, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(_("材料"), max_length=100)
    required = models.BooleanField(_("必交"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    scope_division_field = "division_code"

    number = models.CharField(_("受理编号"), max_length=20, unique=True)
    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="window_applications"
    )
    division_code = models.CharField(max_length=12)
    kind = models.ForeignKey(HelpKind, on_delete=models.PROTECT, verbose_name=_("申请事项"))
    applicant_name = models.CharField(_("申请人"), max_length=50)
    applicant_contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    note = models.TextField(_("申请事由"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now, editable=False)
    promised_by = models.DateField(_("承诺办结日期"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("受理申请")
        verbose_name_plural = _("受理申请")
        indexes = [models.Index(fields=["division_code", "status"], name="application_area")]

    def __str__(self) -> str:
        return self.number


class ApplicationDocument(models.Model):
    scope_division_field = "application__division_code"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        DocumentRequirement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("材料"), max_length=100)
    file = models.FileField(_("文件"), upload_to="window/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A piece of work routed to a department (转办): from an application, a protection case's
    task or a care record, with a limit in working days. The clock pauses while the department
    waits for documents; `due_on` then moves by the paused working days."""

    scope_division_field = "division_code"

    number = models.CharField(_("转办编号"), max_length=24, unique=True)
    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="window_referrals"
    )
    division_code = models.CharField(max_length=12)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    case_task = models.ForeignKey(
        "protection.CaseTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    care_record = models.ForeignKey(
        "care.CareRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.CharField(_("承办部门"), max_length=30, choices=Department.choices)
    request = models.TextField(_("转办事项"))
    limit_days = models.PositiveIntegerField(_("办理时限(工作日)"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("转办时间"))
    due_on = models.DateField(_("办理期限"))
    escalate_on = models.DateField(_("上报县级日期"))
    paused_on = models.DateField(_("暂停计时日期"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("暂停工作日数"), default=0)
    documents_asked = models.TextField(_("需补材料"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("办理结果"), blank=True)
    reason = models.TextField(_("退回或撤回理由"), blank=True)
    handling_days = models.PositiveIntegerField(_("办理用时(工作日)"), null=True, blank=True)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报县级时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        # Composite, not partial, indexes: measured faster on SQLite (decision 0014). An
        # open referral is one not closed (`closed_at` is set by complete, reject, revoke).
        indexes = [
            # The department's work list: its open referrals in the list's order (due date,
            # id), the division last so that the county's prefix is checked on the index.
            models.Index(
                fields=["department", "closed_at", "due_on", "id", "division_code"],
                name="referral_desk",
            ),
            # The township's list, newest first: read in index order, the division checked on
            # the index (a leading division range would lure SQLite's planner off the desk's).
            models.Index(fields=["sent_at", "id", "division_code"], name="referral_recent"),
            # The sweep: not yet lapsed, still open, by last day; then lapsed, not escalated.
            models.Index(fields=["lapsed_at", "closed_at", "due_on"], name="referral_lapse"),
            models.Index(
                fields=["escalated_at", "closed_at", "escalate_on"], name="referral_escalation"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in ("sent", "accepted", "more_docs")

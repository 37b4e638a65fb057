"""Protection cases (未成年人保护个案): a report, its grade and response clock, the steps
taken, the assistance plan's tasks and the closure.

A case is more private than the child's file: selectors.py decides who reads what (the
assigned workers, supervisors up the tree, the county protection officer). The clock is
stored as deadlines (`respond_by`, `escalate_by`) so that a sweep over every open case is
two indexed range queries (sweep.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.protection.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    Grade,
    InterventionKind,
    MeasureKind,
    Source,
    StepKind,
)


class ResponseClock(models.Model):
    """How fast a grade must be answered, per county (area prefix, "" nationally) from a day."""

    area = models.CharField(_("适用地区代码前缀"), max_length=12, blank=True)
    effective_from = models.DateField(_("生效日期"))
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices)
    respond_hours = models.PositiveIntegerField(_("响应时限(小时)"))
    escalate_hours = models.PositiveIntegerField(_("超时后上报县级(小时)"))
    needs_measure = models.BooleanField(_("须决定应急措施"), default=False)
    words = models.CharField(_("说明"), max_length=100)

    class Meta:
        ordering = ["grade", "-effective_from"]
        verbose_name = _("响应时限")
        verbose_name_plural = _("响应时限")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "grade", "effective_from"], name="response_clock_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.words}"


class ProtectionCase(models.Model):
    scope_division_field = "division_code"
    scope_pairing_path = "child__pairings"  # a carer reaches the cases they reported

    number = models.CharField(_("编号"), max_length=20, unique=True)
    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="protection_cases"
    )
    division_code = models.CharField(max_length=12)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("情形"), max_length=20, choices=CaseKind.choices)
    description = models.TextField(_("情况描述"))
    happened_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    source = models.CharField(_("发现途径"), max_length=20, choices=Source.choices)
    reporter_name = models.CharField(_("报告人"), max_length=50)
    reporter_institution = models.CharField(_("报告人单位"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set once by case_report (the same instant the clock starts from); no form edits it.
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now, editable=False)
    source_flag = models.OneToOneField(
        "care.Flag", on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )

    grade = models.CharField(_("风险等级"), max_length=10, choices=Grade.choices)
    graded_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    respond_by = models.DateTimeField(_("响应时限"))
    escalate_by = models.DateTimeField(_("上报时限"))
    needs_measure = models.BooleanField(default=False)
    verified_at = models.DateTimeField(_("现场核实时间"), null=True, blank=True)
    measure_decided_at = models.DateTimeField(_("应急措施决定时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("响应完成时间"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报县级时间"), null=True, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="protection_cases",
        verbose_name=_("承办人"),
    )
    follow_up_days = models.PositiveIntegerField(_("回访间隔(天)"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("下次回访"), null=True, blank=True)
    follow_up_noticed_on = models.DateField(null=True, blank=True)

    status = models.CharField(
        _("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closing_review = models.TextField(_("结案审核意见"), blank=True)
    reopened_times = models.PositiveIntegerField(_("重新打开次数"), default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("保护个案")
        verbose_name_plural = _("保护个案")
        permissions = [("officer", "县级未成年人保护专干:查看和办理本县全部个案")]
        indexes = [
            models.Index(fields=["division_code", "status"], name="case_area_status"),
            # The sweep: open cases not yet answered whose deadline has passed.
            models.Index(
                fields=["respond_by"],
                name="case_awaiting_response",
                condition=Q(status="open", responded_at__isnull=True),
            ),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class GradeChange(models.Model):
    scope_division_field = "case__division_code"

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="grades")
    old_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    new_grade = models.CharField(max_length=10, choices=Grade.choices)
    reason = models.CharField(_("理由"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_grade or '—'} → {self.new_grade}"


class CaseStep(models.Model):
    """One step of the workflow: who did what, when (verify, measure, assess, plan, intervene,
    follow up, a note). The kinds' own fields sit beside a `details` dict (assessment scores)."""

    scope_division_field = "case__division_code"

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("步骤"), max_length=20, choices=StepKind.choices)
    done_at = models.DateTimeField(_("时间"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("情况"), blank=True)
    measure = models.CharField(
        _("应急措施"), max_length=20, choices=MeasureKind.choices, blank=True
    )
    intervention = models.CharField(
        _("干预措施"), max_length=20, choices=InterventionKind.choices, blank=True
    )
    institution = models.CharField(_("机构"), max_length=100, blank=True)
    start_on = models.DateField(_("起始日期"), null=True, blank=True)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    document = models.FileField(_("文书"), upload_to="protection/%Y/%m/", blank=True)

    class Meta:
        ordering = ["done_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_at:%Y-%m-%d}"


class CaseTask(models.Model):
    """A task of the assistance plan, owned by anyone (a department user included)."""

    scope_division_field = "case__division_code"

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="protection_tasks",
        verbose_name=_("责任人"),
    )
    due_on = models.DateField(_("完成期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at"], name="case_task_owner_open")]

    def __str__(self) -> str:
        return self.title

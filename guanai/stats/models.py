"""Expected child population per village (entered by the county) and report jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticalBase(models.Model):
    """How many children (and left-behind children) a village should have in a year.

    The denominator of file coverage (建档率); without it the dashboard says so instead of
    inventing a rate.
    """

    scope_division_field = "division_code"

    division = models.ForeignKey(
        "geo.Division", verbose_name=_("村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    children_expected = models.PositiveIntegerField(_("应有儿童数"))
    left_behind_expected = models.PositiveIntegerField(_("应有留守儿童数"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("统计基数")
        verbose_name_plural = _("统计基数")
        constraints = [
            models.UniqueConstraint(fields=["division", "year"], name="statistical_base_once")
        ]

    def __str__(self) -> str:
        return f"{self.division_code} {self.year}"


class ReportKind(models.TextChoices):
    LEFT_BEHIND_ROSTER = "left_behind_roster", _("留守儿童花名册")
    QUARTERLY = "quarterly", _("季度工作报告")
    YEARLY = "yearly", _("年度考评汇总")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportJob(models.Model):
    """One requested report: its node and period, its progress, and the file when done."""

    scope_division_field = "division_code"

    kind = models.CharField(_("报表"), max_length=30, choices=ReportKind.choices)
    division = models.ForeignKey(
        "geo.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.CharField(_("文件"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Beaten by the worker while the job runs (guanai.core.heartbeat); silent: its process died.
    heartbeat_at = models.DateTimeField(_("心跳"), null=True, blank=True)
    retry_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("报表任务")
        verbose_name_plural = _("报表任务")

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.division_code} {self.period_start}~{self.period_end}"
        )


class NodeSummary(models.Model):
    """The dashboard's counts of one group of rows (a village, or a township's or county's own
    rows such as its staffing), as of the county's last refresh (stats/summaries.py).

    Not people: counts only. Any node's figures are the sum of the rows under its code, so a
    township is the sum of its villages by construction.
    """

    county_code = models.CharField(max_length=6)
    key = models.CharField(max_length=12)  # the division-code prefix the counts are grouped by
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="node_summary_key")]
        indexes = [models.Index(fields=["county_code"])]

    def __str__(self) -> str:
        return self.key


class SummaryRefresh(models.Model):
    """When a county's summaries were last counted, for which day and period, with the trends
    of its county and townships (monthly series are not sums of groups)."""

    county_code = models.CharField(max_length=6, unique=True)
    as_of = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    trends = models.JSONField(default=dict)  # {division code: {key: [[month, n], ...]}}

    def __str__(self) -> str:
        return f"{self.county_code} {self.refreshed_at:%Y-%m-%d %H:%M:%S}"

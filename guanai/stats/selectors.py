"""Reads for the statistics pages: the node a user may look at, and their report jobs."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible, scope
from guanai.core.errors import AccessDenied
from guanai.core.heartbeat import died_silent, is_silent, worker_alive
from guanai.geo.models import Division
from guanai.stats import permissions
from guanai.stats.models import ReportJob, ReportStatus, StatisticalBase


def home_node(user: User) -> Division:
    """The user's own node; administrators start at the first top-level node."""
    node = user.division or Division.objects.filter(parent__isnull=True).order_by("code").first()
    if node is None:
        raise AccessDenied(_("尚未导入行政区划"))
    return node


def node_get_for(user: User, code: str | None = None) -> Division:
    """The user's node, or a node at or below it; AccessDenied (404) for anything else."""
    if not permissions.can_see_stats(user):
        raise AccessDenied(_("您的角色不能查看统计"))
    if not code:
        return home_node(user)
    node = Division.objects.filter(code=code).first()
    if node is None or not division_visible(user, node.code):
        raise AccessDenied(_("没有找到该区划,或不在您的管辖范围内"))
    return node


def report_jobs_for(user: User) -> QuerySet[ReportJob]:
    if not permissions.can_request_reports(user):
        return ReportJob.objects.none()
    return scope(user, ReportJob.objects.select_related("division", "requested_by"))


def report_job_get_for(user: User, pk: int) -> ReportJob:
    job = report_jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise AccessDenied(_("没有找到该报表,或不在您的管辖范围内"))
    return job


@dataclass
class ReportState:
    """A report job as its page shows it: one whose process stopped beating shows as failed."""

    job: ReportJob
    status: ReportStatus
    stalled: bool = False

    @property
    def running(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def died(self) -> bool:
        return self.stalled or (self.status == ReportStatus.FAILED and died_silent(self.job.error))

    @cached_property
    def no_worker(self) -> bool:
        return self.status == ReportStatus.QUEUED and not worker_alive()

    @cached_property
    def retried_as(self) -> ReportJob | None:
        return ReportJob.objects.filter(retry_of=self.job).first()

    @property
    def can_retry(self) -> bool:
        return self.status == ReportStatus.FAILED and self.retried_as is None


def report_job_state(job: ReportJob) -> ReportState:
    state = ReportState(job, ReportStatus(job.status))
    if job.status == ReportStatus.RUNNING and is_silent(job.heartbeat_at or job.requested_at):
        state.status, state.stalled = ReportStatus.FAILED, True
    return state


def bases_for(user: User, node: Division, year: int) -> dict[int, StatisticalBase]:
    """The expected populations entered for the villages under a node, by village pk."""
    rows = scope(user, StatisticalBase.objects.filter(year=year))
    return {b.division_id: b for b in rows.filter(division_code__startswith=node.prefix)}

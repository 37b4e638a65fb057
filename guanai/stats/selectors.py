"""Reads for the statistics pages: the node a user may look at, and their report jobs."""

from django.db.models import QuerySet

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible, scope
from guanai.core.errors import AccessDenied
from guanai.geo.models import Division
from guanai.stats import permissions
from guanai.stats.models import ReportJob, StatisticalBase


def home_node(user: User) -> Division:
    """The user's own node; administrators start at the first top-level node."""
    node = user.division or Division.objects.filter(parent__isnull=True).order_by("code").first()
    if node is None:
        raise AccessDenied("尚未导入行政区划")
    return node


def node_get_for(user: User, code: str | None = None) -> Division:
    """The user's node, or a node at or below it; AccessDenied (404) for anything else."""
    if not permissions.can_see_stats(user):
        raise AccessDenied("您的角色不能查看统计")
    if not code:
        return home_node(user)
    node = Division.objects.filter(code=code).first()
    if node is None or not division_visible(user, node.code):
        raise AccessDenied("没有找到该区划,或不在您的管辖范围内")
    return node


def report_jobs_for(user: User) -> QuerySet[ReportJob]:
    if not permissions.can_request_reports(user):
        return ReportJob.objects.none()
    return scope(user, ReportJob.objects.select_related("division", "requested_by"))


def report_job_get_for(user: User, pk: int) -> ReportJob:
    job = report_jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise AccessDenied("没有找到该报表,或不在您的管辖范围内")
    return job


def bases_for(user: User, node: Division, year: int) -> dict[int, StatisticalBase]:
    """The expected populations entered for the villages under a node, by village pk."""
    rows = scope(user, StatisticalBase.objects.filter(year=year))
    return {b.division_id: b for b in rows.filter(division_code__startswith=node.prefix)}

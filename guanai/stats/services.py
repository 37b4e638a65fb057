"""Writes: requesting a report (queued as a background task, which runs it through jobs.py),
downloading it, entering the expected populations."""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.core.heartbeat import silent_reason
from guanai.geo.models import Division
from guanai.geo.selectors import villages_under
from guanai.stats import permissions
from guanai.stats.models import ReportJob, ReportKind, ReportStatus, StatisticalBase
from guanai.stats.reports import report_filename
from guanai.stats.selectors import report_job_state
from guanai.stats.tasks import report_task


def report_request(
    *,
    actor: User,
    kind: str,
    division: Division,
    period_start,
    period_end,
    retry_of: ReportJob | None = None,
) -> ReportJob:
    """Queue a report for a node the actor covers; the task starts once the row is committed."""
    if not permissions.can_request_reports(actor):
        raise AccessDenied(_("您的角色不能生成报表"))
    if kind not in ReportKind.values:
        raise DomainError(_("请选择报表"), field="kind")
    if period_end < period_start:
        raise DomainError(_("截止日期不能早于起始日期"), field="period_end")
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            division=division,
            division_code=division.code,
            period_start=period_start,
            period_end=period_end,
            requested_by=actor,
            retry_of=retry_of,
        )
    transaction.on_commit(lambda: report_task.enqueue(job.pk))
    return job


def report_job_retry(*, actor: User, job: ReportJob) -> ReportJob:
    """A failed report (an error, or a process that stopped) requested again as a new job.

    A new job, as for imports: the failed one keeps its error, and a process that only seemed
    dead cannot write over the new run.
    """
    if not permissions.can_request_reports(actor) or not division_visible(actor, job.division_code):
        raise AccessDenied(_("您的角色不能生成报表"))
    state = report_job_state(job)
    if state.retried_as is not None:
        raise DomainError(_("这个报表已经重新生成了(任务 %(pk)s)"), pk=state.retried_as.pk)
    if not state.can_retry:
        raise DomainError(_("只有失败的报表可以重新生成"))
    try:
        with transaction.atomic():
            if state.stalled and not _fail_silent(job):
                raise DomainError(_("这个报表刚刚已经生成完毕,请刷新页面"))
            return report_request(
                actor=actor,
                kind=job.kind,
                division=job.division,
                period_start=job.period_start,
                period_end=job.period_end,
                retry_of=job,
            )
    except IntegrityError:  # someone else ran it again a moment ago (retry_of is one-to-one)
        raise DomainError(_("这个报表刚刚已经重新生成了")) from None


def _fail_silent(job: ReportJob) -> bool:
    """Mark a running job whose heartbeat went silent as failed, unless it ended meanwhile."""
    values = {
        "status": ReportStatus.FAILED,
        "error": silent_reason(),
        "finished_at": timezone.now(),
    }
    if not ReportJob.objects.filter(pk=job.pk, status=ReportStatus.RUNNING).update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    return True


def report_job_fail_stopped(job_id: int) -> bool:
    """Mark the report failed now if it is running: its worker died (ops.orphans)."""
    job = ReportJob.objects.filter(pk=job_id, status=ReportStatus.RUNNING).first()
    return job is not None and _fail_silent(job)


def report_jobs_fail_silent() -> int:
    """Mark every running report whose process died as failed (at each beat of a worker)."""
    running = ReportJob.objects.filter(status=ReportStatus.RUNNING)
    return sum(_fail_silent(job) for job in running if report_job_state(job).stalled)


@recorded
def report_open(*, actor: User, job: ReportJob):
    """The finished file, opened for streaming; audited as EXPORT."""
    if job.status != ReportStatus.DONE or not job.file:
        raise DomainError(_("报表尚未生成"))
    handle = (Path(settings.MEDIA_ROOT) / job.file).open("rb")
    audit(
        actor=actor,
        action=Action.EXPORT,
        target=job,
        object_type="stats.report",
        label=str(job),
        detail=f"下载{job.get_kind_display()} {job.rows} 行",
    )
    return handle, report_filename(job)


def statistical_bases_set(
    *, actor: User, node: Division, year: int, values: dict[int, tuple[int, int] | None]
) -> int:
    """Set (or clear, with None) the expected children and left-behind children of villages
    under a node for a year; `values` maps village pk to (children, left-behind). Audited."""
    if not permissions.can_enter_bases(actor) or not division_visible(actor, node.code):
        raise AccessDenied(_("您的角色不能填报应有儿童数"))
    villages = {v.pk: v for v in villages_under(node)}
    changed = 0
    with transaction.atomic():
        for pk, pair in values.items():
            village = villages.get(pk)
            if village is None:
                raise AccessDenied(_("没有找到该村(居)"))
            old = StatisticalBase.objects.filter(division=village, year=year).first()
            before = (old.children_expected, old.left_behind_expected) if old else None
            if pair == before:
                continue
            if pair is None:
                old.delete()
            else:
                if pair[1] > pair[0]:
                    raise DomainError(
                        _("%(name)s:应有留守儿童数不能多于应有儿童数"), name=village.name
                    )
                StatisticalBase.objects.update_or_create(
                    division=village,
                    year=year,
                    defaults={
                        "division_code": village.code,
                        "children_expected": pair[0],
                        "left_behind_expected": pair[1],
                        "entered_by": actor,
                    },
                )
            audit(
                actor=actor,
                action=Action.UPDATE,
                object_type="stats.statisticalbase",
                object_id=f"{village.code}/{year}",
                label=f"{village.name} {year} 年应有儿童数",
                division_code=village.code,
                changes={"应有儿童数/应有留守儿童数": (before, pair)},
            )
            changed += 1
    return changed

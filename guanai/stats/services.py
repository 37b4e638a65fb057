"""Writes: requesting a report (queued as a background task), running it, downloading it."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError
from guanai.geo.models import Division
from guanai.geo.selectors import villages_under
from guanai.stats import permissions
from guanai.stats.models import ReportJob, ReportKind, ReportStatus, StatisticalBase
from guanai.stats.reports import report_filename, report_write

REPORT_DIR = "reports"


def report_request(
    *, actor: User, kind: str, division: Division, period_start, period_end
) -> ReportJob:
    """Queue a report for a node the actor covers; the task starts once the row is committed."""
    if not permissions.can_request_reports(actor):
        raise AccessDenied("您的角色不能生成报表")
    if kind not in ReportKind.values:
        raise DomainError("请选择报表", field="kind")
    if period_end < period_start:
        raise DomainError("截止日期不能早于起始日期", field="period_end")
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            division=division,
            division_code=division.code,
            period_start=period_start,
            period_end=period_end,
            requested_by=actor,
        )
    from guanai.stats.tasks import report_task

    transaction.on_commit(lambda: report_task.enqueue(job.pk))
    return job


def _set(job: ReportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**values)


def report_run(job_id: int) -> ReportJob:
    """Write the report under MEDIA_ROOT/reports/, updating the job's progress as it goes."""
    job = ReportJob.objects.select_related("division", "requested_by").get(pk=job_id)
    _set(job, status=ReportStatus.RUNNING, progress=5)
    relative = f"{REPORT_DIR}/{job.pk}-{job.kind}.xlsx"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as out:
            rows = report_write(job, out, lambda pct: _set(job, progress=pct))
    except Exception as error:
        _set(job, status=ReportStatus.FAILED, error=str(error)[:300], finished_at=timezone.now())
        raise
    _set(
        job,
        status=ReportStatus.DONE,
        progress=100,
        file=relative,
        rows=rows,
        finished_at=timezone.now(),
    )
    return job


def report_open(*, actor: User, job: ReportJob):
    """The finished file, opened for streaming; audited as EXPORT."""
    if job.status != ReportStatus.DONE or not job.file:
        raise DomainError("报表尚未生成")
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
        raise AccessDenied("您的角色不能填报应有儿童数")
    villages = {v.pk: v for v in villages_under(node)}
    changed = 0
    with transaction.atomic():
        for pk, pair in values.items():
            village = villages.get(pk)
            if village is None:
                raise AccessDenied("没有找到该村(居)")
            old = StatisticalBase.objects.filter(division=village, year=year).first()
            before = (old.children_expected, old.left_behind_expected) if old else None
            if pair == before:
                continue
            if pair is None:
                old.delete()
            else:
                if pair[1] > pair[0]:
                    raise DomainError(f"{village.name}:应有留守儿童数不能多于应有儿童数")
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

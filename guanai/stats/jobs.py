"""Running a queued report: the worker's side of a report job.

`services.report_request` queues `tasks.report_task`, which calls `report_run` here: services
imports tasks, tasks imports this module, and nothing here imports either back.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from guanai.core.errors import DomainError, in_record
from guanai.core.heartbeat import Beating
from guanai.stats.models import ReportJob, ReportStatus
from guanai.stats.reports import report_write

REPORT_DIR = "reports"


def _set(job: ReportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**values)


def report_run(job_id: int) -> ReportJob:
    """Write the report under MEDIA_ROOT/reports/, updating the job's progress as it goes."""
    job = ReportJob.objects.select_related("division", "requested_by").get(pk=job_id)
    if job.status != ReportStatus.QUEUED:
        return job  # run once: a task enqueued twice, or a job already failed by the sweep
    _set(job, status=ReportStatus.RUNNING, progress=5, heartbeat_at=timezone.now())
    relative = f"{REPORT_DIR}/{job.pk}-{job.kind}.xlsx"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)

    def beat() -> None:
        ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())

    try:
        with Beating(beat), path.open("wb") as out:
            rows = report_write(job, out, lambda pct: _set(job, progress=pct))
    except Exception as error:
        _set(
            job,
            status=ReportStatus.FAILED,
            error=str(in_record(error.message) if isinstance(error, DomainError) else error)[:300],
            finished_at=timezone.now(),
        )
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

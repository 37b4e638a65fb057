"""Import jobs: a roster uploaded in the browser, imported in the background with progress.

``submissions`` creates and queues a job; the task (``ingest.tasks.import_task``) calls
``import_job_run``, which runs the one importer (``services.roster_import``), reports its progress
into a file beside the upload and puts the outcome on the job. The job page reads
``import_job_state``: progress, a job whose process died (its heartbeat silent, see
``guanai.core.heartbeat``) shown as failed, one queued with no worker running shown as such, and
what may follow (``submissions.import_job_commit`` a dry run, ``submissions.import_job_retry`` a
failed job, upload again a rejected one).
Uploads go once no job needs them: when imported or rejected, else ``import_files_cleanup``.
"""

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.core.errors import AccessDenied, DomainError, in_record
from guanai.core.heartbeat import Beating, died_silent, is_silent, silent_reason, worker_alive
from guanai.ingest.models import ImportJob, JobStatus, MappingProfile
from guanai.ingest.permissions import can_import
from guanai.ingest.readers import FileRejected, read_table
from guanai.ingest.rows import header_columns, header_field, resolve_headers
from guanai.ingest.services import ImportRejected, roster_import

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
PROGRESS_EVERY_SECONDS = 0.5
# The importer's stages (services.roster_import), as the job page names them.
STAGE_LABELS = {"读取文件": _("读取文件"), "校验": _("校验"), "写入与关联": _("写入与关联")}


# Reads -----------------------------------------------------------------------------------------


def import_job_list_for(user: User) -> QuerySet[ImportJob]:
    """Jobs of the user's node and below, newest first; nothing for those who may not import."""
    if not can_import(user):
        return ImportJob.objects.none()
    return scope(user, ImportJob.objects.all()).select_related("created_by", "batch")


def import_job_get_for(user: User, pk: int) -> ImportJob:
    job = import_job_list_for(user).filter(pk=pk).first() if pk else None
    if job is None:
        raise AccessDenied(_("没有找到这个导入任务"))
    return job


def job_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file


def _progress_path(job: ImportJob) -> Path:
    """Per job: a passed dry run and its real import share one upload."""
    return job_path(job).parent / f"progress-{job.pk}.json"


@dataclass
class JobState:
    """A job as its page shows it, and what may be done with it next.

    A running job's progress and heartbeat come from its progress file; one whose heartbeat is
    silent shows as failed (its process died) and may be run again.
    """

    job: ImportJob
    status: JobStatus
    stage: str
    done: int
    total: int
    stalled: bool = False

    @property
    def running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def died(self) -> bool:
        """Failed because its process stopped: silent now, or marked for it before."""
        return self.stalled or (self.status == JobStatus.FAILED and died_silent(self.job.error))

    @cached_property
    def no_worker(self) -> bool:
        """Queued, and no worker process is running to take it."""
        return self.status == JobStatus.QUEUED and not worker_alive()

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, self.stage))

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0

    @cached_property
    def file_missing(self) -> bool:
        """The stored upload a next step needs (commit, run again) is gone (cleaned up)."""
        needs_file = self.status == JobStatus.FAILED or (
            self.status == JobStatus.DONE and self.job.dry_run
        )
        return needs_file and not job_path(self.job).exists()

    @cached_property
    def retried_as(self) -> ImportJob | None:
        return ImportJob.objects.filter(retry_of=self.job).first()

    @cached_property
    def committed_as(self) -> ImportJob | None:
        """A dry run's real import: the other job on its upload (each upload has its folder)."""
        if not self.job.dry_run:
            return None
        real = ImportJob.objects.filter(file=self.job.file, dry_run=False)
        return real.order_by("created_at", "pk").first()

    @property
    def can_commit(self) -> bool:
        passed = self.status == JobStatus.DONE and not self.job.report.get("errors")
        fresh = self.committed_as is None and not self.file_missing
        return passed and self.job.dry_run and fresh

    @property
    def can_retry(self) -> bool:
        failed = self.status == JobStatus.FAILED
        return failed and not self.file_missing and self.retried_as is None

    @property
    def upload_again_query(self) -> str:
        """The upload form's source, profile, village and date as this job had them."""
        profile = MappingProfile.objects.filter(source=self.job.source, name=self.job.profile)
        values = {
            "source": self.job.source,
            "profile": profile.values_list("pk", flat=True).first() if self.job.profile else "",
            "village": self.job.village,
            "as_of": self.job.as_of.isoformat() if self.job.as_of else "",
        }
        return urlencode({k: v for k, v in values.items() if v})


def import_job_state(job: ImportJob) -> JobState:
    """The row, with the latest progress and heartbeat the worker wrote while the job runs."""
    state = JobState(job, JobStatus(job.status), job.stage, job.done, job.total)
    if job.status != JobStatus.RUNNING:
        return state
    last_heard = job.created_at  # a job run by an older guanai, which wrote no file at its start
    with contextlib.suppress(OSError, ValueError):  # the job just ended
        written = json.loads(_progress_path(job).read_text(encoding="utf-8"))
        state.stage, state.done, state.total = written["stage"], written["done"], written["total"]
        last_heard = datetime.fromisoformat(written["at"])
    if is_silent(last_heard):
        state.status, state.stalled = JobStatus.FAILED, True
    return state


# Writes ----------------------------------------------------------------------------------------


def fail_stalled(job: ImportJob) -> bool:
    """Mark a job whose heartbeat went silent as failed, unless it ended meanwhile."""
    values = {"status": JobStatus.FAILED, "error": silent_reason(), "finished_at": timezone.now()}
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    _progress_path(job).unlink(missing_ok=True)
    return True


def import_job_fail_stopped(job_id: int) -> bool:
    """Mark the job failed now if it is running: its worker died (ops.orphans)."""
    job = ImportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    return job is not None and fail_stalled(job)


def import_jobs_fail_silent() -> int:
    """Mark every running job whose process died as failed (the worker's beat, the cleanup)."""
    running = ImportJob.objects.filter(status=JobStatus.RUNNING)
    return sum(fail_stalled(job) for job in running if import_job_state(job).stalled)


def _set(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


class _ProgressFile:
    """The importer's progress callback and the job's heartbeat: stage, done, total and the time
    into a file beside the upload.

    The importer writes its rows in one transaction, so progress written onto the job row would
    stay invisible to the job page until the import ends; a second connection could carry it on
    PostgreSQL, but on SQLite it would wait for the importer's write lock. A file serves both
    databases: the web server reads it while the job runs (``import_job_state``), and it shares
    MEDIA_ROOT with the worker already (the worker reads the upload from there). It is replaced
    whole (a reader sees the old or the new content, never half) and removed when the job ends,
    when the row takes the outcome. The heartbeat thread (``beat``) writes the last progress
    again with the time, so a stage that reports nothing for minutes still shows its process alive.
    """

    def __init__(self, job: ImportJob, stage: str = "读取文件"):
        self.path = _progress_path(job)
        self.stage = stage
        self.done = self.total = 0
        self.written = 0.0
        self.lock = threading.Lock()  # the importer and the heartbeat thread share the file

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.written < PROGRESS_EVERY_SECONDS:
            return  # validation reports every 500 rows: a few writes a second are plenty
        self.written = now
        with self.lock:
            self.stage, self.done, self.total = stage, done, total
            self._write()

    def beat(self) -> None:
        with self.lock:
            self._write()

    def _write(self) -> None:
        data = {
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "at": timezone.now().isoformat(),
        }
        temp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            temp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temp, self.path)
        except OSError:  # the bar stands still; the import itself goes on
            logger.warning("import job progress not written to %s", self.path, exc_info=True)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _header_report(job: ImportJob) -> dict:
    """The file's headers and those neither the built-in map nor the profile knows."""
    saved = MappingProfile.objects.filter(source=job.source, name=job.profile).first()
    extra = saved.columns if saved and job.profile else {}
    try:
        headers = [h for h in read_table(job_path(job), extra).headers if h]
    except (DomainError, OSError):
        return {}
    columns = header_columns(extra)
    unknown = [h for h in headers if header_field(h, columns) is None]
    try:
        resolve_headers(headers, extra)
        column_error = False
    except ValueError:
        column_error = True
    if not unknown and not column_error:
        return {}
    return {"headers": headers, "unknown_headers": unknown}


def discard_upload(file: str) -> None:
    """An upload goes with its own folder (imports/<random>/), and any progress file in it."""
    folder = (Path(settings.MEDIA_ROOT) / file).parent
    if folder.parent == Path(settings.MEDIA_ROOT) / IMPORT_DIR:
        shutil.rmtree(folder, ignore_errors=True)


def import_job_run(job_id: int) -> ImportJob:
    """Run one queued job through the importer; the outcome (report or every error) goes on it."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    progress = _ProgressFile(job)
    try:
        # The first beat is written before the row says running: never judged without one.
        with Beating(progress.beat):
            _set(job, status=JobStatus.RUNNING, stage="读取文件", done=0, total=0)
            _import(job, progress)
    finally:
        progress.remove()  # once the row has the outcome: the page never sees a bar go back
    return job


def _import(job: ImportJob, progress: _ProgressFile) -> None:
    try:
        report = roster_import(
            actor=job.created_by,
            path=job_path(job),
            source=job.source,
            profile=job.profile or None,
            village=job.village or None,
            as_of=job.as_of,
            dry_run=job.dry_run,
            own_rows_only=job.own_rows_only,
            progress=progress,
        )
    except (ImportRejected, FileRejected) as exc:
        # Kept on the job as the record keeps text, in Chinese (the worker's language anyway).
        errors = [in_record(e) for e in getattr(exc, "errors", None) or [exc.message]]
        _set(
            job,
            status=JobStatus.REJECTED,
            stage="",
            report={"errors": errors, **_header_report(job)},
            error=in_record(exc.message)[:2000],
            finished_at=timezone.now(),
        )
        discard_upload(job.file)  # of no more use: the corrected file is uploaded anew
        return
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _set(
            job,
            status=JobStatus.FAILED,
            stage="",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    data = asdict(report)
    if report.errors:  # a dry run lists its errors instead of raising
        data.update(_header_report(job))
    _set(
        job,
        status=JobStatus.REJECTED if report.errors else JobStatus.DONE,
        stage="",
        done=report.rows,
        total=report.rows,
        report=data,
        error="" if not report.errors else f"{len(report.errors)} 处错误",
        batch_id=report.batch_id,
        finished_at=timezone.now(),
    )
    # Imported: the batch keeps every row as read, no copy of the roster stays (0006). Rejected:
    # the corrected file is uploaded anew. A passed dry run keeps it to be committed.
    if report.errors or not job.dry_run:
        discard_upload(job.file)


# Cleanup ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleanup:
    files_deleted: int
    jobs_failed: int


def import_files_cleanup() -> Cleanup:
    """Delete the uploads no job needs any more; mark running jobs whose worker died as failed.

    Kept: the upload of a queued or running job; of a failed job for IMPORT_KEEP_DAYS after it
    failed (to run it again); of a passed dry run for as long (to commit it). An imported file
    and a rejected one go when their job ends; this also catches those a dead worker left.
    """
    stalled = import_jobs_fail_silent()
    kept_since = timezone.now() - timedelta(days=settings.IMPORT_KEEP_DAYS)
    needed = ImportJob.objects.filter(
        Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
        | Q(status=JobStatus.FAILED, finished_at__gte=kept_since)
        | Q(status=JobStatus.DONE, dry_run=True, finished_at__gte=kept_since)
    )
    files = set(ImportJob.objects.values_list("file", flat=True)) - set(
        needed.values_list("file", flat=True)
    )
    deleted = 0
    for file in files:
        if (Path(settings.MEDIA_ROOT) / file).parent.exists():
            discard_upload(file)
            deleted += 1
    logger.info("import cleanup: %s uploads deleted, %s stalled jobs failed", deleted, stalled)
    return Cleanup(files_deleted=deleted, jobs_failed=stalled)

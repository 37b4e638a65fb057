"""Import jobs: a roster uploaded in the browser, imported in the background with progress.

The upload page calls ``import_job_submit``; the task (``ingest.tasks.import_task``) calls
``import_job_run``, which runs the one importer (``services.roster_import``), reports its progress
into a file beside the upload and puts the outcome on the job. The job page reads
``import_job_state``: progress, a job whose process died (its heartbeat silent, see
``guanai.core.heartbeat``) shown as failed, one queued with no worker running shown as such, and
what may follow
(``import_job_commit`` a dry run, ``import_job_retry`` a failed job, upload again a rejected one).
Uploads go once no job needs them: when imported or rejected, else ``import_files_cleanup``.
"""

import contextlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible, scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError
from guanai.core.heartbeat import Beating, died_silent, is_silent, silent_reason, worker_alive
from guanai.geo.models import Division, Level
from guanai.ingest.models import ImportJob, JobStatus, MappingProfile, Source
from guanai.ingest.permissions import can_import
from guanai.ingest.readers import MB, FileRejected, max_bytes, read_table
from guanai.ingest.rows import header_columns, header_field, resolve_headers
from guanai.ingest.services import ImportRejected, roster_import

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
SUFFIXES = (".xlsx", ".xls", ".csv")
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
        raise AccessDenied("没有找到这个导入任务")
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


def _stored_name(original: str) -> str:
    """imports/<random>/<the file's own name, made safe>: the batch keeps the name people know."""
    suffix = Path(original).suffix.lower()
    stem = Path(original).stem[:80]
    try:
        safe = get_valid_filename(f"{stem}{suffix}")
    except Exception:  # SuspiciousFileOperation for names that are nothing but dots
        safe = ""
    if not safe or safe.startswith(".") or Path(safe).suffix.lower() != suffix:
        safe = f"名册{suffix}"
    return f"{IMPORT_DIR}/{uuid.uuid4().hex}/{safe}"


def _village_for(actor: User, code: str) -> Division | None:
    if not code:
        return None
    village = Division.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None or not division_visible(actor, village.code):
        raise DomainError(gettext("请选择您管辖范围内的村(居)"), field="village")
    return village


def import_job_submit(
    *,
    actor: User,
    upload: UploadedFile,
    source: str,
    profile: MappingProfile | None = None,
    village: str = "",
    as_of: date | None = None,
    dry_run: bool = False,
    own_rows_only: bool = False,
) -> ImportJob:
    """Check and store the upload under MEDIA_ROOT/imports/, queue the import on commit."""
    if not can_import(actor):
        raise AccessDenied("您的角色不能导入名册")
    if source not in Source.values:
        raise DomainError(gettext("请选择来源部门"), field="source")
    if profile is not None and profile.source != source:
        raise DomainError(
            gettext("表头对应方案“%(name)s”属于%(source)s,与来源部门不符")
            % {"name": profile.name, "source": gettext(Source(profile.source).label)},
            field="profile",
        )
    original = Path(upload.name or "").name
    if Path(original).suffix.lower() not in SUFFIXES:
        raise DomainError(gettext("请上传 xlsx、xls 或 csv 文件"), field="file")
    if upload.size > max_bytes():
        raise DomainError(
            gettext("文件过大:%(size).1f MB,上限为 %(most).0f MB,请拆分后导入")
            % {"size": upload.size / MB, "most": max_bytes() / MB},
            field="file",
        )
    if upload.size == 0:
        raise DomainError(gettext("文件是空的"), field="file")
    if as_of is not None and as_of > timezone.localdate():
        raise DomainError(gettext("名册日期不能晚于今天"), field="as_of")
    default_village = _village_for(actor, village)

    relative = _stored_name(original)
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        job = _queue(
            actor,
            f"上传{Source(source).label}名册 {original}" + ("(只校验)" if dry_run else ""),
            source=source,
            file=relative,
            file_name=original[:255],
            profile=profile.name if profile else "",
            village=default_village.code if default_village else "",
            as_of=as_of,
            dry_run=dry_run,
            own_rows_only=own_rows_only,
            division_code=actor.division.code if actor.division_id else "",
        )
    except BaseException:
        _discard_upload(relative)
        raise
    return job


def _same_file(job: ImportJob) -> dict:
    """A new job's fields for the stored upload of ``job``, with its options and node."""
    names = (
        "source",
        "file",
        "file_name",
        "profile",
        "village",
        "as_of",
        "own_rows_only",
        "division_code",
    )
    return {name: getattr(job, name) for name in names}


def import_job_commit(*, actor: User, job: ImportJob) -> ImportJob:
    """A dry run that passed, imported for real: a new job on the same stored file."""
    if not can_import(actor):
        raise AccessDenied("您的角色不能导入名册")
    state = import_job_state(job)
    if state.committed_as is not None:
        raise DomainError(
            gettext("这个文件已经提交正式导入(任务 %(pk)s)") % {"pk": state.committed_as.pk}
        )
    if state.file_missing:
        raise DomainError(gettext("上传的文件已删除,请重新上传"))
    if not state.can_commit:
        raise DomainError(gettext("只有校验通过的“只校验”任务可以正式导入"))
    return _queue(
        actor,
        f"正式导入{Source(job.source).label}名册 {job.file_name}(校验任务 {job.pk})",
        **_same_file(job) | {"dry_run": False},
    )


def import_job_retry(*, actor: User, job: ImportJob) -> ImportJob:
    """A failed job (an error, or a worker that died) run again: a new job on the same file.

    A new job rather than the failed one queued again: the failed job keeps its error and who
    ran it, and a worker that only seemed dead cannot write over the new run's progress.
    """
    if not can_import(actor):
        raise AccessDenied("您的角色不能导入名册")
    state = import_job_state(job)
    if state.retried_as is not None:
        raise DomainError(
            gettext("这个任务已经重新运行了(任务 %(pk)s)") % {"pk": state.retried_as.pk}
        )
    if state.file_missing:
        raise DomainError(gettext("上传的文件已删除,请重新上传"))
    if not state.can_retry:
        raise DomainError(gettext("只有出错的任务可以重新运行"))
    try:
        with transaction.atomic():
            if state.stalled and not _fail_stalled(job):
                raise DomainError(gettext("这个任务刚刚已经结束,请刷新页面查看结果"))
            return _queue(
                actor,
                f"重新运行出错的导入任务 {job.pk}:{Source(job.source).label}名册 {job.file_name}",
                **_same_file(job) | {"dry_run": job.dry_run, "retry_of": job},
            )
    except IntegrityError:  # someone else ran it again a moment ago (retry_of is one-to-one)
        raise DomainError(gettext("这个任务刚刚已经重新运行了")) from None


def _fail_stalled(job: ImportJob) -> bool:
    """Mark a job whose heartbeat went silent as failed, unless it ended meanwhile."""
    values = {"status": JobStatus.FAILED, "error": silent_reason(), "finished_at": timezone.now()}
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    _progress_path(job).unlink(missing_ok=True)
    return True


def import_jobs_fail_silent() -> int:
    """Mark every running job whose process died as failed (the worker's beat, the cleanup)."""
    running = ImportJob.objects.filter(status=JobStatus.RUNNING)
    return sum(_fail_stalled(job) for job in running if import_job_state(job).stalled)


@transaction.atomic
def _queue(actor: User, detail: str, **fields) -> ImportJob:
    """Create the job, audited; the task starts once the row is committed."""
    job = ImportJob.objects.create(created_by=actor, **fields)
    audit(actor=actor, action=Action.CREATE, target=job, detail=detail)
    from guanai.ingest.tasks import import_task

    transaction.on_commit(lambda: import_task.enqueue(job.pk))
    return job


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


def _discard_upload(file: str) -> None:
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
        errors = getattr(exc, "errors", None) or [exc.message]
        _set(
            job,
            status=JobStatus.REJECTED,
            stage="",
            report={"errors": errors, **_header_report(job)},
            error=exc.message[:2000],
            finished_at=timezone.now(),
        )
        _discard_upload(job.file)  # of no more use: the corrected file is uploaded anew
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
        _discard_upload(job.file)


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
            _discard_upload(file)
            deleted += 1
    logger.info("import cleanup: %s uploads deleted, %s stalled jobs failed", deleted, stalled)
    return Cleanup(files_deleted=deleted, jobs_failed=stalled)

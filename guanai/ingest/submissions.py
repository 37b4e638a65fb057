"""New import jobs: a roster uploaded, a dry run that passed imported for real, a failed job run
again. Each is checked, audited and queued for the worker once its row is committed
(``tasks.import_task``); ``jobs`` follows it from there.
"""

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.geo.models import Division, Level
from guanai.ingest.jobs import IMPORT_DIR, discard_upload, fail_stalled, import_job_state
from guanai.ingest.models import ImportJob, MappingProfile, Source
from guanai.ingest.permissions import can_import
from guanai.ingest.readers import MB, max_bytes
from guanai.ingest.tasks import import_task

SUFFIXES = (".xlsx", ".xls", ".csv")


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
        raise DomainError(_("请选择您管辖范围内的村(居)"), field="village")
    return village


@recorded
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
        raise AccessDenied(_("您的角色不能导入名册"))
    if source not in Source.values:
        raise DomainError(_("请选择来源部门"), field="source")
    if profile is not None and profile.source != source:
        raise DomainError(
            _("表头对应方案“%(name)s”属于%(source)s,与来源部门不符"),
            field="profile",
            name=profile.name,
            source=gettext(Source(profile.source).label),
        )
    original = Path(upload.name or "").name
    if Path(original).suffix.lower() not in SUFFIXES:
        raise DomainError(_("请上传 xlsx、xls 或 csv 文件"), field="file")
    if upload.size > max_bytes():
        raise DomainError(
            _("文件过大:%(size).1f MB,上限为 %(most).0f MB,请拆分后导入"),
            field="file",
            size=upload.size / MB,
            most=max_bytes() / MB,
        )
    if upload.size == 0:
        raise DomainError(_("文件是空的"), field="file")
    if as_of is not None and as_of > timezone.localdate():
        raise DomainError(_("名册日期不能晚于今天"), field="as_of")
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
        discard_upload(relative)
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


@recorded
def import_job_commit(*, actor: User, job: ImportJob) -> ImportJob:
    """A dry run that passed, imported for real: a new job on the same stored file."""
    if not can_import(actor):
        raise AccessDenied(_("您的角色不能导入名册"))
    state = import_job_state(job)
    if state.committed_as is not None:
        raise DomainError(_("这个文件已经提交正式导入(任务 %(pk)s)"), pk=state.committed_as.pk)
    if state.file_missing:
        raise DomainError(_("上传的文件已删除,请重新上传"))
    if not state.can_commit:
        raise DomainError(_("只有校验通过的“只校验”任务可以正式导入"))
    return _queue(
        actor,
        f"正式导入{Source(job.source).label}名册 {job.file_name}(校验任务 {job.pk})",
        **_same_file(job) | {"dry_run": False},
    )


@recorded
def import_job_retry(*, actor: User, job: ImportJob) -> ImportJob:
    """A failed job (an error, or a worker that died) run again: a new job on the same file.

    A new job rather than the failed one queued again: the failed job keeps its error and who
    ran it, and a worker that only seemed dead cannot write over the new run's progress.
    """
    if not can_import(actor):
        raise AccessDenied(_("您的角色不能导入名册"))
    state = import_job_state(job)
    if state.retried_as is not None:
        raise DomainError(_("这个任务已经重新运行了(任务 %(pk)s)"), pk=state.retried_as.pk)
    if state.file_missing:
        raise DomainError(_("上传的文件已删除,请重新上传"))
    if not state.can_retry:
        raise DomainError(_("只有出错的任务可以重新运行"))
    try:
        with transaction.atomic():
            if state.stalled and not fail_stalled(job):
                raise DomainError(_("这个任务刚刚已经结束,请刷新页面查看结果"))
            return _queue(
                actor,
                f"重新运行出错的导入任务 {job.pk}:{Source(job.source).label}名册 {job.file_name}",
                **_same_file(job) | {"dry_run": job.dry_run, "retry_of": job},
            )
    except IntegrityError:  # someone else ran it again a moment ago (retry_of is one-to-one)
        raise DomainError(_("这个任务刚刚已经重新运行了")) from None


@transaction.atomic
def _queue(actor: User, detail: str, **fields) -> ImportJob:
    """Create the job, audited; the task starts once the row is committed."""
    job = ImportJob.objects.create(created_by=actor, **fields)
    audit(actor=actor, action=Action.CREATE, target=job, detail=detail)
    transaction.on_commit(lambda: import_task.enqueue(job.pk))
    return job

"""Uploaded rosters are deleted once no job needs them (at once when rejected, else by the
daily `guanai ingest_cleanup`)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guanai.ingest import jobs
from guanai.ingest.models import ImportJob, JobStatus
from guanai.ingest.tests.factories import import_job_build, stored_job_build, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_KEEP_DAYS = 7
    return settings.MEDIA_ROOT


def _kept(job: ImportJob) -> bool:
    return jobs.job_path(job).exists()


@pytest.mark.parametrize("dry_run", ["", "on"])
def test_a_rejected_upload_is_deleted_when_it_is_rejected(
    login, users, place, dry_run, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    rows = [["姓名", "出生日期", "性别"], ["", "2015-01-01", "男"]]
    upload = SimpleUploadedFile("学生名册.xlsx", xlsx_bytes(rows))
    data = {"file": upload, "source": "education", "village": place.village_a.code}
    with django_capture_on_commit_callbacks():
        client.post(reverse("ingest:import_upload"), data | ({"dry_run": "on"} if dry_run else {}))
    job = ImportJob.objects.get()
    assert _kept(job)

    jobs.import_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED and not jobs.job_path(job).parent.exists()
    page = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "第 2 行 姓名" in page and "修正后重新上传" in page


def _aged(job: ImportJob, days: int) -> ImportJob:
    finished = timezone.now() - timedelta(days=days)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=finished)
    job.refresh_from_db()
    return job


def test_the_cleanup_deletes_the_uploads_no_job_needs(login, users):
    supervisor = users["supervisor_1"]
    done = {"status": JobStatus.DONE, "report": {"rows": 1}}
    failed_old = _aged(stored_job_build(supervisor, status=JobStatus.FAILED), 8)
    failed_new = _aged(stored_job_build(supervisor, status=JobStatus.FAILED), 6)
    dry_run_old = _aged(stored_job_build(supervisor, dry_run=True, **done), 8)
    dry_run_new = _aged(stored_job_build(supervisor, dry_run=True, **done), 1)
    queued = stored_job_build(supervisor)
    running = stored_job_build(supervisor, status=JobStatus.RUNNING)
    left_rejected = _aged(stored_job_build(supervisor, status=JobStatus.REJECTED), 0)
    left_imported = _aged(stored_job_build(supervisor, **done), 0)
    # A dry run committed long ago whose real import failed yesterday: one upload, still needed.
    committed = _aged(stored_job_build(supervisor, dry_run=True, **done), 30)
    real_failed = _aged(import_job_build(supervisor, file=committed.file, status="failed"), 1)
    stalled = stored_job_build(supervisor, status=JobStatus.RUNNING)
    ImportJob.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - timedelta(hours=3))

    out = io.StringIO()
    call_command("ingest_cleanup", stdout=out)

    assert "删除上传文件 4 个" in out.getvalue() and "记为出错 1 个" in out.getvalue()
    for job in (failed_old, dry_run_old, left_rejected, left_imported):
        assert not jobs.job_path(job).parent.exists(), job
    for job in (failed_new, dry_run_new, queued, running, committed, real_failed, stalled):
        assert _kept(job), job
    stalled.refresh_from_db()
    assert stalled.status == JobStatus.FAILED and "后台进程已停止响应" in stalled.error

    client = login(supervisor)
    page = client.get(reverse("ingest:import_job", args=[failed_old.pk])).content.decode()
    assert "上传的文件已删除" in page
    assert reverse("ingest:import_job_retry", args=[failed_old.pk]) not in page
    page = client.get(reverse("ingest:import_job", args=[dry_run_old.pk])).content.decode()
    assert "上传的文件已删除" in page
    assert reverse("ingest:import_job_commit", args=[dry_run_old.pk]) not in page
    response = client.post(reverse("ingest:import_job_commit", args=[dry_run_old.pk]))
    assert ImportJob.objects.filter(dry_run=False, file=dry_run_old.file).count() == 0
    assert "上传的文件已删除" in client.get(response["Location"]).content.decode()

    call_command("ingest_cleanup", stdout=out)  # nothing more to do
    assert "删除上传文件 0 个" in out.getvalue().splitlines()[-1]


def test_a_running_job_that_reports_progress_is_left_alone(users):
    job = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=5))
    progress = {"stage": "校验", "done": 1, "total": 2, "at": timezone.now().isoformat()}
    (jobs.job_path(job).parent / f"progress-{job.pk}.json").write_text(json.dumps(progress))
    assert jobs.import_files_cleanup() == jobs.Cleanup(files_deleted=0, jobs_failed=0)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and _kept(job)

"""Running a failed job again, a job whose worker died, and uploading a rejected file again."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.audit.models import AuditEvent
from guanai.core import heartbeat
from guanai.core.errors import AccessDenied
from guanai.ingest import jobs, submissions
from guanai.ingest.models import ImportJob, JobStatus
from guanai.ingest.tests.factories import import_job_build, profile_build, stored_job_build


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _page(client, job) -> str:
    return client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()


def _retry(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("ingest:import_job_retry", args=[job.pk]))
    return response, callbacks


def test_it_runs_a_failed_job_again_from_the_same_file(
    login, users, place, monkeypatch, django_capture_on_commit_callbacks
):
    job = stored_job_build(users["supervisor_1"], village=place.village_a.code)
    real_import = jobs.roster_import

    def broken(**kwargs):
        raise RuntimeError("数据库连接断开")

    monkeypatch.setattr(jobs, "roster_import", broken)
    with pytest.raises(RuntimeError):
        jobs.import_job_run(job.pk)
    monkeypatch.setattr(jobs, "roster_import", real_import)
    county = login(users["county"])  # anyone who may import there, not only the uploader
    page = _page(county, job)
    assert "导入出错" in page and reverse("ingest:import_job_retry", args=[job.pk]) in page

    response, callbacks = _retry(county, job, django_capture_on_commit_callbacks)

    again = ImportJob.objects.get(retry_of=job)
    assert response["Location"] == reverse("ingest:import_job", args=[again.pk])
    assert len(callbacks) == 1 and again.status == JobStatus.QUEUED
    assert (again.file, again.village, again.source, again.dry_run) == (
        job.file,
        job.village,
        job.source,
        job.dry_run,
    )
    assert again.created_by == users["county"] and again.division_code == job.division_code
    event = AuditEvent.objects.get(object_type="ingest.importjob", object_id=str(again.pk))
    assert f"重新运行出错的导入任务 {job.pk}" in event.detail
    jobs.import_job_run(again.pk)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE and again.report["created"] == 1
    page = _page(county, job)
    assert "已重新运行" in page and reverse("ingest:import_job", args=[again.pk]) in page
    assert reverse("ingest:import_job_retry", args=[job.pk]) not in page

    response, callbacks = _retry(county, job, django_capture_on_commit_callbacks)
    assert not callbacks and ImportJob.objects.count() == 2  # once only
    assert f"已经重新运行了(任务 {again.pk})" in county.get(response["Location"]).content.decode()


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.DONE, JobStatus.REJECTED])
def test_a_job_that_did_not_fail_is_not_run_again(
    login, users, status, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    job = stored_job_build(users["supervisor_1"], status=status)
    assert reverse("ingest:import_job_retry", args=[job.pk]) not in _page(client, job)
    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)
    assert not callbacks and ImportJob.objects.count() == 1
    assert "只有出错的任务可以重新运行" in client.get(response["Location"]).content.decode()


def _progress_written(job, *, ago: timedelta) -> None:
    at = (timezone.now() - ago).isoformat()
    data = {"stage": "写入与关联", "done": 2000, "total": 8000, "at": at}
    (jobs.job_path(job).parent / f"progress-{job.pk}.json").write_text(json.dumps(data))


def test_a_running_job_whose_heartbeat_is_silent_for_minutes_shows_as_failed_and_runs_again(
    login, users, settings, django_capture_on_commit_callbacks
):
    settings.JOB_SILENT_MINUTES = 5
    client = login(users["supervisor_1"])
    job = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    _progress_written(job, ago=timedelta(minutes=4))
    page = _page(client, job)
    assert "导入中" in page and "2000 / 8000" in page and 'hx-trigger="every 1s"' in page
    assert reverse("ingest:import_job_retry", args=[job.pk]) not in page

    _progress_written(job, ago=timedelta(minutes=6))
    page = _page(client, job)
    assert "出错" in page and "后台进程已停止响应" in page and "hx-trigger" not in page
    assert reverse("ingest:import_job_retry", args=[job.pk]) in page
    listed = client.get(reverse("ingest:import_job_list")).content.decode()
    assert "出错" in listed and "导入中" not in listed

    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert job.error == "后台进程已停止响应(超过 5 分钟没有心跳)"
    assert not (jobs.job_path(job).parent / f"progress-{job.pk}.json").exists()
    again = ImportJob.objects.get(retry_of=job)
    assert response["Location"] == reverse("ingest:import_job", args=[again.pk])
    assert len(callbacks) == 1


def test_a_running_job_without_progress_is_judged_from_its_creation(users):
    job = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    assert not jobs.import_job_state(job).stalled
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    job.refresh_from_db()
    assert jobs.import_job_state(job).status == JobStatus.FAILED


def test_a_failed_job_whose_file_is_gone_says_so_and_offers_no_retry(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    job = import_job_build(
        users["supervisor_1"], status=JobStatus.FAILED, village=place.village_a.code
    )
    page = _page(client, job)
    assert "上传的文件已删除" in page
    assert reverse("ingest:import_job_retry", args=[job.pk]) not in page
    assert f"{reverse('ingest:import_upload')}?source=education&amp;village=" in page
    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)
    assert not callbacks
    assert "上传的文件已删除" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["supervisor_2", "director_a", "carer_a", "department"])
def test_others_cannot_run_it_again(login, users, who, django_capture_on_commit_callbacks):
    job = stored_job_build(users["supervisor_1"], status=JobStatus.FAILED)
    response, callbacks = _retry(login(users[who]), job, django_capture_on_commit_callbacks)
    assert response.status_code == 404 and not callbacks
    assert ImportJob.objects.count() == 1


def test_a_rejected_file_is_uploaded_again_with_the_same_choices(login, users, place):
    profile = profile_build("education", "学籍表")
    job = import_job_build(
        users["supervisor_1"],
        status=JobStatus.REJECTED,
        profile="学籍表",
        village=place.village_a.code,
        as_of=date(2026, 9, 1),
        report={"errors": ["第 2 行 姓名:不能为空"]},
    )
    client = login(users["supervisor_1"])
    page = _page(client, job)
    link = (
        f"{reverse('ingest:import_upload')}?source=education&amp;profile={profile.pk}"
        f"&amp;village={place.village_a.code}&amp;as_of=2026-09-01"
    )
    assert "修正后重新上传" in page and link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert '<option value="education" selected>' in form
    assert f'<option value="{profile.pk}" selected>' in form
    assert f'<option value="{place.village_a.code}" selected>' in form
    assert 'value="2026-09-01"' in form


def test_the_worker_beats_for_a_job_whose_stage_reports_nothing_for_long(users, monkeypatch, media):
    """Reading a large workbook reports no progress for minutes: the heartbeat goes on."""
    job = stored_job_build(users["supervisor_1"])
    monkeypatch.setattr(heartbeat, "BEAT_SECONDS", 0.01)
    beats = []

    def reading_for_long(**kwargs):
        path = jobs.job_path(job).parent / f"progress-{job.pk}.json"
        while len(set(beats)) < 3:
            beats.append(json.loads(path.read_text())["at"])
        raise RuntimeError("停在这里")

    monkeypatch.setattr(jobs, "roster_import", reading_for_long)
    with pytest.raises(RuntimeError):
        jobs.import_job_run(job.pk)
    assert len(set(beats)) == 3  # three different times, no progress reported in between


def test_running_jobs_whose_heartbeat_is_silent_are_marked_failed_and_no_others(
    users, settings, django_capture_on_commit_callbacks, login
):
    settings.JOB_SILENT_MINUTES = 5
    silent = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    _progress_written(silent, ago=timedelta(minutes=6))
    beating = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    _progress_written(beating, ago=timedelta(seconds=20))
    queued = stored_job_build(users["supervisor_1"])
    ImportJob.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert jobs.import_jobs_fail_silent() == 1

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        silent.pk: JobStatus.FAILED,
        beating.pk: JobStatus.RUNNING,
        queued.pk: JobStatus.QUEUED,
    }
    silent.refresh_from_db()
    assert silent.error.startswith("后台进程已停止响应") and silent.finished_at
    client = login(users["supervisor_1"])
    page = _page(client, silent)
    assert "后台进程已停止响应" in page
    assert reverse("ingest:import_job_retry", args=[silent.pk]) in page
    response, callbacks = _retry(client, silent, django_capture_on_commit_callbacks)
    assert len(callbacks) == 1 and ImportJob.objects.filter(retry_of=silent).exists()


def test_a_job_that_ended_while_judged_silent_is_not_marked_failed(users, settings):
    settings.JOB_SILENT_MINUTES = 5
    job = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    _progress_written(job, ago=timedelta(minutes=6))
    state = jobs.import_job_state(job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)  # the worker finished
    assert state.stalled and not jobs.fail_stalled(job)
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_running_a_silent_job_again_needs_the_right_to_import(
    login, users, settings, django_capture_on_commit_callbacks
):
    settings.JOB_SILENT_MINUTES = 5
    job = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    _progress_written(job, ago=timedelta(minutes=6))
    for username in ("director_a", "supervisor_2", "carer_a"):
        client = login(users[username])
        response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)
        assert response.status_code == 404 and not callbacks, username
    with pytest.raises(AccessDenied):
        submissions.import_job_retry(actor=users["director_a"], job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and ImportJob.objects.count() == 1


def test_a_queued_job_says_when_no_worker_is_running(login, users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login(users["supervisor_1"])
    job = stored_job_build(users["supervisor_1"])
    page = _page(client, job)
    assert "排队中:当前没有运行的后台进程" in page and 'hx-trigger="every 1s"' in page
    heartbeat.worker_beat("w1")
    page = _page(client, job)
    assert "排队中" in page and "当前没有运行的后台进程" not in page and "等待开始" in page

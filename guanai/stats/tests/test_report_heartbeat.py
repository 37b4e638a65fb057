"""A report whose process stopped: shown and marked as failed, run again by those who may."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.core import heartbeat
from guanai.core.errors import AccessDenied
from guanai.stats import jobs, services
from guanai.stats.models import ReportJob, ReportStatus
from guanai.stats.testing import report_job_build


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    settings.JOB_SILENT_MINUTES = 5


def _running(job, *, beat_ago: timedelta) -> ReportJob:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportStatus.RUNNING, progress=40, heartbeat_at=timezone.now() - beat_ago
    )
    job.refresh_from_db()
    return job


def _page(client, job) -> str:
    return client.get(reverse("stats:report_status", args=[job.pk])).content.decode()


def _retry(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("stats:report_retry", args=[job.pk]))
    return response, callbacks


def test_a_report_whose_heartbeat_is_silent_shows_as_failed_and_runs_again(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["county"])
    job = _running(
        report_job_build(place.township_1, users["supervisor_1"]), beat_ago=timedelta(minutes=4)
    )
    page = _page(client, job)
    assert "生成中" in page and 'hx-trigger="every 2s"' in page
    assert reverse("stats:report_retry", args=[job.pk]) not in page

    job = _running(job, beat_ago=timedelta(minutes=6))
    page = _page(client, job)
    assert "失败" in page and "后台进程已停止响应" in page and "hx-trigger" not in page
    assert reverse("stats:report_retry", args=[job.pk]) in page

    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED and job.error.startswith("后台进程已停止响应")
    again = ReportJob.objects.get(retry_of=job)
    assert response["Location"] == reverse("stats:report_status", args=[again.pk])
    assert len(callbacks) == 1 and again.status == ReportStatus.QUEUED
    assert (again.kind, again.division, again.period_start, again.period_end) == (
        job.kind,
        job.division,
        job.period_start,
        job.period_end,
    )
    assert again.requested_by == users["county"]
    page = _page(client, job)
    assert "已重新生成" in page and reverse("stats:report_retry", args=[job.pk]) not in page

    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)
    assert not callbacks and ReportJob.objects.count() == 2  # once only


def test_the_worker_sweep_marks_only_silent_running_reports_failed(users, place):
    silent = _running(
        report_job_build(place.township_1, users["supervisor_1"]), beat_ago=timedelta(minutes=6)
    )
    beating = _running(
        report_job_build(place.township_1, users["supervisor_1"]), beat_ago=timedelta(seconds=30)
    )
    queued = report_job_build(place.township_1, users["supervisor_1"])

    assert services.report_jobs_fail_silent() == 1

    statuses = dict(ReportJob.objects.values_list("pk", "status"))
    assert statuses == {
        silent.pk: ReportStatus.FAILED,
        beating.pk: ReportStatus.RUNNING,
        queued.pk: ReportStatus.QUEUED,
    }


def test_a_run_beats_and_a_job_no_longer_queued_is_not_run(users, place):
    job = report_job_build(place.township_1, users["supervisor_1"])
    jobs.report_run(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.heartbeat_at is not None
    failed = report_job_build(place.township_1, users["supervisor_1"])
    ReportJob.objects.filter(pk=failed.pk).update(status=ReportStatus.FAILED)
    assert jobs.report_run(failed.pk).status == ReportStatus.FAILED


@pytest.mark.parametrize("username", ["director_a", "supervisor_2", "carer_a"])
def test_running_a_report_again_needs_the_right_to_request_it_there(
    login, users, place, username, django_capture_on_commit_callbacks
):
    job = _running(
        report_job_build(place.township_1, users["supervisor_1"]), beat_ago=timedelta(minutes=6)
    )
    response, callbacks = _retry(login(users[username]), job, django_capture_on_commit_callbacks)
    assert response.status_code == 404 and not callbacks
    with pytest.raises(AccessDenied):
        services.report_job_retry(actor=users[username], job=job)
    job.refresh_from_db()
    assert job.status == ReportStatus.RUNNING and ReportJob.objects.count() == 1


def test_a_report_that_did_not_fail_is_not_run_again(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    job = report_job_build(place.township_1, users["supervisor_1"])
    response, callbacks = _retry(client, job, django_capture_on_commit_callbacks)
    assert not callbacks and ReportJob.objects.count() == 1
    assert "只有失败的报表可以重新生成" in client.get(response["Location"]).content.decode()


def test_a_queued_report_says_when_no_worker_is_running(login, users, place):
    client = login(users["supervisor_1"])
    job = report_job_build(place.township_1, users["supervisor_1"])
    assert "排队中:当前没有运行的后台进程" in _page(client, job)
    heartbeat.worker_beat("w1")
    page = _page(client, job)
    assert "排队中" in page and "当前没有运行的后台进程" not in page


def test_the_list_shows_a_silent_report_as_failed(login, users, place):
    job = report_job_build(place.township_1, users["supervisor_1"])
    _running(job, beat_ago=timedelta(minutes=6))
    listed = login(users["supervisor_1"]).get(reverse("stats:report_list")).content.decode()
    assert "失败" in listed and "生成中" not in listed

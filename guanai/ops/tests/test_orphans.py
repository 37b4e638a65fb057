"""A worker that died: its running task and the job behind it are failed by the next worker."""

import json
import socket
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanai.core.heartbeat import died_silent
from guanai.ingest.models import ImportJob, JobStatus
from guanai.ingest.tests.factories import import_job_build
from guanai.ops import orphans
from guanai.ops.management.commands import worker
from guanai.stats.models import ReportJob, ReportStatus
from guanai.stats.testing import report_job_build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / "workers").mkdir()
    return tmp_path


def running_task(task_path: str, job_id: int, worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [job_id], "kwargs": {}},
        task_path=task_path,
        worker_ids=[worker_id],
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
    )


def dead_worker_file(var_dir, worker_id: str) -> None:
    """A fresh heartbeat file whose process is gone (kill -9 a moment ago)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    data = {"pid": gone.pid, "host": socket.gethostname(), "at": timezone.now().isoformat()}
    (var_dir / "workers" / f"{worker_id}.json").write_text(json.dumps(data))


def test_the_restarted_worker_fails_the_dead_ones_tasks_and_jobs(
    users, place, var_dir, monkeypatch
):
    imp = import_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    report = report_job_build(place.township_1, users["supervisor_1"])
    ReportJob.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    task_imp = running_task("guanai.ingest.tasks.import_task", imp.pk, "vm-task-1")
    task_report = running_task("guanai.stats.tasks.report_task", report.pk, "vm-task-1")
    other = running_task("guanai.ingest.tasks.import_task", 0, "vm-task-2")  # alive elsewhere
    dead_worker_file(var_dir, "vm-task-1")
    monkeypatch.setattr(worker.DatabaseWorkerCommand, "handle", lambda self, *a, **kw: None)
    call_command("worker", "--batch", "--worker-id", "vm-task-1", "--no-startup-delay")
    for task in (task_imp, task_report):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.FAILED and task.finished_at
        assert task.exception_class_path == "guanai.ops.orphans.WorkerDied"
        assert "vm-task-1" in task.traceback
    other.refresh_from_db()
    assert other.status == TaskResultStatus.RUNNING
    imp.refresh_from_db()
    report.refresh_from_db()
    assert imp.status == JobStatus.FAILED and died_silent(imp.error)
    assert report.status == ReportStatus.FAILED and died_silent(report.error)


def test_a_task_that_finished_meanwhile_and_a_live_worker_are_left_alone(users):
    imp = import_job_build(users["supervisor_1"], status=JobStatus.DONE)
    done = running_task("guanai.ingest.tasks.import_task", imp.pk, "w-dead")
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert orphans.orphans_fail(["w-dead"]) == 0
    assert orphans.orphans_fail([]) == 0
    assert ImportJob.objects.get(pk=imp.pk).status == JobStatus.DONE

"""The server's status page: administrators only; queue, failures, backup, readiness."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.menu import menu_for

pytestmark = pytest.mark.django_db


def task(status, path="guanai.ingest.tasks.import_task", **values) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=timezone.now(),
        **values,
    )


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path
    settings.READY_MIN_FREE_MB = 1


def test_the_administrator_sees_the_queue_failures_and_last_backup(login, users):
    task(TaskResultStatus.READY)
    oldest = task(TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=oldest.pk).update(
        enqueued_at=timezone.now() - timedelta(hours=3)
    )
    task(
        TaskResultStatus.FAILED,
        path="guanai.stats.tasks.report_task",
        finished_at=timezone.now(),
        exception_class_path="guanai.ops.orphans.WorkerDied",
        traceback="李小红 的行有误",  # a message may quote a row: never shown
    )
    task(TaskResultStatus.FAILED, finished_at=timezone.now() - timedelta(days=30))
    audit(actor=None, action=Action.EXPORT, object_type="core.backup", object_id="b", label="b")
    response = login(users["admin"]).get(reverse("ops:status"))
    assert response.status_code == 200
    status = response.context["status"]
    assert status.queued == 2 and status.running == 0
    assert timezone.now() - status.oldest_queued_at > timedelta(hours=2)
    assert status.failed_recent == 1  # last week's only
    assert [(str(t.name), t.error) for t in status.failed] == [("报表生成", "WorkerDied")]
    assert status.last_backup_at is not None
    page = response.content.decode()
    assert "报表生成" in page and "李小红" not in page and "没有心跳" in page
    assert ("运行状态", reverse("ops:status"), "ops") in menu_for(users["admin"])


@pytest.mark.parametrize("username", ["county", "supervisor_1", "director_a", "carer_a"])
def test_no_one_but_the_administrator_sees_it(login, users, username):
    response = login(users[username]).get(reverse("ops:status"))
    assert response.status_code == 403
    assert "ops" not in [key for _, _, key in menu_for(users[username])]


def test_no_backup_yet_is_shown_in_red(login, users):
    response = login(users["admin"]).get(reverse("ops:status"))
    assert response.context["status"].last_backup_at is None
    assert "没有备份记录" in response.content.decode()

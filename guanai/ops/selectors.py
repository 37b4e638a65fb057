"""What the server's status page shows: the task queue, failed tasks, workers, the last backup,
and /readyz's checks. Tasks are named by their function, never by their arguments."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanai.audit.models import Action, AuditEvent
from guanai.core.health import readiness

FAILED_DAYS = 7
FAILED_SHOWN = 20
# The task functions by their path, named for the page.
TASK_NAMES = {
    "guanai.ingest.tasks.import_task": _("名册导入"),
    "guanai.stats.tasks.report_task": _("报表生成"),
}


@dataclass(frozen=True)
class FailedTask:
    name: object  # a lazy translation
    finished_at: datetime | None
    error: str  # the exception's class, not its message (which may quote a row)


@dataclass(frozen=True)
class ServerStatus:
    queued: int
    oldest_queued_at: datetime | None
    running: int
    failed_recent: int
    failed: list[FailedTask]
    last_backup_at: datetime | None
    ready: dict


def task_name(path: str) -> object:
    return TASK_NAMES.get(path, path.rsplit(".", 1)[-1])


def server_status() -> ServerStatus:
    counts = dict(
        DBTaskResult.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    oldest = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        at=Min("enqueued_at")
    )["at"]
    since = timezone.now() - timedelta(days=FAILED_DAYS)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since)
    shown = failed.order_by("-finished_at", "-pk")[:FAILED_SHOWN]
    backup = (
        AuditEvent.objects.filter(object_type="core.backup", action=Action.EXPORT)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return ServerStatus(
        queued=counts.get(TaskResultStatus.READY, 0),
        oldest_queued_at=oldest,
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed_recent=failed.count(),
        failed=[
            FailedTask(
                task_name(t.task_path), t.finished_at, t.exception_class_path.rsplit(".", 1)[-1]
            )
            for t in shown
        ],
        last_backup_at=backup,
        ready=readiness(),
    )

"""The tasks of a worker that died: failed at once, their jobs with them.

django-tasks' database worker marks a task RUNNING when it claims it and finishes it itself;
a worker that is killed (out of memory, kill -9, a crash) leaves its task RUNNING for ever and
the import or report behind it running until its own heartbeat has been silent for
JOB_SILENT_MINUTES. `guanai worker` learns which workers died from their heartbeat files
(core.heartbeat.workers_dead_forget: silent, or their process gone from this machine) when it
starts (`guanai serve --production` restarts a dead worker under the same id) and at each beat,
and fails what they were running here, with the silent job's reason: the job pages offer to
run it again.
"""

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guanai.core.heartbeat import silent_reason
from guanai.ingest.jobs import import_job_fail_stopped
from guanai.stats.services import report_job_fail_stopped

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """The exception class recorded on a task whose worker died while running it."""


# The job behind each task (its first argument is the job's id): failed with the task.
JOB_FAILS: dict[str, Callable[[int], bool]] = {
    "guanai.ingest.tasks.import_task": import_job_fail_stopped,
    "guanai.stats.tasks.report_task": report_job_fail_stopped,
}


def orphans_fail(dead_workers: Iterable[str]) -> int:
    """Fail the RUNNING tasks last claimed by one of these workers, and their jobs; return how
    many tasks."""
    dead = set(dead_workers)
    if not dead:
        return 0
    failed = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if not result.worker_ids or result.worker_ids[-1] not in dead:
            continue
        with transaction.atomic():
            claimed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
            if not claimed.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
                traceback=f"{silent_reason()}: worker {result.worker_ids[-1]}",
            ):
                continue  # it finished meanwhile
            fail_job = JOB_FAILS.get(result.task_path)
            args = (result.args_kwargs or {}).get("args") or []
            if fail_job is not None and args:
                fail_job(int(args[0]))
        logger.warning("task %s of dead worker %s failed", result.pk, result.worker_ids[-1])
        failed += 1
    return failed

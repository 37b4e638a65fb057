"""guanai worker: django-tasks' database worker (`db_worker`, same options) with a heartbeat.

While it runs it beats into VAR_DIR/workers/<worker id>.json, so the job pages can tell a queued
job that waits for a busy worker from one that waits for no worker at all, and at each beat it
marks as failed the running jobs whose own heartbeat went silent (their process died) and
sweeps the protection cases' response clocks and the window's referral limits (lapses and
escalations within a beat), and recounts the dashboards' stored summaries once a minute. The
tasks of workers that died (their file silent, or their process gone from this machine) are
failed with their jobs when it starts and at each beat (guanai.ops.orphans).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from guanai.core.heartbeat import Beating, worker_beat, worker_gone, workers_dead_forget
from guanai.ingest.jobs import import_jobs_fail_silent
from guanai.ops.orphans import orphans_fail
from guanai.protection.sweep import clock_sweep
from guanai.stats.services import report_jobs_fail_silent
from guanai.stats.summaries import summaries_refresh
from guanai.window.sweep import referral_sweep

SILENT_JOB_SWEEPS = (import_jobs_fail_silent, report_jobs_fail_silent)
# Each checks its own clock: a sweep finds nothing to do most beats; summaries recount a county
# once a minute.
CLOCK_SWEEPS = (clock_sweep, referral_sweep, summaries_refresh)


class Command(DatabaseWorkerCommand):
    help = "后台任务进程(名册导入、报表),带心跳;选项同 db_worker"

    def handle(self, *args, worker_id: str, **options):
        def beat() -> None:
            worker_beat(worker_id)
            orphans_fail(workers_dead_forget())
            for sweep in SILENT_JOB_SWEEPS:
                sweep()
            for clock in CLOCK_SWEEPS:
                clock()

        orphans_fail(workers_dead_forget())  # before the first beat: this id's own last run too
        try:
            with Beating(beat):
                super().handle(*args, worker_id=worker_id, **options)
        finally:
            worker_gone(worker_id)

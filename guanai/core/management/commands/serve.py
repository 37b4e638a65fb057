"""guanai serve [ADDRPORT] [--noreload]: the development server with a task worker beside it.

Reports and roster imports run as django-tasks tasks (database backend); without a worker they
stay queued. This starts `guanai worker` (db_worker with a heartbeat) as a child process, then
runs `runserver`, and stops the worker when the server ends (Ctrl-C, SIGTERM, or an error).
With the auto-reloader the worker is started once, by the outer process, not by each reloaded
server.
"""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the worker gets SIGTERM if this process is killed outright (kill -9)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "开发服务器,并同时启动后台任务进程(报表、名册导入)"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_false", dest="use_reloader")
        parser.add_argument(
            "--no-worker", action="store_false", dest="worker", help="不启动后台任务进程"
        )

    def handle(self, *args, addrport, use_reloader, worker, **options):
        # The reloader re-runs this command in a child with RUN_MAIN=true: no second worker.
        start_worker = worker and os.environ.get("RUN_MAIN") != "true"
        process = self._start_worker() if start_worker else None
        previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, self._terminate)
        try:
            call_command("runserver", addrport, use_reloader=use_reloader)
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process is not None:
                self._stop_worker(process)

    @staticmethod
    def _terminate(signum, frame):
        raise SystemExit(0)

    def _start_worker(self) -> subprocess.Popen:
        command = [
            sys.executable,
            "-m",
            "guanai",
            "worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "1",
            "--verbosity",
            "0",
        ]
        process = subprocess.Popen(
            command, preexec_fn=_die_with_parent if sys.platform == "linux" else None
        )
        self.stdout.write(f"后台任务进程已启动(pid {process.pid})")
        return process

    def _stop_worker(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("后台任务进程已停止")

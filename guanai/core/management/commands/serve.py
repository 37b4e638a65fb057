"""guanai serve [ADDRPORT] [--noreload]: the development server with a task worker beside it.

guanai serve --production [ADDRPORT] [--workers N] [--task-workers N] [--task-niceness N]:
gunicorn with N web workers (default 2 a core + 1) and N task workers at a lower CPU priority
(nice 10), supervised (guanai.core.supervise), static
files from `collectstatic` with hashed names (run first when the collected files are missing or
older than the sources). It refuses to start without GUANAI_SECRET_KEY, GUANAI_ALLOWED_HOSTS
and DATABASE_URL (guanai.env.production_problems); docs/deploy.md.

Reports and roster imports run as django-tasks tasks (database backend); without a worker they
stay queued. This starts `guanai worker` (db_worker with a heartbeat) as a child process, then
runs `runserver`, and stops the worker when the server ends (Ctrl-C, SIGTERM, or an error).
With the auto-reloader the worker is started once, by the outer process, not by each reloaded
server.
"""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from guanai.core.supervise import (
    TASK_NICENESS,
    Supervisor,
    child_setup,
    task_workers_default,
    web_workers_default,
)
from guanai.env import production_problems, production_refusal

GUANAI = [sys.executable, "-m", "guanai"]


def static_stale(root: Path) -> bool:
    """No manifest of collected files yet, or a source file changed since it was written."""
    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return True
    written = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if os.path.getmtime(storage.path(path)) > written:
                return True
    return False


def gunicorn_command(addrport: str, workers: int) -> list[str]:
    bind = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "guanai.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        "--timeout=120",  # a roster upload of 100 MB on a slow county line
        "--graceful-timeout=30",
        "--max-requests=2000",  # a worker that grows is replaced, one at a time
        "--max-requests-jitter=200",
        "--access-logfile=-",
        # gunicorn's default line and the time the request took in the worker (ms).
        '--access-logformat=%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms',
        "--forwarded-allow-ips=127.0.0.1,::1",
        "--no-control-socket",  # several instances on one machine (tests, counties)
    ]


def task_worker_command(worker_id: str) -> list[str]:
    return [*GUANAI, "worker", "--worker-id", worker_id, "--no-startup-delay", "--verbosity", "1"]


class Command(BaseCommand):
    help = "开发服务器,并同时启动后台任务进程(报表、名册导入)"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_false", dest="use_reloader")
        parser.add_argument(
            "--no-worker", action="store_false", dest="worker", help="不启动后台任务进程"
        )
        parser.add_argument(
            "--production", action="store_true", help="生产环境:gunicorn 与多个后台任务进程"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="网页进程数(默认:每核 2 个加 1)"
        )
        parser.add_argument(
            "--task-workers", type=int, default=None, help="后台任务进程数(默认:每两核 1 个)"
        )
        parser.add_argument(
            "--task-niceness",
            type=int,
            default=TASK_NICENESS,
            help=f"后台任务进程的 CPU 优先级降低多少(nice,默认 {TASK_NICENESS};0 为不降低)",
        )
        parser.add_argument(
            "--collectstatic",
            choices=["auto", "always", "never"],
            default="auto",
            help="启动前收集静态文件(auto:缺少或过期时)",
        )

    def handle(self, *args, addrport, use_reloader, worker, production, **options):
        if production:
            raise SystemExit(self._production(addrport, **options))
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

    def _production(
        self, addrport, workers, task_workers, task_niceness, collectstatic, **options
    ) -> int:
        problems = production_problems()
        if problems:
            raise CommandError(production_refusal(problems))
        workers = web_workers_default() if workers is None else workers
        task_workers = task_workers_default() if task_workers is None else task_workers
        if workers < 1 or task_workers < 0 or not 0 <= task_niceness <= 19:
            raise CommandError("进程数无效 / invalid number of processes")
        env = {**os.environ, "GUANAI_PRODUCTION": "1"}
        if os.environ.get("DATABASE_URL", "").startswith("sqlite"):
            self.stderr.write(
                "警告:SQLite 只适合试用,县级部署请用 PostgreSQL / "
                "warning: SQLite is for trials; a county runs PostgreSQL"
            )
        if collectstatic == "always" or (
            collectstatic == "auto" and static_stale(Path(settings.STATIC_ROOT))
        ):
            self.stdout.write("收集静态文件 / collecting static files")
            subprocess.run([*GUANAI, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        host = socket.gethostname().split(".")[0][:40]
        tasks = [task_worker_command(f"{host}-task-{n}") for n in range(1, task_workers + 1)]
        self.stdout.write(
            f"gunicorn {workers} 个网页进程,{task_workers} 个后台任务进程 / "
            f"{workers} web workers, {task_workers} task workers"
        )
        supervisor = Supervisor(
            gunicorn_command(addrport, workers),
            tasks,
            env,
            self.stdout.write,
            task_niceness=task_niceness,
        )
        return supervisor.run()

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
        process = subprocess.Popen(command, preexec_fn=child_setup(TASK_NICENESS))
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

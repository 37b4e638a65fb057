"""`guanai serve --production`: gunicorn and N task workers, kept running by one supervisor.

The supervisor starts the web server (gunicorn's own master process, which restarts its web
workers) and the task workers (`guanai worker --worker-id <host>-task-<n>`), then watches them:

- a task worker that exits while nobody asked it to is started again under the same id, after
  a pause that grows while it keeps dying at once (1 s doubling to 30 s). The new process
  fails the task the dead one was running, and its import or report, before it takes another
  (guanai.ops.orphans, from the dead process's heartbeat file): the job page offers to run it
  again;
- SIGHUP is a graceful restart: gunicorn reloads its workers (each finishes its request) and
  each task worker is asked to stop after its current task (SIGTERM, which django-tasks' worker
  honours between tasks) and started again — new code and settings, nothing cut off;
- SIGTERM or SIGINT stops everything gracefully (gunicorn finishes its requests, the task
  workers their tasks, within STOP_SECONDS; then they are killed); the supervisor exits 0;
- if gunicorn itself exits, the supervisor stops the task workers and exits 1, for systemd
  (Restart=on-failure) to start the whole again;
- task workers run at a lower CPU priority (nice 10 by default): an import or a report takes
  the cores people's pages leave idle, so a month's-end import does not slow every page.

It knows no app: only the commands it runs (core sits below every app).
"""

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

STOP_SECONDS = 60.0
RESTART_PAUSE_MAX = 30.0
# A task worker that ran this long before dying is restarted after the shortest pause again.
STEADY_SECONDS = 60.0
# Background work yields to people's requests (see the module docstring).
TASK_NICENESS = 10


def web_workers_default(cores: int | None = None) -> int:
    """gunicorn's own advice: two workers a core and one more (5 on 2 cores), at most 17."""
    return min(2 * (cores or os.cpu_count() or 1) + 1, 17)


def task_workers_default(cores: int | None = None) -> int:
    """One task worker per two cores, at least one: imports and reports are heavy."""
    return max(1, (cores or os.cpu_count() or 1) // 2)


def die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the child gets SIGTERM if the supervisor is killed outright (kill -9)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_setup(niceness: int) -> Callable[[], None] | None:
    """What a child runs before exec: die with the supervisor (Linux), then lower its priority."""
    if sys.platform != "linux" and not niceness:
        return None

    def setup() -> None:  # pragma: no cover - runs in the child, before exec
        if sys.platform == "linux":
            die_with_parent()
        if niceness:
            os.nice(niceness)

    return setup


@dataclass
class Child:
    """One supervised process: its command, the running process, when it started, and its
    next start after a death (restarts, pause)."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    pause: float = 0.0
    due_at: float = 0.0
    niceness: int = 0
    stopping: bool = field(default=False)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    """Runs `web` (one command) and `tasks` (one command per task worker) with `env`."""

    def __init__(
        self,
        web: Sequence[str],
        tasks: Sequence[Sequence[str]],
        env: dict[str, str] | None = None,
        say: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
        task_niceness: int = TASK_NICENESS,
    ):
        self.web = Child("web", list(web))
        self.tasks = [
            Child(f"task-{n}", list(cmd), niceness=task_niceness) for n, cmd in enumerate(tasks, 1)
        ]
        self.env = env
        self.say = say
        self.clock = clock
        self.stop_asked = False
        self.reload_asked = False

    # Processes ---------------------------------------------------------------------------------

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.command,
            env=self.env,
            preexec_fn=child_setup(child.niceness),
        )
        child.started_at = self.clock()
        child.stopping = False
        self.say(f"{child.name} 已启动 / started (pid {child.pid})")

    def start(self) -> None:
        self._spawn(self.web)
        for child in self.tasks:
            self._spawn(child)

    def reload(self) -> None:
        """Graceful restart: gunicorn's workers reloaded, each task worker after its task."""
        self.say("平滑重启 / graceful restart (SIGHUP)")
        if self.web.running():
            self.web.process.send_signal(signal.SIGHUP)  # type: ignore[union-attr]
        for child in self.tasks:
            if child.running():
                child.stopping = True  # its exit is asked for: started again, no pause
                child.process.send_signal(signal.SIGTERM)  # type: ignore[union-attr]

    def step(self) -> bool:
        """One look at the children: restart dead task workers; False once gunicorn is gone."""
        now = self.clock()
        if not self.web.running():
            code = self.web.process.returncode if self.web.process else None
            self.say(f"web 已退出 / web server exited (code {code})")
            return False
        for child in self.tasks:
            if child.running() or child.process is None:
                continue
            if child.due_at == 0.0:  # just found dead: when to start it again
                code = child.process.returncode
                if child.stopping:
                    child.pause = 0.0
                else:
                    steady = now - child.started_at >= STEADY_SECONDS
                    child.pause = 1.0 if steady or not child.pause else child.pause * 2
                    child.pause = min(child.pause, RESTART_PAUSE_MAX)
                    self.say(
                        f"{child.name} 意外退出(代码 {code}),{child.pause:.0f} 秒后重启 / "
                        f"died (code {code}), restarting in {child.pause:.0f} s"
                    )
                child.due_at = now + child.pause
            if now >= child.due_at:
                child.due_at = 0.0
                child.restarts += 0 if child.stopping else 1
                self._spawn(child)
        return True

    def stop(self) -> None:
        """SIGTERM to everyone, wait up to STOP_SECONDS, then SIGKILL whoever is left."""
        children = [self.web, *self.tasks]
        for child in children:
            if child.running():
                child.stopping = True
                child.process.terminate()  # type: ignore[union-attr]
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        self.say("已全部停止 / all stopped")

    # The loop ----------------------------------------------------------------------------------

    def _on_stop(self, signum, frame) -> None:
        self.stop_asked = True

    def _on_hup(self, signum, frame) -> None:
        self.reload_asked = True

    def run(self, every: float = 0.5) -> int:
        """Start, watch until SIGTERM/SIGINT (0) or gunicorn's end (1), stop."""
        handlers = {
            signal.SIGTERM: self._on_stop,
            signal.SIGINT: self._on_stop,
            signal.SIGHUP: self._on_hup,
        }
        previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
        code = 0
        try:
            self.start()
            while not self.stop_asked:
                if self.reload_asked:
                    self.reload_asked = False
                    self.reload()
                if not self.step():
                    code = 1
                    break
                time.sleep(every)
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return code

"""Heartbeats of background work: each running job's, and each worker process's.

Imports and reports run in `guanai worker` (django-tasks' database worker, which keeps no record
of its workers). While a job runs, a thread of its process beats for it every BEAT_SECONDS,
whatever the job is doing (a long query or reading a large workbook report no progress for
minutes); a job whose last beat is older than JOB_SILENT_MINUTES lost its process and is shown,
then marked, as failed with SILENT_REASON. The worker beats the same way into a file of its own
under VAR_DIR/workers/ (a file, not a row: on SQLite a row would wait behind an import's write
transaction); a queued job with no fresh worker file waits for a worker nobody runs.
"""

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

BEAT_SECONDS = 30.0
# Kept on the job as its error (in Chinese, as every job error is stored); pages translate it.
SILENT_REASON = "后台进程已停止响应"


def silent_after() -> timedelta:
    return timedelta(minutes=settings.JOB_SILENT_MINUTES)


def is_silent(last_beat: datetime | None) -> bool:
    """No beat for longer than JOB_SILENT_MINUTES (or none at all)."""
    return last_beat is None or timezone.now() - last_beat > silent_after()


def silent_reason() -> str:
    """The error of a job marked failed because its heartbeat went silent."""
    return f"{SILENT_REASON}(超过 {settings.JOB_SILENT_MINUTES} 分钟没有心跳)"


def died_silent(error: str) -> bool:
    """A failed job's error says its process stopped (``silent_reason``)."""
    return error.startswith(SILENT_REASON)


class Beating:
    """``with Beating(beat):`` calls ``beat()`` at once and then every ``every`` seconds in a
    thread until the block ends. A failing beat is logged and tried again at the next one."""

    def __init__(self, beat: Callable[[], None], every: float | None = None):
        self.beat = beat
        self.every = BEAT_SECONDS if every is None else every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="guanai-heartbeat", daemon=True)

    def __enter__(self) -> "Beating":
        self._beat_once()  # the first beat before the work starts: never judged by an old one
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat_once(self) -> None:
        try:
            self.beat()
        except Exception:
            logger.warning("heartbeat failed", exc_info=True)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                self._beat_once()
        finally:
            connections.close_all()  # this thread's own connections


# Workers ---------------------------------------------------------------------------------------


def _workers_dir() -> Path:
    return Path(settings.VAR_DIR) / "workers"


def _worker_file(worker_id: str) -> Path:
    return _workers_dir() / f"{worker_id}.json"


def worker_beat(worker_id: str) -> None:
    """The worker is alive: its file replaced whole (a reader never sees half of it)."""
    path = _worker_file(worker_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"pid": os.getpid(), "host": socket.gethostname(), "at": timezone.now().isoformat()}
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temp, path)


def worker_gone(worker_id: str) -> None:
    _worker_file(worker_id).unlink(missing_ok=True)


def _process_gone(data: dict) -> bool:
    """The file's process ran on this machine and is no longer there (killed, crashed)."""
    if data.get("host") != socket.gethostname() or not isinstance(data.get("pid"), int):
        return False
    try:
        os.kill(data["pid"], 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process (EPERM): it is there
        return False
    return False


def _worker_files() -> Iterator[tuple[Path, bool]]:
    """Each worker's file, and whether it beat within JOB_SILENT_MINUTES from a process that is
    still there (a worker of this machine whose process died is dead at once, not 5 min on)."""
    with contextlib.suppress(OSError):
        for path in _workers_dir().glob("*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                beat = datetime.fromisoformat(data["at"])
                yield path, not is_silent(beat) and not _process_gone(data)
            except (OSError, ValueError, KeyError, TypeError):
                yield path, False


def worker_alive() -> bool:
    """Some worker beat within JOB_SILENT_MINUTES (and its process is there)."""
    return any(alive for _, alive in _worker_files())


def workers_dead_forget() -> list[str]:
    """Remove the files of workers that stopped without removing them (killed, machine down);
    return their worker ids, whose running tasks nobody will finish."""
    dead = []
    for path, alive in _worker_files():
        if not alive:
            path.unlink(missing_ok=True)
            dead.append(path.stem)
    return dead

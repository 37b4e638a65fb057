"""/healthz and /readyz, for the reverse proxy and the county's monitoring: JSON, no login.

/healthz: the process answers (no database: a proxy may ask every few seconds).
/readyz: the database answers, every migration is applied, a task worker beat within
JOB_SILENT_MINUTES, and the uploads' disk has READY_MIN_FREE_MB free; 200 when all hold, 503
otherwise, with each check's outcome. Neither says anything about people or records, nor
host names, paths or versions: only true/false, counts and milliseconds.
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guanai.core.heartbeat import worker_alive

_migrated = False  # once every migration is applied it stays so for this process's code


def _database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _migrations() -> dict:
    global _migrated
    if _migrated:
        return {"ok": True, "pending": 0}
    try:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return {"ok": False}
    _migrated = pending == 0
    return {"ok": _migrated, "pending": pending}


def _disk() -> dict:
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:  # not made yet: the disk it will be on
        path = path.parent
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    return {"ok": free_mb >= settings.READY_MIN_FREE_MB, "free_mb": free_mb}


def readiness() -> dict:
    """Each check's outcome and whether all hold."""
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"]["ok"] else {"ok": False}
    checks["worker"] = {"ok": worker_alive()}
    checks["disk"] = _disk()
    return {"ok": all(check["ok"] for check in checks.values()), "checks": checks}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"ok": True})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    ready = readiness()
    return JsonResponse(ready, status=200 if ready["ok"] else 503)

"""Two saves of one child at the same moment on SQLite: one wins, the other is told the file
changed (409, as on PostgreSQL), never "database is locked" (a 500).

Real concurrency needs connections that see each other's commits, which the test database's
wrapping transaction hides; so the race runs in a subprocess on a SQLite file of its own.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from guanai.env import database_from_url


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path):
    options = database_from_url(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


def race() -> dict[str, str]:
    """Inside the subprocess: A reads the file and pauses inside its transaction while B saves
    the same version; then A goes on. Returns what each save came to."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    # Tables straight from the models: a tenth of the time of running every migration.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    from guanai.registry import services
    from guanai.registry.forms import initial_from_child
    from guanai.testing.factories import child_build, place_build, standard_users

    place = place_build()
    director = standard_users(place)["director_a"]
    child = child_build(place.village_a, "张小明")
    a_has_read, b_is_done = threading.Event(), threading.Event()
    find_duplicate = services.find_duplicate

    def pausing_find_duplicate(**kwargs):
        found = find_duplicate(**kwargs)
        if threading.current_thread().name == "A":
            a_has_read.set()
            # Deferred: B saves meanwhile. Immediate: B waits for our lock, so we go on.
            b_is_done.wait(timeout=1)
        return found

    services.find_duplicate = pausing_find_duplicate
    outcome: dict[str, str] = {}

    def save(name: str, hobby: str) -> None:
        from django.db import connection

        from guanai.registry.models import Child

        if name == "B":
            a_has_read.wait(timeout=10)
        try:
            fresh = Child.objects.get(pk=child.pk)
            data = initial_from_child(fresh) | {"hobbies": hobby}
            services.child_update(actor=director, child=fresh, version=1, data=data)
            outcome[name] = "saved"
        except services.StaleEdit:
            outcome[name] = "stale"
        except Exception as exc:  # what the test is about: anything else is a 500
            outcome[name] = f"{type(exc).__name__}: {exc}"
        finally:
            if name == "B":
                b_is_done.set()
            connection.close()

    threads = [
        threading.Thread(target=save, name=n, args=(n, h))
        for n, h in (("A", "画画"), ("B", "游泳"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome


@pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", "postgres"), reason="SQLite's locking"
)
def test_two_saves_of_one_child_at_once_give_one_save_and_one_stale_edit(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/race.sqlite3",
        "GUANAI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "guanai.settings",
    }
    code = (
        "import django, json; django.setup(); "
        "from guanai.core.tests.test_sqlite_concurrency import race; print(json.dumps(race()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(outcome.values()) == ["saved", "stale"], outcome

"""guanai's own installations for tests and bench/backup_roundtrip.py: a database and a var
folder each, the `guanai` command run in them as an operator runs it, and their fingerprints."""

import contextlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.db import connection

from guanai.audit.models import AuditEvent
from guanai.core import backup

AUDIT = AuditEvent._meta.db_table


class Site:
    """One guanai installation: a database and a var folder (with its media) of its own."""

    def __init__(self, root: Path, name: str, key: str):
        self.key = key  # GUANAI_BACKUP_KEY of its commands
        self.var = root / name
        self.media = self.var / "media"
        self.name = f"guanai_backup_{name}_{uuid.uuid4().hex[:8]}"
        if connection.vendor == "sqlite":
            self.url = f"sqlite:///{self.var / 'guanai.sqlite3'}"
        else:
            db = connection.settings_dict
            self.url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@/{self.name}"
                f"?host={db['HOST']}&port={db['PORT']}"
            )
            with _server() as server:
                server.execute(f'CREATE DATABASE "{self.name}"')

    def run(self, *args: str, key: str | None = None) -> subprocess.CompletedProcess:
        env = os.environ | {
            "DATABASE_URL": self.url,
            "GUANAI_VAR_DIR": str(self.var),
            "GUANAI_MEDIA_ROOT": str(self.media),
            "GUANAI_BACKUP_KEY": self.key if key is None else key,
        }
        return subprocess.run(
            [sys.executable, "-m", "guanai", *args], env=env, capture_output=True, text=True
        )

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise RuntimeError(f"guanai {' '.join(args)}: {done.stderr}")
        return done.stdout

    @contextlib.contextmanager
    def cursor(self):
        if connection.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.var / "guanai.sqlite3")) as db:
                yield db.cursor()
        else:
            import psycopg

            db = connection.settings_dict
            with psycopg.connect(
                dbname=self.name, host=db["HOST"], port=db["PORT"], user=db["USER"]
            ) as pg:
                yield pg.cursor()

    def tables(self) -> dict[str, list]:
        """Every table's row count and content hash; the audit log without the rows that
        backup and restore write about themselves (after the copy, and into the copy)."""
        with self.cursor() as cursor:
            if connection.vendor == "sqlite":
                names = backup.sqlite_tables(cursor.connection)
                quote = backup._sqlite_quote
            else:
                names = backup.postgres_tables(cursor)
                quote = connection.ops.quote_name
            found = {t: list(backup.table_fingerprint(cursor, t, quote)) for t in names}
            if AUDIT in found:
                query = f"SELECT * FROM {quote(AUDIT)} WHERE object_type <> 'core.backup'"
                found[AUDIT] = list(backup.rows_fingerprint(cursor, query))
        return found

    def drop(self) -> None:
        if connection.vendor != "sqlite":
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@contextlib.contextmanager
def _server():
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"], autocommit=True
    ) as server:
        yield server


@contextlib.contextmanager
def scratch_database(tmp_path):
    """A DATABASE_URL of an empty database of the same kind as the test run's (for a
    migration tested in a process of its own: the test database stays as it is)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'before-and-after.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"guanai_scratch_{uuid.uuid4().hex[:8]}"
    parsed = urlparse(url)
    with psycopg.connect(urlunparse(parsed._replace(query="")), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunparse(parsed._replace(path=f"/{name}"))
        finally:
            admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


def migration_script_run(script: str, tmp_path) -> dict:
    """Run a migration test's script in a process of its own on a scratch database; return
    the JSON object its last line prints."""
    import json

    with scratch_database(tmp_path) as database_url:
        env = os.environ | {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "guanai.settings",
            "GUANAI_VAR_DIR": str(tmp_path),
            "GUANAI_NOTICE_BACKENDS": "",
        }
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])

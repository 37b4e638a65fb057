"""Backups: the database and MEDIA_ROOT (attachments, stored uploads, reports) in one encrypted
archive, and its restore into an empty database (docs/decisions: backup).

An archive is a tar stream encrypted in chunks (``sealed``): ``meta.json`` first (format,
engine, when), the database (a gzip-compressed SQLite copy made with the online-backup API, or a
pg_dump in its custom format, compressed by pg_dump), every file under MEDIA_ROOT as
``media/<path>`` as it is (photos, scans and office files are compressed already), and
``manifest.json`` last: every table's row count and content hash, every file's size and SHA-256,
taken from the same snapshot as the database copy. A restore unpacks the whole archive into a
staging folder first (a wrong key, a changed or cut byte is refused before anything is touched),
then puts the database and the files in place and checks them against the manifest.
"""

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.core import sealed
from guanai.core.errors import DomainError

FORMAT = 1
META = "meta.json"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE = {"sqlite": "database/guanai.sqlite3.gz", "postgresql": "database/guanai.pgdump"}
COPY_CHUNK = 1024 * 1024
# Rows a database holds once `migrate` ran (its data migrations), not data anyone entered: a
# database whose other tables are all empty counts as empty.
MIGRATE_FILLS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "care_dutytemplate",
    "rules_ruleparameter",
    "sqlite_sequence",
}


@dataclass
class Outcome:
    path: Path
    tables: int
    rows: int
    files: int
    seconds: float
    differences: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE:
        raise DomainError(_("不支持备份这种数据库:%(vendor)s"), vendor=vendor)
    return vendor


# Fingerprints: what a restore is checked against -----------------------------------------------


def table_fingerprint(cursor, table: str, quote) -> tuple[int, str]:
    return rows_fingerprint(cursor, f"SELECT * FROM {quote(table)}")


def rows_fingerprint(cursor, query: str) -> tuple[int, str]:
    """Row count and a hash of the rows' content that does not depend on their order (the sum
    of each row's SHA-256): the same table on two servers with other collations hashes alike."""
    cursor.execute(query)
    count, total = 0, 0
    while rows := cursor.fetchmany(5000):
        for row in rows:  # a tuple of str, int, float, bytes, None (SQLite) or also dates
            digest = hashlib.sha256(repr(tuple(row)).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
        count += len(rows)
    return count, f"{total:064x}"


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def sqlite_fingerprints(path: Path) -> dict[str, list]:
    """Every table of an SQLite file, read as stored (no type converters)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        cursor = db.cursor()
        return {t: list(table_fingerprint(cursor, t, _sqlite_quote)) for t in sqlite_tables(db)}


def postgres_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def postgres_fingerprints(cursor) -> dict[str, list]:
    quote = connection.ops.quote_name
    return {t: list(table_fingerprint(cursor, t, quote)) for t in postgres_tables(cursor)}


def database_fingerprints() -> dict[str, list]:
    """Every table of the configured database as it is now."""
    if engine() == "sqlite":
        connection.close()
        return sqlite_fingerprints(Path(settings.DATABASES["default"]["NAME"]))
    with connection.cursor() as cursor:
        return postgres_fingerprints(cursor)


def file_fingerprints(root: Path) -> dict[str, list]:
    """Every regular file under a folder: relative path -> [size, SHA-256]."""
    found = {}
    for path in _files_under(root):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                digest.update(chunk)
        found[path.relative_to(root).as_posix()] = [path.stat().st_size, digest.hexdigest()]
    return found


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def differences(expected: dict[str, list], found: dict[str, list], what: str) -> list[str]:
    """Each key missing, extra or different, named."""
    lines = []
    for key in sorted(expected.keys() | found.keys()):
        if key not in found:
            lines.append(f"{what} {key}:恢复后缺失")
        elif key not in expected:
            lines.append(f"{what} {key}:备份中没有")
        elif list(expected[key]) != list(found[key]):
            lines.append(f"{what} {key}:备份时 {expected[key][0]},恢复后 {found[key][0]}(内容不同)")
    return lines


# PostgreSQL tools ------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from GUANAI_PG_BIN, else PATH, else the newest server's bin."""
    if settings.PG_BIN:
        candidate = Path(settings.PG_BIN) / name
        if candidate.is_file():
            return str(candidate)
        raise DomainError(
            _("GUANAI_PG_BIN=%(pg_bin)s 中没有 %(name)s"), pg_bin=settings.PG_BIN, name=name
        )
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise DomainError(
        _("找不到 %(name)s:请安装 PostgreSQL 客户端,或用 GUANAI_PG_BIN 指定其目录"), name=name
    )


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise DomainError(_("%(tool)s 出错:%(error)s"), tool=tool, error=done.stderr.strip()[-500:])


# Backup ----------------------------------------------------------------------------------------


def _database_copy(vendor: str, into: Path) -> dict[str, list]:
    """Copy the database into a file; the fingerprints of exactly what was copied."""
    if vendor == "sqlite":
        connection.close()
        copy = into.with_suffix("")
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with contextlib.closing(source), contextlib.closing(sqlite3.connect(copy)) as target:
            source.backup(target)  # one step: a consistent copy while others keep writing
        tables = sqlite_fingerprints(copy)
        with copy.open("rb") as plain, gzip.open(into, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed, COPY_CHUNK)
        copy.unlink()
        return tables
    args, env = _pg_args()
    # pg_dump reads the snapshot this transaction exported, so the manifest's fingerprints
    # describe exactly the rows it dumps.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = [pg_tool("pg_dump"), *args, "--format", "custom", "--file", str(into)]
        _run([*command, "--snapshot", snapshot, "--no-owner", "--no-privileges"], env)
        return postgres_fingerprints(cursor)


class _Hashing(io.RawIOBase):
    """A file read once, into the archive and through SHA-256 at the same time."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def backup_create(*, out: Path, key: str) -> Outcome:
    """Write the archive to ``out`` (via a partial file renamed at the end, mode 600)."""
    started = time.monotonic()
    sealed.passphrase_check(key)
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".guanai-backup-") as work:
        dump = Path(work) / Path(DATABASE[vendor]).name
        tables = _database_copy(vendor, dump)
        meta = {"format": FORMAT, "engine": vendor, "created_at": timezone.now().isoformat()}
        files = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                sealed.Writer(raw, key) as encrypted,
                tarfile.open(fileobj=encrypted, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                _add_bytes(tar, META, json.dumps(meta).encode())
                tar.add(dump, arcname=DATABASE[vendor], recursive=False)
                for path in _files_under(media_root):
                    relative = path.relative_to(media_root).as_posix()
                    info = tar.gettarinfo(path, arcname=f"{MEDIA}/{relative}")
                    with path.open("rb") as handle:
                        hashing = _Hashing(handle)
                        tar.addfile(info, hashing)
                    files[relative] = [info.size, hashing.digest.hexdigest()]
                manifest = meta | {"tables": tables, "files": files}
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False).encode())
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    rows = sum(count for count, _ in tables.values())
    return Outcome(out, len(tables), rows, len(files), time.monotonic() - started)


# Restore ---------------------------------------------------------------------------------------


def _has_data(tables: list[str], count) -> bool:
    return any(count(t) for t in tables if t not in MIGRATE_FILLS)


def database_is_empty() -> bool:
    """No tables, or rows only where `migrate` puts them."""
    if engine() == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if not path.exists():
            return True
        connection.close()
        with contextlib.closing(sqlite3.connect(path)) as db:

            def count(table: str) -> bool:
                query = f"SELECT EXISTS (SELECT 1 FROM {_sqlite_quote(table)})"
                return bool(db.execute(query).fetchone()[0])

            return not _has_data(sqlite_tables(db), count)
    with connection.cursor() as cursor:

        def count(table: str) -> bool:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")
            return bool(cursor.fetchone()[0])

        return not _has_data(postgres_tables(cursor), count)


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise sealed.Tampered()
    return name


def _unpack(archive: Path, key: str, staging: Path, vendor: str) -> dict:
    """Decrypt and unpack the whole archive; its manifest. Anything wrong raises before use."""
    meta = None
    with (
        archive.open("rb") as raw,
        sealed.Reader(raw, key) as decrypted,
        tarfile.open(fileobj=decrypted, mode="r|") as tar,
    ):
        for member in tar:
            name = _safe_member(member)
            if meta is None:
                if member.name != META:
                    raise sealed.Tampered()
                meta = json.loads(tar.extractfile(member).read())
                if meta.get("format") != FORMAT:
                    raise DomainError(_("不认识的备份格式:%(format)s"), format=meta.get("format"))
                if meta.get("engine") != vendor:
                    raise DomainError(
                        _("这份备份来自 %(engine)s 数据库,不能恢复到 %(vendor)s 数据库"),
                        engine=meta.get("engine"),
                        vendor=vendor,
                    )
                continue
            target = staging.joinpath(*name.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
        decrypted.read()  # to the end: a final chunk must close the stream
    manifest_path = staging / MANIFEST
    if meta is None or not manifest_path.exists():
        raise sealed.Tampered()
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connections.close_all()
        path = Path(settings.DATABASES["default"]["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        copy = dump.with_suffix("")
        with gzip.open(dump, "rb") as packed, copy.open("wb") as plain:
            shutil.copyfileobj(packed, plain, COPY_CHUNK)
        source, target = sqlite3.connect(copy), sqlite3.connect(path)
        with contextlib.closing(source), contextlib.closing(target):
            source.backup(target)
        return
    with connection.cursor() as cursor:  # whatever is there goes (empty, or --force)
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
    connection.close()
    args, env = _pg_args()
    command = [pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges"]
    _run([*command, "--exit-on-error", "--single-transaction", str(dump)], env)


def _restore_media(staged: Path, media_root: Path) -> Path | None:
    """Put the archive's files in MEDIA_ROOT; a folder already holding files is kept aside."""
    aside = None
    if media_root.exists() and any(_files_under(media_root)):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(aside)
    elif media_root.exists():
        shutil.rmtree(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if staged.exists():
        shutil.move(staged, media_root)
    else:
        media_root.mkdir()
    return aside


@dataclass
class Restored(Outcome):
    media_aside: Path | None = None


def backup_restore(*, archive: Path, key: str, force: bool = False) -> Restored:
    """Restore an archive into an empty database (or, with force, over one), then check it."""
    started = time.monotonic()
    vendor = engine()
    if not archive.is_file():
        raise DomainError(_("找不到备份文件:%(archive)s"), archive=archive)
    with archive.open("rb") as raw:
        sealed.key_check(raw, key)  # a wrong key is told before anything else
    if not force and not database_is_empty():
        raise DomainError(_("目标数据库中已有数据,未恢复。确认要覆盖时请加 --force"))
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".guanai-restore-") as work:
        staging = Path(work)
        manifest = _unpack(archive, key, staging, vendor)
        _restore_database(vendor, staging / DATABASE[vendor])
        aside = _restore_media(staging / MEDIA, media_root)
    found_tables = database_fingerprints()
    found_files = file_fingerprints(media_root)
    lines = differences(manifest["tables"], found_tables, "表")
    lines += differences(manifest["files"], found_files, "文件")
    rows = sum(count for count, _ in found_tables.values())
    seconds = time.monotonic() - started
    return Restored(archive, len(found_tables), rows, len(found_files), seconds, lines, aside)

"""Benchmark `guanai backup` and `guanai restore`: a seeded county there and back again.

    .venv/bin/python bench/backup_roundtrip.py [N]            # SQLite files in a temporary folder
    .venv/bin/python bench/backup_roundtrip.py 100000 --files 500 --keep
    scripts/with-postgres.sh .venv/bin/python bench/backup_roundtrip.py 100000

Seeds N children (default 100,000; `guanai seed`) into a new database, writes --files
attachments (default 300, 20 KB to 2 MB of random bytes: photos do not compress) under its
MEDIA_ROOT, backs it up with `guanai backup`, restores the archive with `guanai restore` into
another new database and MEDIA_ROOT, then compares every table (row count and content hash) and
every file (size and SHA-256) of the two. Each command runs in a process of its own, as an
operator runs it. Prints the time of backup and restore (the restore's time includes its own
check against the archive's manifest), the archive's size and the number of differences.
On PostgreSQL (DATABASE_URL) both databases are made beside the one named there.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEY = "bench-only passphrase, not for real archives"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("children", nargs="?", type=int, default=100_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--files", type=int, default=300, help="attachments to write")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    tmpdir = Path(tempfile.mkdtemp(prefix="guanai-bench-backup-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmpdir}/settings.sqlite3")
    os.environ.setdefault("GUANAI_VAR_DIR", str(tmpdir / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
    import django

    django.setup()
    from django.db import connection

    from guanai.core import backup
    from guanai.core.testing import Site

    source, target = Site(tmpdir, "source", KEY), Site(tmpdir, "target", KEY)
    try:
        print(f"database: {connection.vendor}; folder {tmpdir}")
        started = time.perf_counter()
        source.ok("migrate", "-v0")
        source.ok(
            "seed",
            "--county-code",
            args.county_code,
            "--children",
            str(args.children),
            "--seed",
            str(args.seed),
        )
        media_bytes = _attachments(source.media, args.files, args.seed)
        print(
            f"seeded {args.children:,} children and {args.files} files "
            f"({media_bytes / 2**20:,.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
        before = source.tables()
        files = backup.file_fingerprints(source.media)
        rows = sum(count for count, _ in before.values())
        size = _database_size(source)
        print(f"source: {len(before)} tables, {rows:,} rows, database {size / 2**20:,.1f} MB")

        archive = tmpdir / "county.guanai-backup"
        started = time.perf_counter()
        print(source.ok("backup", "--out", str(archive)).strip())
        backup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        print(target.ok("restore", str(archive)).strip())
        restore_seconds = time.perf_counter() - started

        started = time.perf_counter()
        after = target.tables()
        lines = backup.differences(before, after, "table")
        lines += backup.differences(files, backup.file_fingerprints(target.media), "file")
        compare_seconds = time.perf_counter() - started
        for line in lines:
            print("  ", line)
        print()
        print(f"children          {args.children:>12,}")
        print(f"tables / rows     {len(before):>5} / {rows:,}")
        print(f"files             {len(files):>12,}  ({media_bytes / 2**20:,.1f} MB)")
        print(f"backup            {backup_seconds:>12.1f} s  (process start included)")
        print(f"archive           {archive.stat().st_size / 2**20:>12,.1f} MB")
        print(f"restore           {restore_seconds:>12.1f} s  (with its check of every table)")
        print(f"compare           {compare_seconds:>12.1f} s")
        print(f"differences       {len(lines):>12}")
        return 1 if lines else 0
    finally:
        source.drop()
        target.drop()
        if args.keep:
            print(f"kept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _attachments(media: Path, count: int, seed: int) -> int:
    """Photos and scans as attachments are stored: random bytes, 20 KB to 2 MB each."""
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        path = media / "attachments" / f"{number % 50:02d}" / f"附件-{number}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        size = rng.randint(20_000, 2_000_000)
        path.write_bytes(rng.randbytes(size))
        total += size
    return total


def _database_size(site) -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        return (site.var / "guanai.sqlite3").stat().st_size
    with site.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())

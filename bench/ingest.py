"""Benchmark importing a departmental roster (xlsx): wall time, rows per second, peak memory.

    .venv/bin/python bench/ingest.py [ROWS]                     # SQLite in a temporary directory
    .venv/bin/python bench/ingest.py 100000 --county 100000 --keep
    .venv/bin/python bench/ingest.py 100000 --reuse /tmp/x/bench.sqlite3
    scripts/with-postgres.sh .venv/bin/python bench/ingest.py 100000

Seeds a county (`guanai seed`, synthetic) of --county children (default ROWS) unless the
database has children already, then writes a
school roster of ROWS rows as xlsx: --known of them (default 80%) are children already on file
(one in six with another family phone, to be merged or kept as a conflict), the rest are
children not yet on file (valid new ID numbers; families of two share a phone). The import
runs as `guanai import FILE --source education` in a fresh process, so that its peak memory
(max RSS) is its own. Targets (issue 7): 100,000 rows < 30 s; 1,000,000 rows < 5 min, < 2 GB.

With --beside-import-export the same file is imported, in a fresh process of its own too and in
the same run, through django-import-export (what a Django team would use by default): a
ModelResource on a flat model of the roster's columns holding the same children, matched on the
ID number (`import_id_fields`), its bulk mode on (`use_bulk`, batch 1,000), read with tablib;
both times and the ratio are printed (target, issue 21: guanai at least 10x faster while doing
more). What django-import-export does not do is printed beside the figure. The peer's time is
its `import_data` alone (reading the file with tablib and importing), not its process start or
the setup of its table; guanai's is its whole process.

With --reimport SHARE the roster comes again a day later (`--as-of` tomorrow, so its values are
newer than the files') with SHARE of its rows changed (another class, phone and address): what a
school sends next term. guanai stores and links only the rows that changed and saves each
changed file with history, audit and the rules (`registry.children_update_from_source`, a chunk
at a time); the peer imports every row again. Both times and the ratio are printed.
"""

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django  # noqa: E402 (bench/ is the script's folder)

HEADERS = ["姓名", "身份证号", "出生日期", "性别", "监护人", "联系电话", "住址", "村(居)", "班级"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("--county", type=int, help="children seeded first (default ROWS)")
    parser.add_argument("--known", type=float, default=0.8, help="share of rows already on file")
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--reuse", help="an SQLite file seeded before (skips the seed)")
    parser.add_argument(
        "--beside-import-export",
        action="store_true",
        help="also import the same file through django-import-export and print the ratio",
    )
    parser.add_argument(
        "--reimport",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="then import the roster again a day later with SHARE of its rows changed",
    )
    parser.add_argument("--peer-import", nargs="+", help=argparse.SUPPRESS)  # the peer's process
    args = parser.parse_args()
    if args.peer_import:
        return peer_import([Path(p) for p in args.peer_import])

    tmpdir = Path(tempfile.mkdtemp(prefix="guanai-bench-ingest-"))  # the rosters
    os.environ.setdefault("GUANAI_VAR_DIR", str(tmpdir / "var"))
    database_dir = bench_django("ingest", reuse=args.reuse)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from guanai.ingest.models import FieldClaim, ImportBatch, ReviewPair, SourceRecord
    from guanai.registry.models import Child

    try:
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        if not args.reuse and not Child.objects.exists():
            started = time.perf_counter()
            call_command(
                "seed",
                county_code=args.county_code,
                children=args.county or args.rows,
                seed=args.seed,
                verbosity=0,
            )
            print(
                f"seeded {Child.objects.count():,} children in {time.perf_counter() - started:.0f} s"
            )
        # Every run imports into a registry that has seen no roster.
        for model in (ReviewPair, FieldClaim):
            model.objects.all().delete()
        SourceRecord.objects.all().delete()
        ImportBatch.objects.all().delete()

        path = tmpdir / "roster.xlsx"
        started = time.perf_counter()
        known, new = write_roster(path, args.rows, args.known, args.seed)
        print(
            f"roster: {args.rows:,} rows ({known:,} on file, {new:,} new), "
            f"{path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - started:.0f} s"
        )
        rosters = [(path, None)]
        if args.reimport:
            again = tmpdir / "roster-again.xlsx"
            changed = write_changed_roster(path, again, args.reimport, args.seed)
            print(f"roster again, a day later: {changed:,} of {args.rows:,} rows changed")
            rosters.append((again, timezone.localdate() + timedelta(days=1)))
        connection.close()

        ours = []
        for roster, as_of in rosters:
            label = "import" if as_of is None else "re-import"
            seconds = guanai_import(roster, as_of, args.rows, label)
            if seconds is None:
                return 1
            ours.append((label, seconds))
        if args.beside_import_export:
            peer_load = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, __file__, "--peer-import", *(str(r) for r, _ in rosters)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            print((done.stdout + done.stderr).strip()[-3000:])
            if done.returncode:
                return done.returncode
            peer = [float(x) for x in done.stdout.split("peer seconds:")[1].split()]
            for (label, seconds), peer_seconds in zip(ours, peer, strict=True):
                print(
                    f"{label}, django-import-export beside guanai: {peer_seconds:.1f} s vs "
                    f"{seconds:.1f} s, guanai {peer_seconds / seconds:.1f}x faster "
                    f"(load {peer_load:.1f} when the peer started)"
                )
            print(PEER_DOES_NOT)
    finally:
        if not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
            if database_dir:
                shutil.rmtree(database_dir, ignore_errors=True)
        else:
            print(f"kept {tmpdir}" + (f" and {database_dir}" if database_dir else ""))
    return 0


def guanai_import(path: Path, as_of: date | None, rows: int, label: str) -> float | None:
    """`guanai import` in a fresh process (its peak memory its own): its wall time, or None."""
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "guanai", "import", str(path), "--source", "education"]
    if as_of is not None:
        command += ["--as-of", as_of.isoformat()]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print((done.stdout + done.stderr).strip()[-2000:])
    if done.returncode:
        return None
    print(
        f"{label} of {rows:,} xlsx rows: {seconds:.1f} s wall, {rows / seconds:,.0f} rows/s, "
        f"peak memory {peak:,.0f} MB (load {load:.1f})"
    )
    return seconds


def write_changed_roster(path: Path, again: Path, share: float, seed: int) -> int:
    """The roster again with `share` of its rows changed: another class, phone and address."""
    from openpyxl import Workbook, load_workbook

    rng = random.Random(seed + 1)
    source = load_workbook(path, read_only=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名册")
    changed = 0
    phone, address, class_name = (HEADERS.index(h) for h in ("联系电话", "住址", "班级"))
    for n, row in enumerate(source.active.iter_rows(values_only=True)):
        cells = ["" if c is None else c for c in row]
        if n and rng.random() < share:
            cells[phone] = f"18{rng.randrange(10**9):09d}"
            cells[address] = f"{cells[address] or '新村'}{rng.randrange(1, 30)}号"
            cells[class_name] = f"{rng.randrange(1, 7)}年级{rng.randrange(1, 6)}班"
            changed += 1
        sheet.append(cells)
    workbook.save(again)
    return changed


def write_roster(path: Path, rows: int, known_share: float, seed: int) -> tuple[int, int]:
    """A school roster: children on file (some with a new family phone) and children who are not."""
    from openpyxl import Workbook

    from guanai.registry import idnumber
    from guanai.registry.models import Child

    rng = random.Random(seed)
    wanted = int(rows * known_share)
    # In id order: rng.sample over rows in whatever order the database returns them would pick
    # other children from run to run (PostgreSQL's plans differ), and so another roster.
    ids = list(Child.objects.filter(is_active=True).order_by("id").values_list("id", flat=True))
    sample = set(rng.sample(ids, min(wanted, len(ids))))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名册")
    sheet.append(HEADERS)
    taken, written = set(), set()
    villages = []
    known = 0
    children = (
        Child.objects.order_by("id")
        .values_list(
            "id",
            "name",
            "id_number",
            "birth_date",
            "sex",
            "guardians__name",
            "guardians__phone",
            "household__address",
            "division_code",
            "class_name",
        )
        .iterator(chunk_size=20_000)
    )
    for pk, name, number, birth, sex, guardian, phone, address, village, class_name in children:
        if pk not in sample or pk in written:
            continue  # a second guardian row of the same child
        written.add(pk)
        taken.add(number)
        villages.append(village)
        if rng.random() < 1 / 6:
            phone = f"13{rng.randrange(10**9):09d}"
        sheet.append(
            [
                name,
                number or "",
                birth.isoformat() if not number else "",
                ("男" if sex == "M" else "女") if not number else "",
                guardian or "",
                phone or "",
                address,
                village,
                class_name,
            ]
        )
        known += 1
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "子涵浩然欣怡梓轩雨桐思远佳琪俊杰"
    new, family_phone = 0, ""
    while known + new < rows:
        birth = date(2008 + rng.randrange(17), 1 + rng.randrange(12), 1 + rng.randrange(28))
        sex = rng.choice("MF")
        number = idnumber.make(
            region_code="360426", birth_date=birth, sequence=400 + rng.randrange(100), sex=sex
        )
        if number in taken or Child.objects.filter(id_number=number).exists():
            continue
        taken.add(number)
        if new % 2 == 0:
            family_phone = f"15{rng.randrange(10**9):09d}"
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        village = rng.choice(villages) if villages else ""
        sheet.append([name, number, "", "", "", family_phone, "", village, ""])
        new += 1
    workbook.save(path)
    return known, new


PEER_DOES_NOT = """django-import-export does not, and guanai's import did:
  - check ID numbers (length, region, birth date, check digit) and name the row and field;
  - link rows without an ID number, or with a typo in it, to the children on file (names,
    pinyin, birth date, guardian, phone) and queue the uncertain pairs for review (matched on
    the ID number alone, a row without one fails with MultipleObjectsReturned: its errors);
  - keep each value's source and date (provenance) and hold conflicting values for review
    instead of overwriting them; open households and guardians beside the children;
  - read titles, merged headers and a sheet per village (this roster has none of them);
  - run in the background with progress, and re-evaluate the rules for every file it touched."""


def peer_import(paths: list[Path]) -> int:
    """The rosters, one after the other, through django-import-export into a flat model of their
    columns, holding the children on file first (so that known rows update and new rows insert,
    as ours do); prints the seconds of each `import_data` (with reading the file)."""
    tmpdir = bench_django("peer")  # None: the database the guanai import used (inherited)
    import tablib
    from django.db import connection, models
    from import_export import fields, resources

    from guanai.registry.models import Child

    class PeerChild(models.Model):
        name = models.CharField(max_length=50)
        id_number = models.CharField(max_length=18, null=True, unique=True)
        birth_date = models.DateField(null=True)
        sex = models.CharField(max_length=2, blank=True)
        guardian = models.CharField(max_length=50, blank=True)
        phone = models.CharField(max_length=20, blank=True)
        address = models.CharField(max_length=200, blank=True)
        village = models.CharField(max_length=12, blank=True)
        class_name = models.CharField(max_length=30, blank=True)

        class Meta:
            app_label = "ingest"
            db_table = "bench_peer_child"

        def __str__(self) -> str:
            return self.name

    with connection.schema_editor() as editor:
        if "bench_peer_child" in connection.introspection.table_names():
            editor.delete_model(PeerChild)
        editor.create_model(PeerChild)
    PeerChild.objects.bulk_create(
        (
            PeerChild(name=name, id_number=number, birth_date=birth, sex=sex, village=village)
            for name, number, birth, sex, village in Child.objects.order_by("id").values_list(
                "name", "id_number", "birth_date", "sex", "division_code"
            )
        ),
        batch_size=5000,
    )

    class PeerResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期")
        sex = fields.Field(attribute="sex", column_name="性别")
        guardian = fields.Field(attribute="guardian", column_name="监护人")
        phone = fields.Field(attribute="phone", column_name="联系电话")
        address = fields.Field(attribute="address", column_name="住址")
        village = fields.Field(attribute="village", column_name="村(居)")
        class_name = fields.Field(attribute="class_name", column_name="班级")

        class Meta:
            model = PeerChild
            import_id_fields = ("id_number",)
            use_bulk = True
            batch_size = 1000

    times = []
    for path in paths:
        started = time.perf_counter()
        dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
        result = PeerResource().import_data(dataset, dry_run=False, raise_errors=False)
        seconds = time.perf_counter() - started
        times.append(seconds)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        totals = {k: v for k, v in result.totals.items() if v}
        for line, errors in result.row_errors()[:3]:
            print(f"  row {line}: {errors[0].error!r}"[:300])
        print(
            f"django-import-export {path.name}: {len(dataset):,} rows in {seconds:.1f} s, "
            f"{totals}, row errors {len(result.row_errors())}, peak memory {peak:,.0f} MB"
        )
    print("peer seconds: " + " ".join(f"{t:.3f}" for t in times))
    with connection.schema_editor() as editor:
        editor.delete_model(PeerChild)
    if tmpdir:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the roster (花名册) xlsx export of one township (about 5,000 children by default).

    .venv/bin/python bench/roster_export.py                     # SQLite in a temporary file
    .venv/bin/python bench/roster_export.py --children 100000 --townships 20 --county
    scripts/with-postgres.sh .venv/bin/python bench/roster_export.py

Seeds a synthetic county with `guanai seed` (the given townships share --children), or reuses
the database of DATABASE_URL when the county is already there; then exports the largest
township as its supervisor (full values) and as a county department user (masked values), and
with --county the whole county. Prints seconds, rows per second, file size and peak memory.
"""

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django  # noqa: E402 (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=5_000)
    parser.add_argument("--townships", type=int, default=1)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--county", action="store_true", help="also export the whole county")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args()

    tmpdir = bench_django("roster-export")
    from django.core.management import call_command
    from django.db.models import Count
    from django.db.models.functions import Substr

    from guanai.accounts.models import Department, Role, User
    from guanai.geo.models import Division, Level
    from guanai.registry.models import Child
    from guanai.registry.selectors import ChildFilters

    try:
        call_command("migrate", verbosity=0)
        county = Division.objects.filter(code=args.county_code).first()
        if (
            county is None
            or not Child.objects.filter(division_code__startswith=county.prefix).exists()
        ):
            print(f"seeding {args.children:,} children in {args.townships} township(s)")
            started = time.perf_counter()
            call_command(
                "seed",
                county_code=args.county_code,
                children=args.children,
                seed=args.seed,
                townships=args.townships,
                verbosity=0,
            )
            print(f"  seeded in {time.perf_counter() - started:.1f} s")
            county = Division.objects.get(code=args.county_code)
        per_township = dict(
            Child.objects.filter(division_code__startswith=county.prefix, is_active=True)
            .values_list(Substr("division_code", 1, 9))
            .annotate(n=Count("id"))
            .order_by()
        )
        township_code = max(per_township, key=per_township.get)
        township = Division.objects.get(code=township_code, level=Level.TOWNSHIP)

        def user(username, role, division, **extra):
            found, _ = User.objects.get_or_create(
                username=username, defaults={"role": role, "division": division, **extra}
            )
            return found

        supervisor = user("bench_supervisor", Role.CHILD_SUPERVISOR, township)
        department = user(
            "bench_department", Role.DEPARTMENT, county, department=Department.EDUCATION
        )
        officer = user("bench_county", Role.CIVIL_AFFAIRS, county)
        filters = ChildFilters(division_code=township.code)
        print(
            f"township {township.name} ({township.code}): {per_township[township_code]:,} children"
        )
        time_export("supervisor, full values", supervisor, ChildFilters())
        time_export("department, masked", department, filters)
        if args.county:
            time_export("whole county (civil affairs)", officer, ChildFilters())
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    finally:
        if tmpdir and not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        elif tmpdir:
            print(f"kept {tmpdir}/bench.sqlite3 (DATABASE_URL=sqlite:///{tmpdir}/bench.sqlite3)")
    return 0


def time_export(label, user, filters) -> None:
    """Wall and CPU seconds: on a shared machine the CPU figure is the steadier one."""
    from guanai.registry.reports import roster_xlsx

    started, cpu_started = time.perf_counter(), time.process_time()
    export = roster_xlsx(actor=user, filters=filters)
    size = len(export.file.read())  # the response would stream it: count it as sent
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    export.file.close()
    print(
        f"{label:30} {export.rows:>8,} rows  {elapsed:6.2f} s ({cpu:5.2f} s CPU)  "
        f"{export.rows / elapsed:>7,.0f} rows/s  {size / 1024 / 1024:5.1f} MB"
    )


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark care work: due and overdue for a whole county, a township's overdue list.

    .venv/bin/python bench/care.py --children 20000                 # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/care.py --children 1000000

Seeds a synthetic county (`guanai seed`), then guanai.care.bulk pairs 75% of the children with
generated carers, materialises a year of due items with the real service and marks 75% of the
items up to today done, each with a care record. Then it times:

  1. due and overdue for every child of the county: the county officer's figures (per township
     and per carer, the year and one month) and the same per village for every township;
  2. a township supervisor's overdue list, first page with its count (target < 200 ms);
  3. a carer's week page query; the late-record matching pass over the year.

Targets: (1) under 60 s for 1,000,000 children with a year of records; (2) under 200 ms.
"""

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, county_seeded, timed  # noqa: E402 (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--today", default="2025-11-20", help="the day the figures are for")
    parser.add_argument("--paired", type=float, default=0.75, help="share of children paired")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    args = parser.parse_args()

    os.environ.setdefault("GUANAI_NOTICE_BACKENDS", "")
    tmpdir = bench_django("care")
    from django.db import connection

    from guanai.accounts.models import Role, User
    from guanai.care import selectors
    from guanai.care.bulk import care_bulk
    from guanai.care.due import due_items_match
    from guanai.care.models import CareRecord, DueItem
    from guanai.care.schedules import Period, month_of
    from guanai.geo.models import Division, Level

    today = date.fromisoformat(args.today)
    try:
        county_seeded(
            children=args.children, county_code=args.county_code, seed=args.seed, today=args.today
        )
        bulk = care_bulk(
            county_code=args.county_code,
            year=args.year,
            seed=args.seed,
            paired=args.paired,
            today=today,
        )
        print(
            f"care data: {bulk.carers} carers, {bulk.pairings} pairings, "
            f"{DueItem.objects.count()} due items, {CareRecord.objects.count()} records; "
            f"seconds {bulk.seconds}",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        county = Division.objects.get(code=args.county_code)
        officer = User.objects.create(
            username="bench-county", role=Role.CIVIL_AFFAIRS, division=county
        )
        townships = list(
            Division.objects.filter(level=Level.TOWNSHIP, code__startswith=county.code)
        )
        biggest = max(
            townships,
            key=lambda t: DueItem.objects.filter(division_code__startswith=t.code).count(),
        )
        supervisors = [
            User.objects.create(
                username=f"bench-sup-{t.code}", role=Role.CHILD_SUPERVISOR, division=t
            )
            for t in townships
        ]
        year = Period(date(args.year, 1, 1), date(args.year, 12, 31))

        print("1. due and overdue for every child of the county", flush=True)
        figures, t_year = timed(
            "county figures for the year", lambda: selectors.figures_for(officer, year, today)
        )
        _, t_month = timed(
            "county figures for a month",
            lambda: selectors.figures_for(officer, month_of(today), today),
        )
        _, t_villages = timed(
            f"village figures in all {len(supervisors)} townships",
            lambda: [selectors.figures_for(s, year, today) for s in supervisors],
        )
        total = figures.total
        print(
            f"  year: due {total.total}, done {total.done} ({total.rate}%), overdue now "
            f"{total.overdue_now}; unpaired children {figures.unpaired}; carers over the limit "
            f"{figures.over_limit}",
            flush=True,
        )
        print(
            f"  => every child of the county, the year: {t_year:.1f} s (target < 60 s); "
            f"a township's page on average: {t_villages / len(supervisors) * 1000:.0f} ms",
            flush=True,
        )

        print(f"2. overdue list of the biggest township ({biggest.name})", flush=True)
        supervisor = next(s for s in supervisors if s.division_id == biggest.pk)

        def first_page():
            items = selectors.overdue_list_for(supervisor, today)
            return items.count(), list(items[:30])

        (count, _), t_list = timed("first page and count", first_page, repeat=5)
        print(f"  {count} overdue items => {t_list * 1000:.0f} ms (target < 200 ms)", flush=True)

        print("3. other paths", flush=True)
        carer = (
            User.objects.filter(role=Role.CARER, username__startswith="bench-")
            .order_by("id")
            .first()
        )
        timed("a carer's week", lambda: selectors.carer_week(carer, today), repeat=5)
        timed(
            "late-record matching pass over the year",
            lambda: due_items_match(start=year.start, end=year.end),
        )
    finally:
        if tmpdir and not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

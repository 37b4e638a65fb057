"""County dashboard and quarterly report time on the database in DATABASE_URL.

    source /tmp/pgenv && .venv/bin/python bench/stats.py          # PostgreSQL, as seeded
    .venv/bin/python bench/stats.py --children 30000               # SQLite in a temporary file

Writes nothing to an existing database except migrations (the stats tables) and the stored
summaries: the dashboard is timed through `figures_for` (cold: every query; warm: from the
per-node cache, as a page view within five minutes of another) plus the page's template; then
the worker's recount of the stored summaries (stats/summaries.py) and the cold dashboard read
from them; and the quarterly report is written for an unsaved job into a temporary file.
Targets (issue 6, PostgreSQL, 1,000,000 children): dashboard under 500 ms warm, quarterly report
under 60 s; (issue 21) cold county dashboard under 500 ms.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django  # noqa: E402 (bench/ is the script's folder)


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=30_000, help="seeded if the DB has none")
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_django("stats")
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.utils import timezone

    from guanai.accounts.models import Role, User
    from guanai.care.bulk import care_bulk
    from guanai.care.models import DueItem
    from guanai.geo.models import Division
    from guanai.registry.models import Child
    from guanai.rules.services import registry_evaluate
    from guanai.stats.figures import figures_for, quarter_of
    from guanai.stats.models import ReportJob, ReportKind, SummaryRefresh
    from guanai.stats.reports import report_write
    from guanai.stats.summaries import summaries_refresh

    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        # A fresh database: children, their categories and benefits, a year of care work.
        call_command("seed", county_code=args.county_code, children=args.children, seed=1)
        registry_evaluate(division_code=args.county_code)
        care_bulk(county_code=args.county_code, year=timezone.localdate().year)
    total = Child.objects.filter(division_code__startswith=args.county_code).count()
    due = DueItem.objects.filter(division_code__startswith=args.county_code).count()
    print(f"database: {connection.vendor}, {total:,} children, {due:,} care due items")
    county = Division.objects.get(code=args.county_code)
    officer = User.objects.get_or_create(username="bench", defaults={"role": Role.ADMIN})[0]
    today = timezone.localdate()

    SummaryRefresh.objects.all().delete()  # the live path first: no summary is fresh
    cold = []
    for _ in range(args.runs):
        cache.clear()
        started = time.perf_counter()
        figures_for(officer, county, today, use_cache=True)
        cold.append(ms(started))
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        figures = figures_for(officer, county, today, use_cache=True)
        render_to_string(
            "stats/dashboard.html",
            {"node": county, "figures": figures, "chart_data": {}, "breakdown": []},
        )
        warm.append(ms(started))
    print(
        f"county dashboard figures, cold (all queries): median {sorted(cold)[len(cold) // 2]:8.1f} ms"
    )
    print(
        f"county dashboard, warm (cache + template):   median {sorted(warm)[len(warm) // 2]:8.1f} ms"
    )

    township = county.children.order_by("code").first()
    started = time.perf_counter()
    figures_for(officer, township, today)
    print(f"township dashboard figures, cold:            {ms(started):8.1f} ms")

    started = time.perf_counter()
    summaries_refresh(force=True)
    print(f"stored summaries, recount of the county:     {ms(started) / 1000:8.1f} s")
    stored = {"county": [], "township": []}
    for _ in range(args.runs):
        for label, node in (("county", county), ("township", township)):
            cache.clear()
            started = time.perf_counter()
            figures_for(officer, node, today, use_cache=True)
            stored[label].append(ms(started))
    for label, runs in stored.items():
        print(
            f"{label} dashboard figures, cold from summaries: median {sorted(runs)[len(runs) // 2]:6.1f} ms"
        )

    quarter = quarter_of(today)
    job = ReportJob(
        kind=ReportKind.QUARTERLY,
        division=county,
        division_code=county.code,
        requested_by=officer,
        period_start=quarter.start,
        period_end=quarter.end,
    )
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        rows = report_write(job, out, lambda pct: None)
        elapsed = ms(started) / 1000
    print(f"quarterly report, county ({rows} rows):       {elapsed:8.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark protection cases: the clock sweep and the case lists at a county's scale.

    .venv/bin/python bench/protection.py --cases 20000                  # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/protection.py --cases 100000

Seeds a synthetic county (`guanai seed`), one supervisor per township, one director per
village and the county's civil-affairs staff, then N open cases spread over the county's
children with a realistic mix: grades 5% red, 15% orange, 40% yellow, 40% blue; received over
the last 45 days; two thirds already verified (answered on or before the deadline, some late);
an assignee on 80%. Then it times:

  1. the sweep with nothing new (the every-minute case);
  2. the sweep at a moment when every case that lapsed in the last 45 days is found at once
     (the worker was down), with its notices, then the escalation sweep 3 days later;
  3. a worker's open-case list (first page and count) and a township supervisor's list.

Targets (issue 14): (2) under 10 s for 100,000 open cases on PostgreSQL; (3) under 200 ms.
"""

import argparse
import random
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, county_seeded, timed  # noqa: E402 (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tmpdir = bench_django("protection")
    from django.conf import settings

    # Notices are stored and counted; no backend prints or mails them (the console backend
    # would print every one of them).
    settings.NOTICE_BACKENDS = []
    from django.db import connection
    from django.utils import timezone

    from guanai.accounts.models import Role, User
    from guanai.geo.models import Division, Level
    from guanai.notices.models import Notice
    from guanai.protection.clocks import deadlines
    from guanai.protection.models import ProtectionCase
    from guanai.protection.selectors import case_list_for
    from guanai.protection.sweep import clock_sweep
    from guanai.registry.models import Child

    rng = random.Random(args.seed)
    try:
        county_seeded(children=args.children, county_code=args.county_code, seed=args.seed)
        county = Division.objects.get(code=args.county_code)
        townships = list(Division.objects.filter(level=Level.TOWNSHIP, parent=county))
        villages = list(Division.objects.filter(level=Level.VILLAGE, code__startswith=county.code))
        User.objects.bulk_create(
            [
                User(username=f"sup-{t.code}", role=Role.CHILD_SUPERVISOR, division=t)
                for t in townships
            ]
            + [
                User(username=f"dir-{v.code}", role=Role.CHILD_DIRECTOR, division=v)
                for v in villages
            ]
            + [
                User(username=f"county-{n}", role=Role.CIVIL_AFFAIRS, division=county)
                for n in range(3)
            ]
        )
        directors = dict(
            User.objects.filter(role=Role.CHILD_DIRECTOR).values_list("division__code", "id")
        )
        reporter = User.objects.get(username="county-0")
        children = list(Child.objects.values_list("id", "division_code"))
        now = timezone.now()
        clocks = {
            g: deadlines(args.county_code + "001001", g, now)
            for g in ("red", "orange", "yellow", "blue")
        }
        started = time.perf_counter()
        rows = []
        for n in range(args.cases):
            child_id, code = rng.choice(children)
            grade = rng.choices(["red", "orange", "yellow", "blue"], [5, 15, 40, 40])[0]
            received = now - timedelta(minutes=rng.randint(0, 45 * 24 * 60))
            span = clocks[grade].respond_by - now
            respond_by = received + span
            answered = rng.random() < 2 / 3
            responded = received + span * rng.uniform(0.1, 1.3) if answered else None
            if responded and responded > now:
                responded = None
            rows.append(
                ProtectionCase(
                    number=f"{args.county_code}-2026-{n + 1:06d}",
                    child_id=child_id,
                    division_code=code,
                    channel="report",
                    kind=rng.choice(["neglect", "abuse", "bullying", "accident", "missing"]),
                    description="基准测试个案",
                    source="visit",
                    reporter_name="基准",
                    reported_by=reporter,
                    received_at=received,
                    grade=grade,
                    respond_by=respond_by,
                    escalate_by=respond_by + (clocks[grade].escalate_by - clocks[grade].respond_by),
                    needs_measure=grade == "red",
                    verified_at=responded,
                    measure_decided_at=responded if grade == "red" else None,
                    responded_at=responded,
                    # Lapses before the last sweep were already found: only the recent ones are new.
                    lapsed_at=respond_by
                    if responded is None and respond_by < now - timedelta(days=45)
                    else None,
                    assignee_id=directors.get(code) if rng.random() < 0.8 else None,
                )
            )
        ProtectionCase.objects.bulk_create(rows, batch_size=5000)
        print(f"cases: {args.cases} open in {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

        print("1. the every-minute sweep with nothing due (before any deadline passed)")
        timed("idle sweep", lambda: clock_sweep(now - timedelta(days=46)), repeat=5)
        print("2. the sweep after a long outage: every lapse of 45 days at once")
        result, t_sweep = timed("lapse sweep", lambda: clock_sweep(now))
        print(
            f"     lapsed {result.lapsed}, escalated {result.escalated}, "
            f"notices {result.notices} (stored {Notice.objects.count()})"
        )
        later, _ = timed("again, nothing new", lambda: clock_sweep(now), repeat=3)
        assert later.notices == 0
        result, _ = timed(
            "escalation sweep 3 days later", lambda: clock_sweep(now + timedelta(days=3))
        )
        print(f"     escalated {result.escalated}, notices {result.notices}")

        print("3. lists")
        busiest_code = max(
            directors, key=lambda c: sum(1 for r in rows if r.assignee_id == directors[c])
        )
        worker = User.objects.get(id=directors[busiest_code])
        township = User.objects.get(username=f"sup-{busiest_code[:9]}")

        def first_page(user):
            cases = case_list_for(user).filter(status="open").order_by("status", "respond_by", "id")
            return cases.count(), list(cases[:30])

        (n_worker, _), t_worker = timed(
            "a worker's open cases, count + first page", lambda: first_page(worker), repeat=5
        )
        (n_town, _), t_town = timed(
            "a township's cases, count + first page", lambda: first_page(township), repeat=5
        )
        print(f"     worker {n_worker} cases, township {n_town} cases")
        print(
            f"summary: {args.cases} open cases on {connection.vendor}: lapse sweep {t_sweep:.2f} s "
            f"(target < 10 s), worker list {t_worker * 1000:.0f} ms, township list "
            f"{t_town * 1000:.0f} ms (target < 200 ms)"
        )
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

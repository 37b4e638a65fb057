"""Benchmark the window's referrals: the lapse sweep and a department's work list at scale.

    .venv/bin/python bench/window.py --referrals 200000            # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/window.py --referrals 200000

Seeds a synthetic county (`guanai seed`), one supervisor per township, the county's
civil-affairs staff and one user per department, then N open referrals over the county's
children: departments weighted (education and civil affairs most), limits of 5 to 20 working
days, sent over the last 60 days, a tenth waiting for documents. Then it times:

  1. the sweep with nothing due (the every-minute case);
  2. the sweep after an outage: every referral past its last day found at once, with its
     notices (digests), then the escalation sweep a week later;
  3. a department's work list (count and first page), and a township's list.

Targets (issue 16): (2) under 10 s for 200,000 open referrals; (3) under 200 ms.
"""

import argparse
import os
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
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tmpdir = bench_django("window")
    from django.conf import settings

    settings.NOTICE_BACKENDS = []  # notices stored and counted, not printed
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from guanai.accounts.models import Department, Role, User
    from guanai.geo.models import Division, Level
    from guanai.notices.models import Notice
    from guanai.registry.models import Child
    from guanai.window.models import Referral
    from guanai.window.selectors import township_list, work_list
    from guanai.window.sweep import referral_sweep
    from guanai.window.workdays import calendar_for, workdays_add

    rng = random.Random(args.seed)
    try:
        county_seeded(children=args.children, county_code=args.county_code, seed=args.seed)
        county = Division.objects.get(code=args.county_code)
        townships = list(Division.objects.filter(level=Level.TOWNSHIP, parent=county))
        User.objects.bulk_create(
            [
                User(username=f"sup-{t.code}", role=Role.CHILD_SUPERVISOR, division=t)
                for t in townships
            ]
            + [
                User(username=f"county-{n}", role=Role.CIVIL_AFFAIRS, division=county)
                for n in range(2)
            ]
            + [
                User(username=f"dept-{d}", role=Role.DEPARTMENT, department=d, division=county)
                for d in Department.values
            ]
        )
        sender = User.objects.get(username="county-0")
        children = list(Child.objects.values_list("id", "division_code"))
        departments = Department.values
        weights = [20 if d in ("education", "civil_affairs") else 8 for d in departments]
        now = timezone.now()
        today = timezone.localdate(now)
        holidays = calendar_for(
            args.county_code, today - timedelta(days=90), today + timedelta(days=90)
        )
        started = time.perf_counter()
        rows = []
        for n in range(args.referrals):
            child_id, code = rng.choice(children)
            sent = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            limit = rng.choice([5, 10, 15, 20])
            due_on = workdays_add(timezone.localdate(sent), limit, holidays)
            paused = rng.random() < 0.1
            rows.append(
                Referral(
                    number=f"{args.county_code}-2026-Z{n + 1:06d}",
                    child_id=child_id,
                    division_code=code,
                    department=rng.choices(departments, weights)[0],
                    request="基准测试转办",
                    limit_days=limit,
                    sent_by=sender,
                    sent_at=sent,
                    due_on=due_on,
                    escalate_on=workdays_add(due_on, 3, holidays),
                    status="more_docs" if paused else rng.choice(["sent", "accepted"]),
                    paused_on=today if paused else None,
                )
            )
        Referral.objects.bulk_create(rows, batch_size=5000)
        print(
            f"referrals: {args.referrals} open in {time.perf_counter() - started:.0f} s", flush=True
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

        if os.environ.get("BENCH_EXPLAIN") or connection.vendor == "sqlite":
            from guanai.window.selectors import awaiting_lapse

            desk_user = User.objects.get(username="dept-education")
            for label, queryset in (
                ("work list", work_list(desk_user)[:30]),
                ("work list count", work_list(desk_user).order_by().values("id")),
                ("lapse candidates", awaiting_lapse(today)),
            ):
                sql, params = queryset.query.sql_with_params()
                with connection.cursor() as cursor:
                    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                    cursor.execute(explain + sql, params)
                    print(f"  plan of the {label}: {[r[-1] for r in cursor.fetchall()]}")
        reverse("window:referral_list")  # the worker has its URLs loaded; load them here too
        print("1. the every-minute sweep with nothing due")
        timed("idle sweep", lambda: referral_sweep(now - timedelta(days=90)), repeat=5)
        print("2. the sweep after an outage: every lapse at once")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx("referral_sweep(now)", globals(), locals(), sort="cumtime")
            return 0
        result, t_sweep = timed("lapse sweep", lambda: referral_sweep(now))
        print(
            f"     lapsed {result.lapsed}, escalated {result.escalated}, "
            f"notices {result.notices} (stored {Notice.objects.count()})"
        )
        later, _ = timed("again, nothing new", lambda: referral_sweep(now), repeat=3)
        assert later.notices == 0
        result, t_escalate = timed(
            "escalation sweep a week later", lambda: referral_sweep(now + timedelta(days=7))
        )
        print(
            f"     lapsed {result.lapsed}, escalated {result.escalated}, notices {result.notices}"
        )

        print("3. lists")
        desk = User.objects.get(username="dept-education")
        township = User.objects.get(username=f"sup-{townships[0].code}")

        def first_page(queryset):
            return queryset.count(), list(queryset[:30])

        (n_desk, _), t_desk = timed(
            "education's work list, count + first page",
            lambda: first_page(work_list(desk)),
            repeat=5,
        )
        (n_town, _), t_town = timed(
            "a township's referrals, count + first page",
            lambda: first_page(township_list(township)),
            repeat=5,
        )
        print(f"     education {n_desk} open, township {n_town}")
        print(
            f"summary: {args.referrals} open referrals on {connection.vendor}: lapse sweep "
            f"{t_sweep:.2f} s (target < 10 s), escalation {t_escalate:.2f} s, work list "
            f"{t_desk * 1000:.0f} ms (target < 200 ms), township {t_town * 1000:.0f} ms"
        )
        return 0 if t_sweep < 10 and t_desk < 0.2 else 1
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark rehabilitation assistance: settle a county's year and read the federation's figures.

    .venv/bin/python bench/disability.py                        # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/disability.py --children 300 --claims 10

Builds a small county (the test place: two townships, three villages), N children referred to
three designated institutions (rows made directly), then times, with the real services:

  1. entering the year's claims as each institution's monthly list (`claims_create_many`; with
     --one-by-one, one `claim_create` each, as the form does): every claim settled by the dated
     standard, with the year's earlier claims of the same child, in words, and audited;
  2. `batch_create` freezing every checked claim of the county into one payment batch, and the
     batch's xlsx by institution with subtotals and the total;
  3. the federation's dashboard figures (`dashboard_for`: served against the target, waiting
     list, occupancy, open claims, paid), median of 5.

The two checks (institution, federation) between 1 and 2 are set in bulk, untimed.
Targets (issue 19): settlement of about 300 children and 3,000 claims under 5 s; dashboard
under 300 ms.
"""

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, timed  # noqa: E402 (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--claims", type=int, default=10, help="monthly claims per child")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--one-by-one", action="store_true", help="enter each claim as the form does (claim_create)"
    )
    args = parser.parse_args()

    os.environ.setdefault("GUANAI_NOTICE_BACKENDS", "")
    tmpdir = bench_django("disability")
    from django.core.management import call_command
    from django.db import connection

    from guanai.accounts.models import Department, Role, User
    from guanai.disability import reports, selectors, services
    from guanai.disability.models import Claim, ClaimStatus, Institution, PaymentBatch, Status
    from guanai.disability.testing import application_build
    from guanai.registry.models import Child
    from guanai.testing.factories import child_build, place_build, user_build

    try:
        print(f"database: {connection.vendor}", flush=True)
        call_command("migrate", verbosity=0)
        year = args.year
        place = place_build()
        county_code = place.county.code
        federation = User.objects.filter(username="bench_federation").first() or user_build(
            "bench_federation",
            Role.DEPARTMENT,
            place.county,
            department=Department.DISABLED_FEDERATION,
        )
        institutions = [
            Institution.objects.create(
                name=f"定点康复机构{i}", division_code=county_code, capacity=args.children
            )
            for i in range(1, 4)
        ]
        villages = [place.village_a, place.village_b, place.village_c]
        categories = ["intellectual", "autism", "hearing", "speech", "limb", "vision"]
        applications = []
        for n in range(args.children):
            child = child_build(
                villages[n % 3], f"康{n}", birth=date(year - 3 - n % 4, 1 + n % 12, 1 + n % 28)
            )
            applications.append(
                application_build(
                    child,
                    category=categories[n % len(categories)],
                    applied_on=date(year, 1, 5),
                    status=Status.IN_SERVICE,
                    institution=institutions[n % 3],
                    referred_on=date(year, 1, 10),
                )
            )
        print(
            f"children: {Child.objects.count()}, applications: {len(applications)}, "
            f"claims to enter: {len(applications) * args.claims}",
            flush=True,
        )

        def entry(n, application, month):
            return services.ClaimEntry(
                application,
                date(year, month, 1),
                date(year, month, 28),
                str(1200 + (n * 37 + month * 101) % 1500),
                months=1,
                insurance_paid=str((n + month) % 3 * 100),
            )

        def enter() -> int:
            made = 0
            for month in range(2, 2 + args.claims):
                if args.one_by_one:
                    for n, a in enumerate(applications):
                        e = entry(n, a, month)
                        services.claim_create(
                            actor=federation,
                            application=a,
                            period_start=e.period_start,
                            period_end=e.period_end,
                            cost=e.cost,
                            months=1,
                            insurance_paid=e.insurance_paid,
                        )
                        made += 1
                    continue
                for institution in institutions:  # each institution's list for the month
                    entries = [
                        entry(n, a, month)
                        for n, a in enumerate(applications)
                        if a.institution_id == institution.pk
                    ]
                    made += len(services.claims_create_many(actor=federation, entries=entries))
            return made

        how = (
            "claim_create each"
            if args.one_by_one
            else "claims_create_many per institution and month"
        )
        made, t_enter = timed(f"1. claims entered and settled ({how})", enter)
        Claim.objects.update(
            status=ClaimStatus.FEDERATION_CHECKED,
            institution_checker="机构核对人",
            federation_checked_by=federation,
        )
        batch, t_batch = timed(
            "2. payment batch frozen (batch_create)",
            lambda: services.batch_create(actor=federation, county=place.county),
        )

        def export() -> int:
            out = reports.batch_xlsx(actor=federation, batch=batch)
            size = len(out.file.read())
            out.file.close()
            return size

        size, t_xlsx = timed("   the batch's xlsx by institution", export)
        dashboard, t_dash = timed(
            "3. federation dashboard figures", lambda: selectors.dashboard_for(federation, year), 5
        )
        print(
            f"claims: {made}, batch {batch.number}: {batch.claim_count} claims, "
            f"pays {batch.total_payable} yuan of {batch.total_cost}; xlsx {size // 1024} KB; "
            f"served {dashboard.served}/{dashboard.target}, batches {PaymentBatch.objects.count()}",
            flush=True,
        )
        settlement = t_enter + t_batch + t_xlsx
        print(
            f"settlement of the year (1 + 2): {settlement:.2f} s (target < 5 s); "
            f"dashboard {t_dash * 1000:.0f} ms (target < 300 ms)",
            flush=True,
        )
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

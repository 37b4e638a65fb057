"""Monthly payment lists at a county's scale: freezing, a correction, the xlsx for finance.

    .venv/bin/python bench/benefits.py 100000                         # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/benefits.py 1000000 --share 0.05

Seeds N children (`guanai seed`) when the database has none, then records a receipt of the
benefit for --share of them (amounts from 1,000 to 1,800 元, started over the last five years,
a tenth already stopped before the month), as the county's approvals would have. Then it times,
as the county's civil-affairs officer: freezing this month's list (version 1), freezing it again
as a correction (version 2: the same rows copied again, the first left as it was), and writing
the xlsx for finance (lines grouped by township with subtotals and a total). Prints the lines,
the total and the peak memory.
"""

import argparse
import os
import random
import resource
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, timed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("children", nargs="?", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.05, help="children receiving it")
    parser.add_argument("--benefit", default="orphan_allowance")
    parser.add_argument("--county-code", default="360426")
    args = parser.parse_args()
    bench_django("benefits", var_dir=True)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from guanai.accounts.models import Role, User
    from guanai.benefits.reports import payment_list_xlsx
    from guanai.benefits.services import payment_list_freeze
    from guanai.geo.models import Division
    from guanai.registry.models import Child
    from guanai.rules.models import BenefitReceipt

    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        call_command("seed", county_code=args.county_code, children=args.children, seed=1)
    county = Division.objects.get(code=args.county_code)
    officer = User.objects.filter(username="bench_county").first() or User.objects.create(
        username="bench_county", role=Role.CIVIL_AFFAIRS, division=county
    )
    today = timezone.localdate()
    month = today.replace(day=1)
    if not BenefitReceipt.objects.filter(benefit=args.benefit).exists():
        rng = random.Random(5)
        ids = list(Child.objects.values_list("id", "division_code"))
        chosen = rng.sample(ids, int(len(ids) * args.share))
        BenefitReceipt.objects.bulk_create(
            (
                BenefitReceipt(
                    child_id=pk,
                    division_code=code,
                    benefit=args.benefit,
                    start_on=today - timedelta(days=rng.randrange(5 * 365)),
                    end_on=(month - timedelta(days=1 + rng.randrange(300)))
                    if rng.random() < 0.1
                    else None,
                    monthly_amount=Decimal(1000 + 100 * rng.randrange(9)),
                    note="县级民政批准",
                    recorded_by=officer,
                )
                for pk, code in chosen
            ),
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    receipts = BenefitReceipt.objects.filter(benefit=args.benefit).count()
    print(
        f"database: {connection.vendor}, {Child.objects.count():,} children, {receipts:,} "
        f"receipts of {args.benefit}, load {os.getloadavg()[0]:.1f}"
    )
    first, _ = timed(
        "freeze this month's list (version 1)",
        lambda: payment_list_freeze(
            actor=officer, county=county, benefit=args.benefit, month=month
        ),
    )
    print(f"    {first.children:,} lines, total {first.total} 元")
    timed(
        "freeze it again as a correction (version 2)",
        lambda: payment_list_freeze(
            actor=officer, county=county, benefit=args.benefit, month=month, note="更正:基准测试"
        ),
    )
    export, _ = timed(
        "xlsx for finance (version 1)",
        lambda: payment_list_xlsx(actor=officer, payment_list=first),
    )
    export.file.seek(0, os.SEEK_END)
    print(f"    {export.rows:,} rows, {export.file.tell() / 1e6:.1f} MB")
    export.file.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MB; the month {date(month.year, month.month, 1):%Y-%m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

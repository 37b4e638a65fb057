"""Every demo role's landing page (the home page after login) on a county with work in it.

    .venv/bin/python bench/landing.py 100000                       # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/landing.py 1000000

Builds the county as `make demo` does when the database is empty (`guanai demo`: the seeded
children, their categories, terms, pairings and this year's care duties, three in four done up to
today, and one account per role), then asks for "/" as each demo account through the real view
(scoping, the due items of every app, the menu and its unread count): once cold (the first
request after the caches are cleared) and then warm, printing p50 and p95 in ms.
Targets (issue 18): under 300 ms on the demo county, under 500 ms at 1,000,000 children.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, percentile  # noqa: E402

ROLES = ("director", "carer", "supervisor", "county", "education", "federation", "admin")


def cold_ms(client, username: str) -> float:
    """The home page once, the caches cleared first, in ms."""
    from django.core.cache import cache

    cache.clear()
    started = time.perf_counter()
    response = client.get("/")
    cold = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{username}: / answered {response.status_code}")
    return cold


def warm_ms(client, samples: int) -> list[float]:
    """The home page `samples` times again, each in ms."""
    warm = []
    for _ in range(samples):
        started = time.perf_counter()
        client.get("/")
        warm.append((time.perf_counter() - started) * 1000)
    return warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("children", nargs="?", type=int, default=100_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("GUANAI_DEMO_PASSWORD", "Bench-pass-2026x")
    bench_django("landing", var_dir=True)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from guanai.accounts.models import User
    from guanai.registry.models import Child
    from guanai.testing.clients import TwoFactorClient

    settings.ALLOWED_HOSTS = ["*"]
    settings.NOTICE_BACKENDS = []
    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("demo", county_code=args.county_code, children=args.children, stdout=quiet)
        print(
            f"built the demo county ({args.children:,} children) in {time.perf_counter() - started:.0f} s"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}, {Child.objects.count():,} children, load {os.getloadavg()[0]:.1f}"
    )
    for username in ROLES:
        user = User.objects.get(username=username)
        client = TwoFactorClient()
        client.force_login(user)
        cold = cold_ms(client, username)
        warm = warm_ms(client, args.samples)
        print(
            f"{username:<11} cold {cold:7.1f} ms   warm p50 {statistics.median(warm):6.1f} ms"
            f"  p95 {percentile(warm, 0.95):6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

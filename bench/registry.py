"""Search and file-page latency on a seeded county, through the real views.

    scripts/with-postgres.sh .venv/bin/python bench/registry.py 1000000
    .venv/bin/python bench/registry.py 100000          # SQLite in a temporary file

Seeds N children when the database has none (migrating first), then requests the pages as a
county officer, a township supervisor and a village director with Django's test client (so
template rendering, scoping and the audit row are all counted) and prints p50/p95/max in ms.
Targets (issue 3, PostgreSQL, 1,000,000 children): search p95 < 100 ms, file page p95 < 150 ms.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django, percentile  # noqa: E402


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<44} n={len(samples):>4}  p50 {statistics.median(samples):7.1f} ms"
        f"  p95 {percentile(samples, 0.95):7.1f} ms  max {max(samples):7.1f} ms"
    )


def timed(client, url: str, params: dict | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params} answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("children", nargs="?", type=int, default=100_000)
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    bench_django("registry")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from guanai.accounts.models import Role, User
    from guanai.accounts.services import user_create
    from guanai.geo.models import Division, Level
    from guanai.registry.models import Child
    from guanai.testing.clients import TwoFactorClient

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        started = time.perf_counter()
        call_command("seed", county_code=args.county_code, children=args.children, seed=1)
        print(f"seeded {args.children:,} children in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Child.objects.count()
    print(f"database: {connection.vendor}, {total:,} children")

    county = Division.objects.get(code=args.county_code)
    township = Division.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    village = Division.objects.filter(level=Level.VILLAGE, parent=township).order_by("code").first()
    accounts = {}
    for username, role, node in [
        ("bench_county", Role.CIVIL_AFFAIRS, county),
        ("bench_supervisor", Role.CHILD_SUPERVISOR, township),
        ("bench_director", Role.CHILD_DIRECTOR, village),
    ]:
        user = User.objects.filter(username=username).first() or user_create(
            actor=None, username=username, password="Bench-pass-2026", role=role, division=node
        )
        # Straight to the pages: no password change owed, the second factor passed (the
        # county's role must log in with one since issue 11).
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        client = TwoFactorClient()
        client.force_login(user)
        accounts[username] = (client, node)

    rng = random.Random(7)
    list_url = reverse("registry:child_list")
    for username, (client, node) in accounts.items():
        pool = list(
            Child.objects.filter(division_code__startswith=node.prefix)
            .exclude(id_number=None)
            .values_list("pk", "name", "name_pinyin", "name_initials", "id_number")[:20000]
        )
        picks = [rng.choice(pool) for _ in range(args.samples)]
        queries = {
            "name": [p[1] for p in picks],
            "given name": [p[1][1:] for p in picks],
            "pinyin prefix": [p[2][:6] for p in picks],
            "initials": [p[3] for p in picks],
            "ID number": [p[4] for p in picks],
            "ID last 4": [p[4][-4:] for p in picks],
        }
        all_search = []
        for kind, values in queries.items():
            samples = [timed(client, list_url, {"q": q}) for q in values]
            all_search += samples
            report(f"{username} search by {kind}", samples)
        report(f"{username} search, all kinds", all_search)
        samples = [timed(client, list_url) for _ in range(args.samples // 4)]
        report(f"{username} list, first page", samples)
        samples = [timed(client, reverse("registry:child_detail", args=[p[0]])) for p in picks]
        report(f"{username} file page", samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())

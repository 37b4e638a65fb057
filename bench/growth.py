"""How cost grows with the county: the hot paths at 100,000 and at 1,000,000 children, and the ratio.

    scripts/with-postgres.sh .venv/bin/python bench/growth.py            # one throwaway cluster
    .venv/bin/python bench/growth.py --databases postgres://…/g100k postgres://…/g1m

One run times every hot path on two databases, one per size (`--sizes`, default 100,000 and
1,000,000; with-postgres's cluster gets a database per size). A database with no children is
built first as `guanai demo` builds the demo county (seed, the rules, care's terms, pairings and
this year's duties, one account per role), without its example rosters. Each size is measured
in a process of its own, through the same calls as the other benches (bench/registry.py's page
timing, bench/landing.py's roles, bench/ingest.py's roster, bench/stats.py's dashboard and
summaries, bench/care.py's county-year, bench/rules.py's batch), and the figures come back as
JSON. Printed: each figure at each size, the ratio, the machine's load when it was taken, and,
for a ratio over 12 (cost growing faster than the data), the plan (EXPLAIN ANALYZE) of its
slowest query, taken at the larger size. Issue 21 items 3-4, issue 18 item 9.

Writes: the rules batch runs as of the same day as the build (nothing changes on a rerun); the
daily reminder run's notices of the day are deleted first, so each run sends them all again;
the import (last, skipped with --no-import) adds its new children to the database.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402

GROWS_TOO_FAST = 12  # for 10x the children
SLOW_QUERY_PLANS = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", help="one DATABASE_URL per size")
    parser.add_argument("--county-code", default="360426")
    parser.add_argument("--samples", type=int, default=30, help="requests per search kind")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--only", help="measure only the figures whose name contains this")
    parser.add_argument("--save", help="keep each size's figures as DIR/growth-SIZE.json")
    parser.add_argument("--table", nargs="+", help="print the table of saved figures (JSON files)")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size's own process
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args)
    if args.table:
        saved = [json.loads(Path(name).read_text()) for name in args.table]
        table([r["children"] for r in saved], saved)
        return 0

    databases = args.databases or [database_for(size) for size in args.sizes]
    if len(databases) != len(args.sizes):
        parser.error("one database per size")
    results = []
    for size, url in zip(args.sizes, databases, strict=True):
        out = Path(tempfile.mkstemp(prefix=f"growth-{size}-", suffix=".json")[1])
        command = [sys.executable, __file__, "--measure", str(size), "--out", str(out)]
        command += ["--county-code", args.county_code, "--samples", str(args.samples)]
        command += ["--import-rows", str(args.import_rows)] + (["--no-import"] * args.no_import)
        command += ["--only", args.only] if args.only else []
        print(f"== {size:,} children ({redacted(url)})", flush=True)
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url})
        if done.returncode:
            return done.returncode
        results.append(json.loads(out.read_text()))
        if args.save:
            out.replace(Path(args.save) / f"growth-{size}.json")
        else:
            out.unlink()
    table(args.sizes, results)
    return 0


def database_for(size: int) -> str:
    """A database of its own for each size in DATABASE_URL's cluster (created when missing)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("growth.py needs PostgreSQL: run it under scripts/with-postgres.sh")
    parts = urlsplit(url)
    name = f"growth_{size}"
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def redacted(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}{parts.path}"


# ---------- one size, in its own process ----------


class Figures:
    """Figures (milliseconds) by name, each with the load when taken and its slowest query."""

    def __init__(self, only: str | None):
        self.only = only
        self.rows: dict[str, dict] = {}

    def wanted(self, name: str) -> bool:
        return not self.only or self.only in name

    def add(self, name: str, ms: float, queries=None, **extra) -> None:
        slowest = []
        if queries is not None:
            timed = [q for q in queries.captured_queries if q.get("time")]
            timed.sort(key=lambda q: float(q["time"]), reverse=True)
            slowest = [q["sql"] for q in timed[:SLOW_QUERY_PLANS]]
        self.rows[name] = {"ms": ms, "load": os.getloadavg()[0], "slowest": slowest, **extra}
        note = "".join(f", {k} {v}" for k, v in extra.items())
        print(f"  {name:<52} {ms:10.1f} ms  (load {os.getloadavg()[0]:.1f}{note})", flush=True)


def measure(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
    os.environ.setdefault("GUANAI_NOTICE_BACKENDS", "")
    os.environ.setdefault("GUANAI_DEMO_PASSWORD", "Bench-pass-2026x")
    os.environ.setdefault("GUANAI_VAR_DIR", tempfile.mkdtemp(prefix="guanai-growth-"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from guanai.registry.models import Child

    settings.ALLOWED_HOSTS = ["*"]
    settings.NOTICE_BACKENDS = []
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    if not Child.objects.exists():
        build(args.county_code, args.measure)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    total = Child.objects.count()
    print(f"database: {connection.vendor}, {total:,} children, load {os.getloadavg()[0]:.1f}")

    figures = Figures(args.only)
    for part in (search_and_file, dashboard, rules_batch, care_batch, daily_run, landing):
        part(figures, args)
    if not args.no_import and figures.wanted("import"):
        roster_import(figures, args)
    plans(figures)
    Path(args.out).write_text(json.dumps({"children": total, "figures": figures.rows}))
    return 0


def build(county_code: str, children: int) -> None:
    """The demo county of `guanai demo` (bench/landing.py's), without its example rosters."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from guanai.care.bulk import care_bulk
    from guanai.geo.models import Division
    from guanai.rules.services import registry_evaluate
    from guanai.synth.demo import demo_accounts_ensure

    started = time.perf_counter()
    call_command("seed", county_code=county_code, children=children, seed=1, verbosity=0)
    print(f"  seed: {children:,} children in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stats = registry_evaluate(workers=2, as_of=timezone.localdate())
    print(f"  rules, first batch: {stats.seconds:.0f} s", flush=True)
    bulk = care_bulk(county_code=county_code, year=timezone.localdate().year, seed=1)
    print(f"  care: {bulk.pairings:,} pairings, seconds {bulk.seconds}", flush=True)
    county = Division.objects.get(code=county_code)
    demo_accounts_ensure(county, os.environ["GUANAI_DEMO_PASSWORD"])
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def _capture():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


def _client(username: str):
    from guanai.accounts.models import User
    from guanai.testing.clients import TwoFactorClient

    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    client = TwoFactorClient()
    client.force_login(user)
    return client


def search_and_file(figures: Figures, args) -> None:
    """bench/registry.py's searches and file page, as the county, a supervisor and a director."""
    import random

    from django.urls import reverse
    from registry import timed as page_ms

    from guanai.accounts.models import User
    from guanai.registry.models import Child

    rng = random.Random(7)
    list_url = reverse("registry:child_list")
    for scope, username in (
        ("county", "county"),
        ("township", "supervisor"),
        ("village", "director"),
    ):
        node = User.objects.get(username=username).division
        pool = list(
            Child.objects.filter(division_code__startswith=node.prefix)
            .exclude(id_number=None)
            .order_by("id")
            .values_list("pk", "name", "name_pinyin", "name_initials", "id_number")[:20000]
        )
        picks = [rng.choice(pool) for _ in range(args.samples)]
        client = _client(username)
        kinds = {
            "name": [p[1] for p in picks],
            "part of name": [p[1][1:] for p in picks],
            "pinyin prefix": [p[2][:6] for p in picks],
            "initials": [p[3] for p in picks],
            "ID number": [p[4] for p in picks],
            "ID last 4": [p[4][-4:] for p in picks],
        }
        for kind, values in kinds.items():
            name = f"search {scope}: {kind} (p95)"
            if figures.wanted(name):
                page_ms(client, list_url, {"q": values[0]})  # the first request warms the client
                with _capture() as queries:
                    samples = [page_ms(client, list_url, {"q": q}) for q in values]
                figures.add(name, percentile(samples, 0.95), queries, p50=_p50(samples))
        name = f"file page {scope} (p95)"
        if figures.wanted(name):
            with _capture() as queries:
                samples = [
                    page_ms(client, reverse("registry:child_detail", args=[p[0]])) for p in picks
                ]
            figures.add(name, percentile(samples, 0.95), queries, p50=_p50(samples))


def _p50(samples: list[float]) -> str:
    """The median beside a p95: on a shared machine the p95 is often another job's moment."""
    return f"{statistics.median(samples):.1f} ms"


def _median_ms(call, runs: int, before=None) -> tuple[float, object]:
    samples = []
    with _capture() as queries:
        for _ in range(runs):
            if before:
                before()
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), queries


def dashboard(figures: Figures, args) -> None:
    """bench/stats.py's county dashboard: cold (live counts), warm, the recount, from summaries."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import timezone

    from guanai.accounts.models import User
    from guanai.stats.figures import figures_for
    from guanai.stats.models import SummaryRefresh
    from guanai.stats.summaries import summaries_refresh

    officer = User.objects.get(username="county")
    county = officer.division
    township = User.objects.get(username="supervisor").division
    today = timezone.localdate()
    if not figures.wanted("dashboard") and not figures.wanted("summar"):
        return
    SummaryRefresh.objects.all().delete()  # the live path first: no summary is fresh
    ms, queries = _median_ms(
        lambda: figures_for(officer, county, today, use_cache=True), 3, before=cache.clear
    )
    figures.add("dashboard county, cold, live counts", ms, queries)

    def warm():
        found = figures_for(officer, county, today, use_cache=True)
        render_to_string(
            "stats/dashboard.html",
            {"node": county, "figures": found, "chart_data": {}, "breakdown": []},
        )

    ms, queries = _median_ms(warm, 5)
    figures.add("dashboard county, warm (cache + template)", ms, queries)
    ms, queries = _median_ms(lambda: summaries_refresh(force=True), 1)
    figures.add("stored summaries, recount of the county", ms, queries)
    for label, node in (("county", county), ("township", township)):
        ms, queries = _median_ms(
            lambda node=node: figures_for(officer, node, today, use_cache=True),
            5,
            before=cache.clear,
        )
        figures.add(f"dashboard {label}, cold from summaries", ms, queries)


def rules_batch(figures: Figures, args) -> None:
    """bench/rules.py's batch for the county, as of the build's day (a re-evaluation)."""
    from django.utils import timezone

    from guanai.rules.services import registry_evaluate

    name = "rules batch, county (2 workers, re-evaluation)"
    if figures.wanted(name):
        ms, queries = _median_ms(
            lambda: registry_evaluate(
                workers=2, as_of=timezone.localdate(), division_code=args.county_code
            ),
            1,
        )
        figures.add(name, ms, queries)


def care_batch(figures: Figures, args) -> None:
    """bench/care.py's due and overdue for the county-year, and a township's overdue list."""
    from datetime import date

    from django.utils import timezone

    from guanai.accounts.models import User
    from guanai.care import selectors
    from guanai.care.schedules import Period

    today = timezone.localdate()
    officer = User.objects.get(username="county")
    supervisor = User.objects.get(username="supervisor")
    year = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    name = "care due/overdue, county-year"
    if figures.wanted(name):
        ms, queries = _median_ms(lambda: selectors.figures_for(officer, year, today), 1)
        figures.add(name, ms, queries)
    name = "care overdue list, township, first page + count"
    if figures.wanted(name):

        def first_page():
            items = selectors.overdue_list_for(supervisor, today)
            return items.count(), list(items[:30])

        ms, queries = _median_ms(first_page, 5)
        figures.add(name, ms, queries)


def daily_run(figures: Figures, args) -> None:
    """The daily care run (`guanai care remind`): due items around today, then the reminders."""
    from django.utils import timezone

    from guanai.accounts.scoping import unscoped
    from guanai.care.reminders import care_daily
    from guanai.notices.models import Notice

    name = "daily reminder run (care_daily)"
    if not figures.wanted(name):
        return
    today = timezone.localdate()
    keys = [f"remind:{today:%Y-%m-%d}", f"overdue:{today:%Y-%m-%d}"]
    unscoped(Notice.objects.filter(key__in=keys), purpose="reminders").delete()
    result = {}
    ms, queries = _median_ms(lambda: result.setdefault("r", care_daily(on=today)), 1)
    done = result["r"]
    figures.add(name, ms, queries, notices=done.carer_notices + done.staff_notices)


def landing(figures: Figures, args) -> None:
    """bench/landing.py: "/" after login for each demo role, cold and warm; first with the
    stored summaries fresh (the worker recounts every minute), then without (counted live)."""
    from landing import ROLES, cold_ms, warm_ms

    from guanai.stats.models import SummaryRefresh
    from guanai.stats.summaries import summaries_refresh

    summaries_refresh(force=True)
    for summaries, roles in (("", ROLES), (", no fresh summary", ("supervisor", "county"))):
        if summaries:
            SummaryRefresh.objects.all().delete()
        for username in roles:
            name = f"landing {username}{summaries}"
            if not figures.wanted(name):
                continue
            client = _client(username)
            figures.add(f"{name} (cold)", cold_ms(client, username))
            with _capture() as queries:
                samples = warm_ms(client, 10)
            figures.add(f"{name} (warm p95)", percentile(samples, 0.95), queries, p50=_p50(samples))


def roster_import(figures: Figures, args) -> None:
    """bench/ingest.py's school roster (80% on file), imported by `guanai import` in its own process."""
    from django.db import connection
    from ingest import write_roster

    from guanai.ingest.models import FieldClaim, ImportBatch, ReviewPair, SourceRecord

    for model in (ReviewPair, FieldClaim, SourceRecord, ImportBatch):
        model.objects.all().delete()
    path = Path(tempfile.mkdtemp(prefix="guanai-growth-roster-")) / "roster.xlsx"
    write_roster(path, args.import_rows, 0.8, 1)
    connection.close()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "guanai", "import", str(path), "--source", "education"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    ms = (time.perf_counter() - started) * 1000
    if done.returncode:
        print((done.stdout + done.stderr)[-2000:])
        raise RuntimeError("the import failed")
    figures.add(f"import of {args.import_rows:,} roster rows (own process)", ms)
    path.unlink()


def plans(figures: Figures) -> None:
    """EXPLAIN ANALYZE of each figure's slowest queries, kept for the table (rolled back)."""
    from django.db import connection, transaction

    for row in figures.rows.values():
        row["plans"] = []
        for sql in row.pop("slowest"):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(line for (line,) in cursor.fetchall())
                    transaction.set_rollback(True)
            except Exception as exc:  # noqa: BLE001 - a plan is a help, not a figure
                plan = f"(no plan: {exc})"
            row["plans"].append({"sql": sql[:600], "plan": plan})


# ---------- the table ----------


def table(sizes: list[int], results: list[dict]) -> None:
    small, large = results[0], results[-1]
    growth = large["children"] / small["children"]
    print()
    print(f"{'figure':<52} " + " ".join(f"{s:>11,}" for s in sizes) + "   ratio  load")
    print(f"{'(children on file)':<52} " + " ".join(f"{r['children']:>11,}" for r in results))
    flagged = []
    for name, row in large["figures"].items():
        before = small["figures"].get(name)
        cells = [r["figures"].get(name, {}).get("ms") for r in results]
        shown = " ".join(f"{c:>8.1f} ms" if c is not None else f"{'-':>11}" for c in cells)
        ratio = row["ms"] / before["ms"] if before and before["ms"] else None
        loads = "/".join(
            f"{r['figures'][name]['load']:.1f}" for r in results if name in r["figures"]
        )
        mark = ""
        if ratio is not None and ratio > GROWS_TOO_FAST * growth / 10:
            mark = "  <-- grows faster than the data"
            flagged.append(name)
        ratio_shown = f"{ratio:6.1f}" if ratio is not None else "     -"
        print(f"{name:<52} {shown} {ratio_shown}  {loads}{mark}")
    for name in flagged:
        print(f"\n### {name}: its slowest queries at {large['children']:,} children")
        for found in large["figures"][name]["plans"]:
            print(f"-- {found['sql']}\n{found['plan']}\n")


if __name__ == "__main__":
    sys.exit(main())

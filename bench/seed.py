"""Benchmark the synthetic-county seed: N children into a fresh database.

    .venv/bin/python bench/seed.py [N]                  # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/seed.py 1000000
    .venv/bin/python bench/seed.py 100000 --proportions # also print the generated shares

N defaults to 100000. Without DATABASE_URL a new SQLite file is created in a temporary
directory and removed afterwards (--keep keeps it); with DATABASE_URL that database is used
(it should be empty: scripts/with-postgres.sh gives a fresh one). Prints children per second,
rows written, elapsed time, peak memory and a projection for 1,000,000 children.
"""

import argparse
import os
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import bench_django  # noqa: E402 (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("children", nargs="?", type=int, default=100_000)
    parser.add_argument("--county-code", default="511321")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", default="2025-06-01")
    parser.add_argument("--chunk-size", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument(
        "--proportions", action="store_true", help="print the generated proportions (no database)"
    )
    args = parser.parse_args()

    tmpdir = bench_django("seed")
    from django.core.management import call_command
    from django.db import connection

    from guanai.synth.generator import Generator, SeedConfig, Tally
    from guanai.synth.loader import county_seed

    config = SeedConfig(
        county_code=args.county_code,
        children=args.children,
        seed=args.seed,
        today=date.fromisoformat(args.today),
    )
    try:
        if args.proportions:
            print_proportions(Generator, Tally, config)
        call_command("migrate", verbosity=0)
        vendor = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
        print(f"database: {vendor} ({connection.settings_dict['NAME']})")
        print(f"seeding {args.children:,} children, county {args.county_code}, seed {args.seed}")

        def progress(result):
            rate = result.children / result.seconds if result.seconds else 0
            print(f"  {result.children:>10,} children  {result.seconds:7.1f} s  {rate:8,.0f}/s")

        backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        server_cpu_before = process_cpu(backend)
        cpu_before = time.process_time()
        started = time.perf_counter()
        result = county_seed(config, chunk_size=args.chunk_size, progress=progress)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        server_cpu = process_cpu(backend)
        with connection.cursor() as cursor:
            counts = {}
            for table in (
                "registry_household",
                "registry_parent",
                "registry_child",
                "registry_guardian",
            ):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rate = result.children / elapsed if elapsed else 0
        print(f"elapsed          {elapsed:10.1f} s")
        print(f"children/second  {rate:10,.0f}")
        print(
            f"rows written     {result.rows:10,}  (divisions {result.divisions}, schools "
            f"{result.schools}, households {result.households:,}, parents {result.parents:,}, "
            f"children {result.children:,}, guardians {result.guardians:,})"
        )
        print(f"rows per second  {result.rows / elapsed:10,.0f}")
        print(f"rows in tables   {counts}")
        print(f"peak RSS         {peak_mb:10,.0f} MB")
        print(
            f"CPU, this process {cpu:9.1f} s  ({result.children / cpu:,.0f} children per CPU-second)"
        )
        if server_cpu is not None and server_cpu_before is not None:
            print(f"CPU, PostgreSQL backend {server_cpu - server_cpu_before:5.1f} s")
        print(f"projected 1,000,000 children: {1_000_000 / rate / 60:.1f} min" if rate else "")
    finally:
        if tmpdir and not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        elif tmpdir:
            print(f"kept {tmpdir}/bench.sqlite3")
    return 0


def process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of another local process (the PostgreSQL backend), if readable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_proportions(Generator, Tally, config) -> None:
    generator = Generator(config)
    urban = [d.code for d in generator.division_rows() if d.level == "village" and d.is_urban]
    tally = Tally(config.today, urban)
    for chunk in generator.chunks():
        tally.add(chunk)
    n = tally.n
    s = tally.share
    lines = [
        ("children", n["children"], ""),
        ("households", n["households"], f"{n['children'] / n['households']:.2f} children each"),
        ("rural / urban children", f"{s('rural'):.1%} / {s('urban'):.1%}", ""),
        ("boys per 100 girls", f"{100 * n['sex:M'] / n['sex:F']:.1f}", ""),
        ("left-behind, rural", f"{s('left_behind:rural', 'rural'):.1%}", "of rural children"),
        ("left-behind, rural, under 16", f"{s('left_behind_u16:rural', 'u16:rural'):.1%}", ""),
        ("left-behind, urban", f"{s('left_behind:urban', 'urban'):.1%}", "of urban children"),
        ("migrant (hukou elsewhere)", f"{s('migrant'):.1%}", ""),
        ("without ID number", f"{s('no_id'):.1%}", ""),
        ("disability certificate", f"{s('disabled'):.2%}", ""),
        ("serious illness", f"{s('ill'):.2%}", ""),
    ]
    for status in (
        "working_away",
        "dead",
        "missing",
        "imprisoned",
        "seriously_ill",
        "seriously_disabled",
        "remarried",
        "left_home",
        "unknown",
    ):
        lines.append((f"child with a parent: {status}", f"{s('child_parent:' + status):.2%}", ""))
    for status in ("dibao", "tekun", "low_income"):
        lines.append(
            (
                f"households {status}",
                f"{s('economic:' + status, 'households'):.2%}",
                f"children {s('child_economic:' + status):.2%}",
            )
        )
    lines.append(("households 建档立卡", f"{s('poverty_registered', 'households'):.2%}", ""))
    for stage in ("none", "kindergarten", "primary", "junior", "senior", "special", "dropped_out"):
        lines.append((f"school stage {stage}", f"{s('stage:' + stage):.2%}", ""))
    for relation in (
        "mother",
        "father",
        "grandparent_paternal",
        "grandparent_maternal",
        "relative",
        "entrusted",
    ):
        lines.append((f"guardian {relation}", f"{s('guardian:' + relation, 'guardians'):.2%}", ""))
    ages = [n[f"age:{a}"] for a in range(18)]
    lines.append(("children per age 0..17", f"{min(ages):,}..{max(ages):,}", ""))
    print("| measure | value | note |\n|---|---|---|")
    for name, value, note in lines:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    raise SystemExit(main())

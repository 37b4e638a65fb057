"""What the bench scripts share: timing a call and printing the figure.

    from timing import timed   # the scripts run as `python bench/<name>.py`: bench/ is on the path

`timed(label, call, repeat)` runs `call` `repeat` times, prints the median (milliseconds under
two seconds, else seconds) and returns (the last value, the median in seconds);
`percentile(samples, share)` is the nearest-rank percentile of a list of timings;
`bench_django(name)` points Django at the bench's database (DATABASE_URL as given, as
scripts/with-postgres.sh sets it, else an SQLite file seeded before or in a new temporary
directory) and sets it up; `county_seeded(...)` migrates, names the database and seeds a county,
printing the time.
"""

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def timed(label: str, call: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    runs = []
    value = None
    for _ in range(repeat):
        started = time.perf_counter()
        value = call()
        runs.append(time.perf_counter() - started)
    best = statistics.median(runs)
    shown = f"{best * 1000:.0f} ms" if best < 2 else f"{best:.2f} s"
    print(f"  {label}: {shown}" + (f" (median of {repeat})" if repeat > 1 else ""), flush=True)
    return value, best  # type: ignore[return-value]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bench_django(name: str, *, reuse: str | None = None, var_dir: bool = False) -> str | None:
    """Set DATABASE_URL unless given: `reuse` (an SQLite file seeded before), else an SQLite file
    in a new temporary directory (with `var_dir` GUANAI_VAR_DIR too), which is returned for the
    caller to remove or keep (None otherwise); then `django.setup()`."""
    tmpdir = None
    if reuse:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(reuse).resolve()}"
    elif "DATABASE_URL" not in os.environ:
        tmpdir = tempfile.mkdtemp(prefix=f"guanai-bench-{name}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
        if var_dir:
            os.environ.setdefault("GUANAI_VAR_DIR", tmpdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
    import django

    django.setup()
    return tmpdir


def county_seeded(*, children: int, county_code: str, seed: int = 1, **options) -> None:
    """Migrate, print which database, and seed a county (`guanai seed`, synthetic) of `children`
    with the seed command's other `options` (today=, townships=), printing how long it took."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    started = time.perf_counter()
    call_command(
        "seed", county_code=county_code, children=children, seed=seed, verbosity=0, **options
    )
    print(f"seed: {children:,} children in {time.perf_counter() - started:.0f} s", flush=True)

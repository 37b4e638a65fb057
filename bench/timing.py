"""What the bench scripts share: timing a call and printing the figure.

    from timing import timed   # the scripts run as `python bench/<name>.py`: bench/ is on the path

`timed(label, call, repeat)` runs `call` `repeat` times, prints the median (milliseconds under
two seconds, else seconds) and returns (the last value, the median in seconds);
`percentile(samples, share)` is the nearest-rank percentile of a list of timings.
"""

import statistics
import time
from collections.abc import Callable
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

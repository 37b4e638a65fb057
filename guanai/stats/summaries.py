"""Stored summaries of the dashboards' counts (issue 21): every figure of every node comes from
rows counted ahead, so a cold dashboard reads a few hundred rows instead of counting a million.

The worker (`guanai worker`, at every heartbeat) refreshes a county when its last refresh is a
minute old: one pass of the same counts the live dashboard makes (`figures.node_counts`), grouped
by village, plus the monthly trends of each township (the county's are their sum); only rows
whose counts changed are written. A node's figures are then the sum of the rows under its code
(`summary_store.stored_data`), so roll-ups are sums of their children by construction. A
dashboard whose county has no fresh summary (the worker is down, another day or period is
asked) counts live as before. `guanai stats summaries` recounts at once.
"""

import time
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from guanai.accounts.scoping import unscoped_area, within
from guanai.core.dates import DateRange
from guanai.geo.models import Division, Level
from guanai.registry.models import Child
from guanai.stats.figures import node_counts, quarter_of, trends_for
from guanai.stats.models import NodeSummary, SummaryRefresh
from guanai.stats.summary_store import stored_names

REFRESH_EVERY = timedelta(seconds=60)


def default_period(as_of) -> DateRange:
    """The dashboard's period: the quarter up to the day."""
    return DateRange(quarter_of(as_of).start, as_of)


def stored_node_counts(
    prefix: str, length: int, names: list[str]
) -> tuple[dict[str, Counter], datetime] | None:
    """The registry's StoredCounts: the named counts of today's summaries under a node, when
    fresh."""
    as_of = timezone.localdate()
    return stored_names(prefix, length, as_of, default_period(as_of), names)


def _trends(area_code: str, as_of) -> dict:
    found = trends_for(unscoped_area(area_code, purpose="stats summaries"), as_of)
    return {key: [list(point) for point in series] for key, series in found.items()}


def _summed(series_of_nodes: list[dict]) -> dict:
    total: dict[str, Counter] = {}
    order: dict[str, list[str]] = {}
    for trends in series_of_nodes:
        for key, series in trends.items():
            order.setdefault(key, [month for month, _ in series])
            total.setdefault(key, Counter()).update(dict(series))
    return {key: [[month, total[key][month]] for month in months] for key, months in order.items()}


@transaction.atomic
def county_refresh(county: Division, now: datetime | None = None) -> int:
    """Recount one county's summaries; returns how many rows changed."""
    now = now or timezone.now()
    started = time.perf_counter()
    as_of = timezone.localdate(now)
    period = default_period(as_of)
    area = unscoped_area(county.code, purpose="stats summaries")
    counts = {
        key: {name: n for name, n in counter.items() if n}
        for key, counter in node_counts(area, 12, as_of, period).items()
    }
    trends = {
        township.code: _trends(township.code, as_of)
        for township in Division.objects.filter(parent=county, level=Level.TOWNSHIP)
    }
    # A month's count of the county is the sum of its townships' (every row is in a village),
    # and a third of the cost of counting the county again.
    trends[county.code] = _summed(list(trends.values())) if trends else _trends(county.code, as_of)
    stored = dict(NodeSummary.objects.filter(county_code=county.code).values_list("key", "counts"))
    gone = [key for key in stored if key not in counts]
    changed = [
        NodeSummary(county_code=county.code, key=key, counts=values)
        for key, values in counts.items()
        if stored.get(key) != values
    ]
    NodeSummary.objects.filter(county_code=county.code, key__in=gone).delete()
    NodeSummary.objects.filter(
        county_code=county.code, key__in=[row.key for row in changed]
    ).delete()
    NodeSummary.objects.bulk_create(changed, batch_size=1000)
    SummaryRefresh.objects.update_or_create(
        county_code=county.code,
        defaults={
            "as_of": as_of,
            "period_start": period.start,
            "period_end": period.end,
            "refreshed_at": now,
            "seconds": time.perf_counter() - started,
            "trends": trends,
        },
    )
    return len(gone) + len(changed)


def counties_with_files() -> list[Division]:
    return [
        county
        for county in Division.objects.filter(level=Level.COUNTY).order_by("code")
        if within(
            unscoped_area(county.code, purpose="stats summaries"), Child.objects.all()
        ).exists()
    ]


def summaries_refresh(now: datetime | None = None, *, force: bool = False) -> int:
    """Refresh every county with files whose summary is a minute old (all with `force`);
    returns how many counties were recounted."""
    now = now or timezone.now()
    last = dict(SummaryRefresh.objects.values_list("county_code", "refreshed_at"))
    done = 0
    for county in counties_with_files():
        at = last.get(county.code)
        if force or at is None or at <= now - REFRESH_EVERY or at > now:
            county_refresh(county, now)
            done += 1
    return done

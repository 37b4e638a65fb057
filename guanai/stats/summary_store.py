"""Reading the stored summaries (stats/summaries.py writes them): a node's counts grouped by the
nodes below it, and its trends, when the county's last refresh is recent and for the same day
and period. Knows only the two tables, so `figures_for` can ask it without a cycle."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.utils import timezone

from guanai.core.dates import DateRange
from guanai.stats.models import NodeSummary, SummaryRefresh

# Older than this (the worker refreshes every minute), a dashboard counts live instead.
STALE_AFTER = timedelta(minutes=5)


def fresh_refresh(
    county_code: str, as_of: date, period: DateRange, *, with_trends: bool = True
) -> SummaryRefresh | None:
    refreshes = SummaryRefresh.objects.filter(county_code=county_code)
    refresh = (refreshes if with_trends else refreshes.defer("trends")).first()
    if (
        refresh is None
        or refresh.as_of != as_of
        or (refresh.period_start, refresh.period_end) != (period.start, period.end)
        or refresh.refreshed_at < timezone.now() - STALE_AFTER
    ):
        return None
    return refresh


def stored_data(
    prefix: str, length: int, as_of: date, period: DateRange
) -> tuple[dict[str, Counter], dict | None, datetime] | None:
    """(counts grouped by the first `length` digits, trends or None, when counted) of the node
    with code `prefix` (a county or below), or None when there is no fresh summary."""
    if len(prefix) < 6:
        return None
    refresh = fresh_refresh(prefix[:6], as_of, period)
    if refresh is None:
        return None
    counts: dict[str, Counter] = {}
    rows = NodeSummary.objects.filter(county_code=prefix[:6], key__startswith=prefix)
    for key, values in rows.values_list("key", "counts"):
        counts.setdefault(key[:length], Counter()).update(values)
    trends = refresh.trends.get(prefix)
    if trends is not None:
        trends = {k: [tuple(point) for point in series] for k, series in trends.items()}
    return counts, trends, refresh.refreshed_at


def stored_names(
    prefix: str, length: int, as_of: date, period: DateRange, names: list[str]
) -> tuple[dict[str, Counter], datetime] | None:
    """Only the named counts of `stored_data` (read out of each row by the database, not the
    whole row in Python: a county's home page wants two of them from 2,000 villages)."""
    if len(prefix) < 6:
        return None
    refresh = fresh_refresh(prefix[:6], as_of, period, with_trends=False)
    if refresh is None:
        return None
    counts: dict[str, Counter] = {}
    rows = NodeSummary.objects.filter(county_code=prefix[:6], key__startswith=prefix)
    for key, *values in rows.values_list("key", *[f"counts__{name}" for name in names]):
        counts.setdefault(key[:length], Counter()).update(
            {name: value or 0 for name, value in zip(names, values, strict=True)}
        )
    return counts, refresh.refreshed_at

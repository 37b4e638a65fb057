"""Pure schedule functions: template frequency + term dates + pairing dates -> periods.

No database here. services.due_items_materialise applies the same rules in SQL for many
pairings at once; tests check that the two agree.

Rules:
- twice a month: the 1st-15th and the 16th-last day; monthly, quarterly, yearly: calendar
  months, quarters, years; each term: the county's term; start/middle/end of term: the term
  cut in three equal parts.
- A pairing owes a period when it is in force on the period's middle day. It owes the part of
  the period it covers (the period clipped to the pairing), due on that part's last day.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from guanai.care.models import Frequency
from guanai.core.dates import DateRange


@dataclass(frozen=True, order=True)
class Period(DateRange):
    @property
    def midpoint(self) -> date:
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    @property
    def due_date(self) -> date:
        return self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class TermDates:
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(start: date, end: date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _calendar_periods(frequency: str, start: date, end: date) -> Iterable[Period]:
    for year, month in _months(start, end):
        last = _month_end(year, month)
        if frequency == Frequency.MONTHLY:
            yield Period(date(year, month, 1), last)
        elif frequency == Frequency.TWICE_MONTHLY:
            yield Period(date(year, month, 1), date(year, month, 15))
            yield Period(date(year, month, 16), last)
        elif frequency == Frequency.QUARTERLY and month % 3 == 1:
            yield Period(date(year, month, 1), _month_end(year, month + 2))
        elif frequency == Frequency.YEARLY and month == 1:
            yield Period(date(year, 1, 1), date(year, 12, 31))
    # A quarter or a year that began before `start` still overlaps the window.
    if frequency == Frequency.QUARTERLY and start.month % 3 != 1:
        q = (start.month - 1) // 3 * 3 + 1
        yield Period(date(start.year, q, 1), _month_end(start.year, q + 2))
    if frequency == Frequency.YEARLY and start.month != 1:
        yield Period(date(start.year, 1, 1), date(start.year, 12, 31))


def term_thirds(term: TermDates) -> list[Period]:
    days = (term.end - term.start).days + 1
    cuts = [term.start + timedelta(days=days * i // 3) for i in range(4)]
    return [Period(cuts[i], cuts[i + 1] - timedelta(days=1)) for i in range(3)]


def periods(
    frequency: str, *, start: date, end: date, terms: Sequence[TermDates] = ()
) -> list[Period]:
    """Every period of `frequency` that overlaps the window [start, end], in order."""
    if end < start:
        return []
    if frequency == Frequency.TERM:
        found: Iterable[Period] = (Period(t.start, t.end) for t in terms)
    elif frequency == Frequency.TERM_THIRDS:
        found = (p for t in terms for p in term_thirds(t))
    else:
        found = _calendar_periods(frequency, start, end)
    return sorted({p for p in found if p.start <= end and p.end >= start})


def owed_period(period: Period, pairing_start: date, pairing_end: date | None) -> Period | None:
    """The part of `period` a pairing owes, or None when the pairing is not in force mid-period."""
    mid = period.midpoint
    if pairing_start > mid or (pairing_end is not None and pairing_end < mid):
        return None
    return Period(
        max(period.start, pairing_start),
        period.end if pairing_end is None else min(period.end, pairing_end),
    )


def schedule(
    frequency: str,
    *,
    window_start: date,
    window_end: date,
    pairing_start: date,
    pairing_end: date | None,
    terms: Sequence[TermDates] = (),
) -> list[Period]:
    """The periods one pairing owes within a window."""
    owed = (
        owed_period(p, pairing_start, pairing_end)
        for p in periods(frequency, start=window_start, end=window_end, terms=terms)
    )
    return [p for p in owed if p is not None]


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), _month_end(day.year, day.month))

"""Working days (工作日): weekdays, minus holidays, plus 调休 make-up working days.

Pure functions over a mapping of the days that differ from their weekday (`exceptions`: day →
is it a working day), so that they are tested without a database; `calendar_for` loads the
mapping of a county (its rows over the national ones) for a span of days.
"""

from collections.abc import Mapping
from datetime import date, timedelta

from guanai.window.models import HolidayCalendar

Exceptions = Mapping[date, bool]


def is_workday(day: date, exceptions: Exceptions) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def workdays_add(start: date, n: int, exceptions: Exceptions) -> date:
    """The n-th working day after `start` (`start` itself not counted); `start` for n = 0."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_workday(day, exceptions):
            n -= 1
    return day


def workdays_between(start: date, end: date, exceptions: Exceptions) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day, exceptions):
            count += 1
    return count


def calendar_for(division_code: str, start: date, end: date) -> dict[date, bool]:
    """The exceptions between two days for a village's county: its own rows win."""
    rows = HolidayCalendar.objects.filter(
        area__in=["", division_code[:6]], day__gte=start, day__lte=end
    ).values_list("area", "day", "is_workday")
    found: dict[date, bool] = {}
    for _area, day, workday in sorted(rows, key=lambda r: len(r[0])):
        found[day] = workday
    return found


def span_for(n: int) -> timedelta:
    """Enough calendar days to hold n working days whatever the holidays (Golden Week)."""
    return timedelta(days=2 * n + 30)


def due_date(division_code: str, start: date, n: int) -> date:
    return workdays_add(start, n, calendar_for(division_code, start, start + span_for(n)))


def days_between(division_code: str, start: date, end: date) -> int:
    return workdays_between(start, end, calendar_for(division_code, start, end))

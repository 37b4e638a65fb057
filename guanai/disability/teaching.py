"""Whether home teaching (送教上门) meets its rule, per child, as a pure function with words.

Seed 004 篇4 and 篇8: at least 2 visits a month, at least 2 class hours a visit, at least 40
class hours a school year. A month counts once it is over and wholly inside the agreement;
July and August (the summer holiday) do not count. The year's 40 hours are judged when the
agreement has ended (before that the page shows the hours so far).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

MIN_VISITS_A_MONTH = 2
MIN_HOURS_A_VISIT = Decimal(2)
MIN_HOURS_A_YEAR = Decimal(40)
HOLIDAY_MONTHS = {7, 8}


@dataclass(frozen=True)
class Visit:
    day: date
    hours: Decimal
    teacher: str = ""


@dataclass(frozen=True)
class MonthCheck:
    month: date  # its first day
    visits: int
    short_visits: int  # visits under 2 class hours

    @property
    def ok(self) -> bool:
        return self.visits >= MIN_VISITS_A_MONTH and self.short_visits == 0


@dataclass
class Compliance:
    months: list[MonthCheck]
    hours: Decimal
    visits: int
    year_over: bool
    shortfalls: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.shortfalls


def _last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def counted_months(start: date, end: date, as_of: date) -> list[date]:
    """The first days of the months that are over, wholly inside start..end, not holidays."""
    months = []
    month = start.replace(day=1) if start.day == 1 else _last_day(start) + timedelta(days=1)
    while _last_day(month) <= min(end, as_of):
        if month.month not in HOLIDAY_MONTHS:
            months.append(month)
        month = _last_day(month) + timedelta(days=1)
    return months


def hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def compliance(start: date, end: date, visits: Iterable[Visit], as_of: date) -> Compliance:
    inside = [v for v in visits if start <= v.day <= min(end, as_of)]
    by_month: dict[date, list[Visit]] = defaultdict(list)
    for visit in inside:
        by_month[visit.day.replace(day=1)].append(visit)
    months = [
        MonthCheck(
            month,
            len(by_month[month]),
            sum(1 for v in by_month[month] if v.hours < MIN_HOURS_A_VISIT),
        )
        for month in counted_months(start, end, as_of)
    ]
    hours = sum((v.hours for v in inside), Decimal(0))
    result = Compliance(months, hours, len(inside), as_of >= end)
    for check in months:
        if check.visits < MIN_VISITS_A_MONTH:
            result.shortfalls.append(
                f"{check.month:%Y年%m月}送教 {check.visits} 次,每月应不少于 {MIN_VISITS_A_MONTH} 次"
            )
    for visit in sorted(inside, key=lambda v: v.day):
        if visit.hours < MIN_HOURS_A_VISIT:
            result.shortfalls.append(
                f"{visit.day:%Y-%m-%d} 送教 {hours_text(visit.hours)} 课时,"
                f"每次应不少于 {hours_text(MIN_HOURS_A_VISIT)} 课时"
            )
    if result.year_over and hours < MIN_HOURS_A_YEAR:
        result.shortfalls.append(
            f"本学年共 {hours_text(hours)} 课时,应不少于 {hours_text(MIN_HOURS_A_YEAR)} 课时"
        )
    return result


@dataclass
class TeacherSummary:
    teacher: str
    children: int = 0
    visits: int = 0
    hours: Decimal = Decimal(0)
    children_short: int = 0


def by_teacher(rows: Iterable[tuple[str, Compliance]]) -> list[TeacherSummary]:
    """Per teacher (named on the agreement): children, visits, hours, children short of the rule."""
    found: dict[str, TeacherSummary] = {}
    for teacher, result in rows:
        summary = found.setdefault(teacher, TeacherSummary(teacher))
        summary.children += 1
        summary.visits += result.visits
        summary.hours += result.hours
        summary.children_short += 0 if result.ok else 1
    return sorted(found.values(), key=lambda s: s.teacher)

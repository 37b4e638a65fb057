from datetime import date
from decimal import Decimal

from guanai.disability.teaching import Visit, by_teacher, compliance, counted_months

START, END = date(2026, 9, 1), date(2027, 6, 30)


def visits(*days_hours):
    return [Visit(day, Decimal(str(hours)), "王老师") for day, hours in days_hours]


def test_months_that_count_are_over_inside_the_agreement_and_not_summer():
    months = counted_months(date(2026, 5, 10), date(2026, 12, 31), as_of=date(2026, 11, 15))
    assert months == [date(2026, 6, 1), date(2026, 9, 1), date(2026, 10, 1)]


def test_two_visits_of_two_hours_a_month_comply():
    result = compliance(
        START, END, visits((date(2026, 9, 3), 2), (date(2026, 9, 17), 2.5)), date(2026, 10, 1)
    )
    assert result.ok
    assert result.hours == Decimal("4.5")


def test_shortfalls_are_worded():
    result = compliance(
        START,
        END,
        visits((date(2026, 9, 3), 1.5), (date(2026, 9, 17), 2), (date(2026, 10, 8), 3)),
        date(2026, 11, 2),
    )
    assert result.shortfalls == [
        "2026年10月送教 1 次,每月应不少于 2 次",
        "2026-09-03 送教 1.5 课时,每次应不少于 2 课时",
    ]
    assert not result.months[0].ok  # a short visit spoils September too


def test_the_years_forty_hours_are_judged_when_it_is_over():
    # two visits of 2 hours each month from September to June: 20 visits, 40 hours
    days = [
        (date(y, m, d), 2)
        for y, m in [(2026, 9), (2026, 10), (2026, 11), (2026, 12)]
        + [(2027, m) for m in range(1, 7)]
        for d in (5, 19)
    ]
    assert compliance(START, END, visits(*days), date(2027, 7, 1)).ok
    short = compliance(START, END, visits(*days[:-1]), date(2027, 7, 1))
    assert "本学年共 38 课时,应不少于 40 课时" in short.shortfalls
    assert "2027年06月送教 1 次,每月应不少于 2 次" in short.shortfalls
    assert not compliance(START, END, visits(*days[:-1]), date(2027, 6, 29)).year_over


def test_per_teacher():
    good = compliance(
        START, END, visits((date(2026, 9, 3), 2), (date(2026, 9, 4), 2)), date(2026, 10, 1)
    )
    bad = compliance(START, END, visits((date(2026, 9, 3), 2)), date(2026, 10, 1))
    [summary] = by_teacher([("王老师", good), ("王老师", bad)])
    assert (summary.children, summary.visits, summary.hours, summary.children_short) == (2, 3, 6, 1)

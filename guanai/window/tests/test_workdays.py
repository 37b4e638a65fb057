"""Working days: weekends and holidays skipped, 调休 make-up days counted."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanai.window.models import HolidayCalendar
from guanai.window.workdays import (
    calendar_for,
    days_between,
    due_date,
    is_workday,
    workdays_add,
    workdays_between,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
exceptions = st.dictionaries(days, st.booleans(), max_size=40)


@given(start=days, n=st.integers(min_value=0, max_value=60), extra=exceptions)
def test_adding_n_working_days_then_counting_back_gives_n(start, n, extra):
    end = workdays_add(start, n, extra)
    assert workdays_between(start, end, extra) == n
    assert n == 0 or is_workday(end, extra)


@given(start=days, n=st.integers(min_value=1, max_value=30), extra=exceptions)
def test_no_day_counted_is_a_rest_day(start, n, extra):
    end = workdays_add(start, n, extra)
    counted = [
        start + timedelta(days=i)
        for i in range(1, (end - start).days + 1)
        if is_workday(start + timedelta(days=i), extra)
    ]
    assert len(counted) == n
    assert all(d.weekday() < 5 or extra.get(d) for d in counted)
    assert not any(extra.get(d) is False for d in counted)


def test_a_weekend_is_skipped_and_a_make_up_saturday_counts():
    friday = date(2026, 3, 6)
    assert workdays_add(friday, 1, {}) == date(2026, 3, 9)
    assert workdays_add(friday, 1, {date(2026, 3, 7): True}) == date(2026, 3, 7)
    assert workdays_add(friday, 1, {date(2026, 3, 9): False}) == date(2026, 3, 10)


@pytest.mark.django_db
def test_the_national_2026_calendar_and_a_county_of_its_own():
    # Golden Week: from 30 September, the first working day is 8 October (10 October: 调休).
    assert due_date("360426001001", date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert due_date("360426001001", date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert days_between("360426001001", date(2026, 2, 13), date(2026, 2, 23)) == 1  # 14 Feb only
    HolidayCalendar.objects.create(area="360426", day=date(2026, 10, 8), is_workday=False)
    assert calendar_for("360426001001", date(2026, 10, 8), date(2026, 10, 8)) == {
        date(2026, 10, 8): False
    }
    assert due_date("360426001001", date(2026, 9, 30), 1) == date(2026, 10, 9)
    assert due_date("360427001001", date(2026, 9, 30), 1) == date(2026, 10, 8)

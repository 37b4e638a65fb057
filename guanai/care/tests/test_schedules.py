"""The pure schedule: frequencies, terms and pairing dates -> periods (property-based)."""

from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from guanai.care.models import Frequency
from guanai.care.schedules import (
    Period,
    TermDates,
    month_of,
    owed_period,
    periods,
    schedule,
    term_thirds,
    week_of,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
months = st.tuples(st.integers(2020, 2030), st.integers(1, 12))


def month_window(start: tuple[int, int], count: int) -> tuple[date, date]:
    first = date(*start, 1)
    last = first
    for _ in range(count):
        last = month_of(last).end + timedelta(days=1)
    return first, last - timedelta(days=1)


@given(months, st.integers(1, 30))
def test_twice_a_month_yields_exactly_two_items_per_month(start, count):
    first, last = month_window(start, count)
    found = periods(Frequency.TWICE_MONTHLY, start=first, end=last)
    per_month = Counter((p.start.year, p.start.month) for p in found)
    assert len(per_month) == count
    assert set(per_month.values()) == {2}


@given(months, st.integers(1, 30))
def test_calendar_periods_tile_the_window_without_gaps(start, count):
    first, last = month_window(start, count)
    for frequency in (Frequency.MONTHLY, Frequency.TWICE_MONTHLY):
        found = periods(frequency, start=first, end=last)
        assert found[0].start == first and found[-1].end == last
        for a, b in zip(found, found[1:], strict=False):
            assert b.start == a.end + timedelta(days=1)
    assert len(periods(Frequency.MONTHLY, start=first, end=last)) == count


@given(st.integers(2020, 2030))
def test_quarters_and_years(year):
    whole = {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    assert len(periods(Frequency.QUARTERLY, **whole)) == 4
    assert periods(Frequency.YEARLY, **whole) == [Period(date(year, 1, 1), date(year, 12, 31))]
    # A window inside a quarter still sees that quarter and that year.
    inside = {"start": date(year, 5, 10), "end": date(year, 5, 20)}
    assert periods(Frequency.QUARTERLY, **inside) == [Period(date(year, 4, 1), date(year, 6, 30))]
    assert len(periods(Frequency.YEARLY, **inside)) == 1


@st.composite
def term_lists(draw):
    """Non-overlapping terms in order."""
    day = draw(days)
    terms = []
    for _ in range(draw(st.integers(1, 6))):
        day += timedelta(days=draw(st.integers(1, 90)))
        end = day + timedelta(days=draw(st.integers(30, 160)))
        terms.append(TermDates(day, end))
        day = end
    return terms


@given(term_lists())
def test_term_duties_come_once_per_term(terms):
    window = {"start": terms[0].start, "end": terms[-1].end}
    found = periods(Frequency.TERM, terms=terms, **window)
    assert found == [Period(t.start, t.end) for t in terms]


@given(term_lists())
def test_start_middle_end_of_term_cut_each_term_in_three(terms):
    window = {"start": terms[0].start, "end": terms[-1].end}
    found = periods(Frequency.TERM_THIRDS, terms=terms, **window)
    assert len(found) == 3 * len(terms)
    for term in terms:
        thirds = term_thirds(term)
        assert thirds[0].start == term.start and thirds[-1].end == term.end
        lengths = [(p.end - p.start).days + 1 for p in thirds]
        assert max(lengths) - min(lengths) <= 1


@given(term_lists(), days, st.one_of(st.none(), st.integers(0, 2000)))
def test_a_pairing_owes_what_it_covers_mid_period(terms, start, length):
    end = None if length is None else start + timedelta(days=length)
    window = {"window_start": terms[0].start, "window_end": terms[-1].end}
    owed = schedule(Frequency.TERM, terms=terms, pairing_start=start, pairing_end=end, **window)
    for term in terms:
        full = Period(term.start, term.end)
        in_force = start <= full.midpoint and (end is None or end >= full.midpoint)
        clipped = [p for p in owed if full.start <= p.start <= full.end]
        assert len(clipped) == (1 if in_force else 0)
        for p in clipped:
            assert p.start == max(full.start, start)
            assert p.end == (full.end if end is None else min(full.end, end))
            assert p.start <= p.end


@given(days)
def test_owed_period_needs_the_middle_day(day):
    period = month_of(day)
    assert owed_period(period, period.start, None) == period
    assert owed_period(period, period.midpoint + timedelta(days=1), None) is None
    assert owed_period(period, period.start, period.midpoint - timedelta(days=1)) is None
    assert owed_period(period, period.midpoint, period.midpoint) == Period(
        period.midpoint, period.midpoint
    )


@given(days)
def test_weeks_start_on_monday(day):
    week = week_of(day)
    assert week.start.weekday() == 0 and week.contains(day)
    assert (week.end - week.start).days == 6

"""Figures are counted by the database; they agree with plain counts and stay in scope."""

from datetime import date

import pytest

from guanai.care.due import due_items_materialise
from guanai.care.models import Activity, CarerKind, DueItem, DueStatus
from guanai.care.schedules import Period
from guanai.care.selectors import figures_for, overdue_list_for
from guanai.care.services import care_record_create
from guanai.care.testing import pairing_build
from guanai.care.tests.conftest import WINDOW, YEAR
from guanai.core.errors import AccessDenied

TODAY = date(YEAR, 11, 20)
YEAR_PERIOD = Period(WINDOW["start"], WINDOW["end"])


@pytest.mark.django_db
def test_figures_agree_with_plain_counts(users, children, terms):
    pairing_build(
        children["a"], users["carer_a"], CarerKind.CARING_MOTHER, start_date=date(YEAR - 1, 1, 1)
    )
    pairing_build(
        children["b"],
        users["director_b"],
        CarerKind.CHILD_DIRECTOR,
        start_date=date(YEAR - 1, 1, 1),
    )
    due_items_materialise(**WINDOW)
    care_record_create(
        actor=users["carer_a"], child=children["a"], activity=Activity.TALK, day=date(YEAR, 3, 3)
    )
    figures = figures_for(users["supervisor_1"], YEAR_PERIOD, TODAY)
    items = DueItem.objects.exclude(status=DueStatus.CANCELLED).filter(
        due_date__range=(YEAR_PERIOD.start, YEAR_PERIOD.end)
    )
    assert figures.total.total == items.count()
    assert figures.total.done == items.filter(status=DueStatus.DONE).count() == 2
    overdue = items.filter(status=DueStatus.OPEN, due_date__lt=TODAY).count()
    assert figures.total.overdue_now == overdue > 0
    assert [row.label for row in figures.areas] == ["东风村", "青石村"]
    assert sum(row.total for row in figures.areas) == figures.total.total
    assert {row.label for row in figures.carers} == {"carer_a", "director_b"}
    assert figures.unpaired == 0
    # Village A's director sees only village A; a carer sees no figures.
    mine = figures_for(users["director_a"], YEAR_PERIOD, TODAY)
    assert mine.total.total == items.filter(child=children["a"]).count()
    assert [row.label for row in mine.carers] == ["carer_a"]
    assert (
        overdue_list_for(users["director_a"], TODAY).count()
        == items.filter(child=children["a"], status=DueStatus.OPEN, due_date__lt=TODAY).count()
    )
    with pytest.raises(AccessDenied):
        figures_for(users["carer_a"], YEAR_PERIOD, TODAY)
    assert figures_for(users["supervisor_2"], YEAR_PERIOD, TODAY).total.total == 0
    assert figures_for(users["supervisor_2"], YEAR_PERIOD, TODAY).unpaired == 1

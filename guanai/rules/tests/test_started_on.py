"""符合起始 follows the facts' dates; without them it is shown as not known (不详), never as if
the child had qualified on the day the rules happened to run."""

from datetime import date

import pytest

from guanai.registry.forms import initial_from_child
from guanai.registry.services import child_register, child_update
from guanai.registry.tests.test_services import base_data
from guanai.rules.choices import Category
from guanai.rules.models import ChildFinding


def left_behind(child) -> ChildFinding:
    return ChildFinding.objects.get(
        child=child, kind="category", code=Category.LEFT_BEHIND.value, is_current=True
    )


@pytest.mark.django_db
def test_a_start_without_dates_is_not_known_until_the_director_dates_it(users, place):
    # The father's departure is dated (2022-03), the mother's is not.
    child = child_register(actor=users["supervisor_1"], village=place.village_a, data=base_data())
    found = left_behind(child)
    assert not found.started_known
    assert found.started_words.startswith("不详(档案未记日期")
    child.refresh_from_db()
    child_update(
        actor=users["supervisor_1"],
        child=child,
        version=child.version,
        data=initial_from_child(child) | {"mother_status_since": date(2023, 9, 1)},
    )
    found = left_behind(child)
    assert found.started_known
    # Both parents away: it began when the second one left.
    assert found.started_on == date(2023, 9, 1)
    assert found.started_words == "2023-09-01"

from datetime import date

import pytest

from guanai.care.services import terms_set_standard
from guanai.registry.choices import ParentRole, ParentStatus
from guanai.registry.models import Child, Parent
from guanai.rules.services import child_evaluate

YEAR = 2024


@pytest.fixture
def terms(place):
    made = []
    for year in (YEAR - 1, YEAR, YEAR + 1):
        made += terms_set_standard(actor=None, county=place.county, year=year)
    return made


def make_left_behind(child: Child) -> Child:
    """Both parents working away: a left-behind child."""
    for role in ParentRole:
        parent = Parent.objects.create(
            household=child.household,
            role=role,
            name=f"{child.name}{role.label}",
            status=ParentStatus.WORKING_AWAY,
            away_destination="广东东莞",
        )
        setattr(child, role.value, parent)
    child.save()
    child_evaluate(child)
    return child


WINDOW = {"start": date(YEAR, 1, 1), "end": date(YEAR, 12, 31)}

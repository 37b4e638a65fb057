from datetime import date

import pytest

from guanai.accounts.models import Department, Role
from guanai.disability.models import Institution
from guanai.testing.factories import child_build, user_build

APPLIED = date(2026, 3, 2)


@pytest.fixture
def federation(place):
    return user_build(
        "federation", Role.DEPARTMENT, place.county, department=Department.DISABLED_FEDERATION
    )


@pytest.fixture
def federation_2(place):
    return user_build(
        "federation_2", Role.DEPARTMENT, place.county, department=Department.DISABLED_FEDERATION
    )


@pytest.fixture
def institution(place):
    return Institution.objects.create(
        name="德安县残疾人康复中心",
        division_code=place.county.code,
        capacity=2,
        services="康复训练",
    )


@pytest.fixture
def child(place):
    """A boy of village A with an intellectual disability, 6 on the day he applies."""
    c = child_build(place.village_a, "陈小安", birth=date(2019, 5, 1))
    c.disability_category = "intellectual"
    c.save()
    return c

"""Figures roll up: a township's equal the sum of its villages', a county's of its townships'."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from guanai.accounts.models import Role, User
from guanai.care.bulk import care_bulk
from guanai.core.errors import AccessDenied
from guanai.geo.models import Division
from guanai.rules.services import registry_evaluate
from guanai.stats.figures import figures_for, quarter_of
from guanai.stats.models import StatisticalBase
from guanai.testing.factories import child_build

TODAY = date(2026, 11, 23)
# The county-wide view the roll-up is checked from (an administrator reaches every node).
OFFICER = User(username="officer", role=Role.ADMIN)


def sum_of_children(node: Division) -> Counter:
    total = Counter()
    for below in node.children.all():
        total.update(figures_for(OFFICER, below, TODAY).counts)
    return total


def test_quarter_of():
    assert (quarter_of(date(2026, 11, 23)).start, quarter_of(date(2026, 11, 23)).end) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert quarter_of(date(2026, 2, 28)).end == date(2026, 3, 31)


def test_it_says_when_no_expected_population_is_entered(place, children):
    figures = figures_for(OFFICER, place.township_1, TODAY)
    coverage = figures.figure("coverage")
    assert coverage.value is None and coverage.missing == "未填报应有儿童数"
    assert figures.figure("children").value == 2


def test_a_supervisor_gets_the_figures_of_their_own_township_only(place, users, children):
    assert figures_for(users["supervisor_1"], place.township_1, TODAY).counts["children"] == 2
    with pytest.raises(AccessDenied):
        figures_for(users["supervisor_1"], place.township_2, TODAY)
    with pytest.raises(AccessDenied):
        figures_for(users["director_a"], place.township_1, TODAY)


def test_coverage_counts_only_villages_with_an_expected_population(place, children):
    StatisticalBase.objects.create(
        division=place.village_a,
        division_code=place.village_a.code,
        year=TODAY.year,
        children_expected=4,
        left_behind_expected=1,
    )
    child_build(place.village_a, "赵小四", with_id=False)
    coverage = figures_for(OFFICER, place.township_1, TODAY).figure("coverage")
    assert (coverage.value, coverage.total, coverage.rate) == (2, 4, 50.0)
    assert "1/2 个村" in coverage.definition
    assert figures_for(OFFICER, place.township_1, TODAY).figure("missing_id").value == 1


@pytest.mark.django_db
def test_seeded_county_rolls_up():
    call_command("seed", county_code="360426", children=3000, seed=1, today=str(TODAY))
    registry_evaluate(as_of=TODAY, division_code="360426")
    care_bulk(county_code="360426", year=TODAY.year, today=TODAY)
    county = Division.objects.get(code="360426")
    for village in Division.objects.filter(level="village")[:40:7]:
        StatisticalBase.objects.create(
            division=village,
            division_code=village.code,
            year=TODAY.year,
            children_expected=30,
            left_behind_expected=5,
        )
    county_counts = figures_for(OFFICER, county, TODAY).counts
    assert county_counts["children"] == 3000
    assert county_counts["due"] > 0 and county_counts["cat:left_behind"] > 0
    townships = sum_of_children(county)
    # A county node has no supervisor of its own: its staffing is its townships'.
    assert county_counts == townships
    for township in county.children.all()[:3]:
        assert figures_for(OFFICER, township, TODAY).counts - Counter(
            townships=1, townships_staffed=1
        ) == sum_of_children(township) - Counter(townships=1, townships_staffed=1)

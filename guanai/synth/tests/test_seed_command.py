"""The `seed` management command, end to end on the test database."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guanai.accounts.models import User
from guanai.geo.models import Division
from guanai.registry import idnumber
from guanai.registry.models import Child, Guardian, Household, Parent, Revision, School
from guanai.synth.generator import CHILD_COLUMNS, Generator, SeedConfig

COUNTY = "511321"
TODAY = "2025-06-01"

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    args = {"county_code": COUNTY, "children": 300, "seed": 3, "today": TODAY, **options}
    call_command("seed", stdout=out, **args)
    return out.getvalue()


def test_small_county_end_to_end():
    output = seed()
    assert "南部县(511321)" in output and "儿童 300 名" in output

    assert Division.objects.get(code="510000").name == "四川省"
    assert Division.objects.get(code="511300").parent.code == "510000"
    county = Division.objects.get(code=COUNTY)
    assert county.name == "南部县" and county.parent.code == "511300"
    townships = Division.objects.filter(level="township", code__startswith=COUNTY)
    villages = Division.objects.filter(level="village", code__startswith=COUNTY)
    assert townships.count() == 2 and villages.count() == 6
    assert all(v.parent.code == v.code[:9] for v in villages)

    children = Child.objects.filter(division_code__startswith=COUNTY)
    assert children.count() == 300
    households = Household.objects.filter(division_code__startswith=COUNTY)
    assert 150 <= households.count() < 300
    assert Guardian.objects.filter(child__in=children, is_primary=True).count() == 300
    assert Parent.objects.filter(household__in=households).count() >= households.count()
    assert School.objects.filter(division_code__startswith=COUNTY).count() >= 8
    assert not Revision.objects.exists()  # a seeded file has no revision yet

    for child in children.select_related("father", "mother", "division", "household"):
        assert child.division.code == child.division_code == child.household.division_code
        assert child.mother.household_id == child.household_id
        if child.father:
            assert child.father.household_id == child.household_id
        if child.id_number:
            parsed = idnumber.parse(child.id_number)
            assert (parsed.birth_date, parsed.sex) == (child.birth_date, child.sex)
        assert child.version == 1 and child.is_active and child.created_at

    # Ids were assigned by the loader: the next ORM insert must not collide (PostgreSQL sequences).
    village = villages.first()
    household = Household.objects.create(division=village, division_code=village.code)
    assert household.pk > max(households.exclude(pk=household.pk).values_list("pk", flat=True))
    Parent.objects.create(household=household, role="mother", name="测试")


def test_rows_in_the_database_are_the_generated_rows_in_order():
    seed(children=200)
    config = SeedConfig(county_code=COUNTY, children=200, seed=3, today=date(2025, 6, 1))
    generated = [row for chunk in Generator(config).chunks() for row in chunk.children]
    name, number = CHILD_COLUMNS.index("name"), CHILD_COLUMNS.index("id_number")
    stored = list(Child.objects.order_by("id").values_list("name", "id_number"))
    assert stored == [(row[name], row[number]) for row in generated]


def test_unknown_county_code():
    with pytest.raises(CommandError, match="未知的县级区划代码 123456"):
        seed(county_code="123456")
    assert not Child.objects.exists()


def test_refuses_to_seed_twice_without_replace():
    seed(children=120)
    with pytest.raises(CommandError, match="已有 120 名儿童.*--replace"):
        seed(children=120, seed=4)
    assert Child.objects.count() == 120


def test_replace_deletes_and_regenerates_the_same_data():
    seed(children=150)
    first = list(Child.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    village = Division.objects.filter(level="village", code__startswith=COUNTY).first()
    User.objects.create(username="director", role="child_director", division=village)

    output = seed(children=150, replace=True)
    assert "已删除原有儿童档案 150 份" in output
    again = list(Child.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    assert again == first  # same arguments, same people
    assert Child.objects.count() == 150
    assert Household.objects.filter(children__isnull=True).count() == 0
    assert User.objects.get(username="director").division_id == village.id


def test_replace_with_a_smaller_layout_drops_unused_villages():
    seed(children=100, townships=3, villages_per_township=3)
    seed(children=100, townships=2, villages_per_township=2, replace=True)
    assert Division.objects.filter(level="village", code__startswith=COUNTY).count() == 4
    assert Division.objects.filter(level="township", code__startswith=COUNTY).count() == 2


def test_bad_today_and_counts():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        seed(today="2025-13-01")
    with pytest.raises(CommandError, match="--today"):
        seed(today="2999-01-01")
    with pytest.raises(CommandError, match="负数"):
        seed(children=-1)


def test_id_number_already_on_file_elsewhere_is_reported_in_chinese():
    config = SeedConfig(county_code=COUNTY, children=50, seed=3, today=date(2025, 6, 1))
    at = CHILD_COLUMNS.index("id_number")
    rows = [row for chunk in Generator(config).chunks() for row in chunk.children]
    number = next(row[at] for row in rows if row[at])
    other = Division.objects.create(code="110105001001", name="某社区", level="village")
    household = Household.objects.create(division=other, division_code=other.code)
    Child.objects.create(
        household=household,
        division=other,
        division_code=other.code,
        name="甲",
        birth_date=date(2015, 1, 1),
        sex="M",
        id_number=number,
    )
    with pytest.raises(CommandError, match="冲突"):
        seed(children=50)

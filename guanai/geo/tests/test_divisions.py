import pytest
from django.core.management import CommandError, call_command

from guanai.core.errors import DomainError
from guanai.geo.models import Division, Level
from guanai.geo.services import divisions_load, parse_division_csv

CSV = """\ufeffcode,name,urban
360000,江西省,
360400,九江市,
360426,德安县,
360426001,蒲亭镇,
360426001001,东风村,
360426001002,城东社区,是
"""


@pytest.mark.django_db
def test_it_loads_a_division_list_with_levels_from_the_codes(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("load_divisions", str(path))
    village = Division.objects.get(code="360426001002")
    assert village.level == Level.VILLAGE and village.is_urban
    assert village.parent.code == "360426001"
    assert village.parent.parent.name == "德安县"
    assert [d.name for d in village.ancestors()] == ["江西省", "九江市", "德安县", "蒲亭镇"]
    assert village.prefix == "360426001002"
    assert Division.objects.get(code="360426").prefix == "360426"
    # Loading again updates in place.
    path.write_text(CSV.replace("东风村", "东风新村"), encoding="utf-8")
    call_command("load_divisions", str(path))
    assert Division.objects.get(code="360426001001").name == "东风新村"
    assert Division.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name\n12345,坏代码\n", "第 2 行"),
        ("code,name\n360426,\n", "名称不能为空"),
        ("name\n德安县\n", "缺少必需的列"),
        ("code,name,level\n360426,德安县,区县级\n", "层级"),
    ],
)
def test_bad_rows_are_named(text, message):
    with pytest.raises(DomainError, match=message):
        parse_division_csv(text)


@pytest.mark.django_db
def test_an_orphan_is_refused_and_nothing_is_saved():
    rows = parse_division_csv("code,name\n360426001,蒲亭镇\n")
    with pytest.raises(DomainError, match="找不到上级区划"):
        divisions_load(rows)
    assert not Division.objects.exists()


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("load_divisions", str(tmp_path / "none.csv"))


@pytest.mark.django_db
def test_filter_choices_offer_townships_then_the_chosen_townships_villages(place):
    from guanai.geo.selectors import division_filter_choices

    names = lambda qs: [d.name for d in qs]  # noqa: E731
    assert names(division_filter_choices(place.county, None)) == ["蒲亭镇", "聂桥镇"]
    chosen = division_filter_choices(place.county, str(place.township_1.pk))
    assert names(chosen) == ["蒲亭镇", "东风村", "青石村", "聂桥镇"]
    around_village = division_filter_choices(place.county, str(place.village_a.pk))
    assert "青石村" in names(around_village) and "河东村" not in names(around_village)
    # A node outside the user's own is ignored.
    assert names(division_filter_choices(place.township_2, str(place.village_a.pk))) == ["河东村"]

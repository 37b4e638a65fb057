from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guanai.rules.models import ChildFinding, RuleParameter
from guanai.rules.tests.factories import left_behind_build


def run(*args) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_evaluates_in_batch_as_of_a_day_and_division(place):
    left_behind_build(place.village_a)
    left_behind_build(place.village_c)
    output = run("evaluate", "--as-of", "2025-06-01", "--division", place.township_1.code)
    assert "儿童 1 名" in output and "新增 1" in output
    assert ChildFinding.objects.get().as_of == date(2025, 6, 1)
    again = run("evaluate", "--as-of", "2025-06-01", "--division", place.township_1.code)
    assert "新增 0,更新 0,结束 0" in again
    assert "试算" in run("evaluate", "--dry-run")


@pytest.mark.django_db
def test_a_county_sets_its_own_amount_from_a_date(place):
    output = run(
        "set-parameter", "dibao.standard_monthly.rural", "650", "--from", "2025-04-01",
        "--area", place.county.code, "--note", "县民政局通知",
    )  # fmt: skip
    assert "650" in output
    assert RuleParameter.objects.get(area_code=place.county.code).value == 650
    listing = run("parameters", "--area", place.village_a.code, "--as-of", "2025-04-01")
    assert "dibao.standard_monthly.rural\t农村低保标准\t650 元/月" in listing
    before = run("parameters", "--area", place.village_a.code, "--as-of", "2025-03-31")
    assert "dibao.standard_monthly.rural\t农村低保标准\t—(未设置)" in before


@pytest.mark.django_db
def test_it_refuses_bad_input(place):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("evaluate", "--as-of", "2025-13-01")
    with pytest.raises(CommandError, match="数值格式"):
        run("set-parameter", "child.age_below", "abc", "--from", "2025-01-01")
    with pytest.raises(CommandError, match="区划"):
        run("set-parameter", "child.age_below", "17", "--from", "2025-01-01", "--area", "3604x")

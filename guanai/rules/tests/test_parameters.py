import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from guanai.rules.defaults import LATER_DEFAULTS, NATIONAL_DEFAULTS
from guanai.rules.models import RuleParameter
from guanai.rules.parameters import SPECS, ParameterBook, ParameterRow, area_prefixes, book_load

VILLAGE = "360426001001"


def book(*rows) -> ParameterBook:
    return ParameterBook(ParameterRow(*row) for row in rows)


def test_the_most_specific_area_wins_then_the_latest_start():
    rows = book(
        ("x", "", date(2016, 1, 1), None, Decimal(1)),
        ("x", "", date(2024, 1, 1), None, Decimal(2)),
        ("x", "360426", date(2020, 1, 1), None, Decimal(3)),
        ("x", "360426", date(2025, 3, 1), None, Decimal(4)),
        ("x", "360427", date(2010, 1, 1), None, Decimal(9)),
    )
    assert rows.value("x", VILLAGE, date(2019, 12, 31)) == 1
    assert rows.value("x", VILLAGE, date(2020, 1, 1)) == 3
    assert rows.value("x", VILLAGE, date(2025, 2, 28)) == 3
    assert rows.value("x", VILLAGE, date(2025, 3, 1)) == 4
    assert rows.value("x", "360428001001", date(2025, 3, 1)) == 2
    assert rows.value("x", VILLAGE, date(2015, 12, 31)) is None


def test_an_ended_local_value_falls_back_to_the_area_above():
    rows = book(
        ("x", "", date(2016, 1, 1), None, Decimal(1)),
        ("x", "360426001", date(2024, 1, 1), date(2024, 12, 31), Decimal(5)),
    )
    assert rows.value("x", VILLAGE, date(2024, 12, 31)) == 5
    assert rows.value("x", VILLAGE, date(2025, 1, 1)) == 1


def test_amounts_read_as_words_for_reasons():
    params = book(
        ("rehabilitation.limb_surgery_once", "", date(2016, 1, 1), None, Decimal("17200.00"))
    )
    assert (
        params.params(VILLAGE, date(2025, 1, 1)).amount("rehabilitation.limb_surgery_once")
        == "17200 元"
    )
    assert params.params(VILLAGE, date(2025, 1, 1)).amount("dibao.child_supplement_monthly") == ""


def test_area_prefixes():
    assert area_prefixes(VILLAGE) == ["", "36", "3604", "360426", "360426001", VILLAGE]
    assert area_prefixes("360426") == ["", "36", "3604", "360426"]


def test_every_parameter_the_rules_read_is_specified_and_every_default_too():
    source = (Path(__file__).parents[1] / "definitions.py").read_text()
    names = set(re.findall(r'"((?:[a-z_]+\.)+[a-z_]+)"', source))
    assert names - set(SPECS) == set()
    assert {name for name, _, _ in NATIONAL_DEFAULTS} <= set(SPECS)
    assert {name for name, _, _, _ in LATER_DEFAULTS} <= set(SPECS)


@pytest.mark.django_db
def test_the_migration_ships_the_national_defaults():
    national = RuleParameter.objects.filter(area_code="").count()
    assert national == len(NATIONAL_DEFAULTS) + len(LATER_DEFAULTS)
    params = book_load(VILLAGE).params(VILLAGE, date(2025, 6, 1))
    assert params.whole("left_behind.age_below") == 16
    assert params.whole("de_facto.imprisonment_years") == 5
    assert params.whole("rehabilitation.training_max_age.limb") == 7
    assert params.whole("de_facto_2019.out_of_contact_months") == 6
    assert params.whole("de_facto_2019.in_force") is None  # an area adopts it from its day

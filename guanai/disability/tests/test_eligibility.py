from datetime import date

import pytest

from guanai.disability.eligibility import Facts, age_on, check

DAY = date(2026, 6, 1)


def facts(age: int, kind="training", category="limb", residence="household", **extra):
    return Facts(
        birth_date=date(DAY.year - age, 1, 1),
        category=category,
        kind=kind,
        residence=residence,
        hukou_in_county=extra.pop("hukou_in_county", True),
        **extra,
    )


@pytest.mark.parametrize(
    ("kind", "category", "oldest"),
    [
        ("training", "limb", 7),
        ("limb_surgery", "limb", 17),
        ("training", "vision", 14),
        ("training", "hearing", 14),
        ("training", "speech", 14),
        ("training", "intellectual", 14),
        ("training", "autism", 14),
        ("cochlear_implant", "hearing", 6),
    ],
)
def test_ages_by_kind_bounds_included(kind, category, oldest):
    assert check(facts(oldest, kind, category), DAY).eligible
    refused = check(facts(oldest + 1, kind, category), DAY)
    assert not refused.eligible
    assert f"0-{oldest} 岁" in refused.reason
    assert refused.field == "child"


@pytest.mark.parametrize("residence", ["household", "temporary", "permit"])
def test_any_of_the_three_residences_will_do(residence):
    result = check(facts(5, residence=residence, hukou_in_county=residence != "household"), DAY)
    assert result.eligible == (residence != "household")


def test_household_registration_elsewhere_is_refused_with_the_rule():
    result = check(facts(5, hukou_in_county=False), DAY)
    assert not result.eligible
    assert "户籍不在本县" in result.reason
    assert "暂住登记或居住证" in result.reason


def test_a_cochlear_implant_is_for_hearing_and_mental_disability_has_no_programme():
    assert check(facts(3, "cochlear_implant", "limb"), DAY).field == "category"
    assert "不在康复救助的残疾类别内" in check(facts(3, "training", "mental"), DAY).reason


def test_a_device_must_fit_the_disability():
    ok = check(facts(5, "device", "hearing", device="hearing_aids"), DAY)
    assert ok.eligible
    wrong = check(facts(5, "device", "hearing", device="wheelchair"), DAY)
    assert "肢体残疾儿童" in wrong.reason


def test_age_is_in_full_years():
    assert age_on(date(2019, 6, 2), DAY) == 6
    assert age_on(date(2019, 6, 1), DAY) == 7

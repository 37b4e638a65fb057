"""事实无人抚养 in its two versions: 国发〔2016〕36号 by default (seed 004), 民发〔2019〕62号 from
the day an area adopts it, cited in the reason (pure, no database)."""

from datetime import date
from decimal import Decimal

import pytest

from guanai.rules.parameters import Params
from guanai.rules.tests.builders import child, father, finding, mother, national

ON = date(2025, 6, 1)
DEAD_FATHER = father("dead", date(2019, 3, 1))


def adopted(on: date = ON) -> Params:
    base = national(on)
    return Params(base.division_code, on, base.values | {"de_facto_2019.in_force": Decimal(1)})


@pytest.mark.parametrize(
    ("label", "facts", "in_2016", "in_2019"),
    [
        (
            "dead + seriously ill",
            child(father=DEAD_FATHER, mother=mother("seriously_ill")),
            False,
            True,
        ),
        (
            "dead + seriously disabled",
            child(father=DEAD_FATHER, mother=mother("seriously_disabled")),
            False,
            True,
        ),
        (
            "dead + imprisoned 2 years",
            child(
                father=DEAD_FATHER, mother=mother("imprisoned", date(2024, 1, 1), date(2026, 1, 1))
            ),
            False,
            True,
        ),
        (
            "missing + seriously ill",
            child(father=father("missing", date(2020, 1, 1)), mother=mother("seriously_ill")),
            False,
            True,
        ),
        (
            "both seriously ill",
            child(father=father("seriously_ill"), mother=mother("seriously_ill")),
            False,
            True,
        ),
        (
            "dead + out of contact 7 months",
            child(father=DEAD_FATHER, mother=mother("left_home", date(2024, 11, 1))),
            False,
            True,
        ),
        (
            "dead + out of contact 5 months",
            child(father=DEAD_FATHER, mother=mother("left_home", date(2025, 1, 1))),
            False,
            False,
        ),
        (
            "dead + missing (both versions)",
            child(father=DEAD_FATHER, mother=mother("missing")),
            True,
            True,
        ),
        (
            "dead + compulsory drug rehabilitation",
            child(
                father=DEAD_FATHER,
                mother=mother("drug_rehab", date(2024, 6, 1), date(2026, 6, 1)),
            ),
            False,
            True,
        ),
        (
            "missing + other restriction of liberty",
            child(father=father("missing", date(2020, 1, 1)), mother=mother("restricted")),
            False,
            True,
        ),
        (
            "dead + rehabilitation ended",
            child(
                father=DEAD_FATHER,
                mother=mother("drug_rehab", date(2023, 1, 1), date(2025, 1, 1)),
            ),
            False,
            False,
        ),
        ("dead + at home", child(father=DEAD_FATHER, mother=mother()), False, False),
    ],
)
def test_the_2019_definition_is_wider_and_only_where_adopted(label, facts, in_2016, in_2019):
    assert (finding(facts, ON, "de_facto_unsupported") is not None) == in_2016, label
    found = finding(facts, ON, "de_facto_unsupported", adopted())
    assert (found is not None) == in_2019, label
    if found is not None:
        assert "按民发〔2019〕62号认定" in found.reason


def test_the_allowance_follows_the_version():
    ill = child(father=DEAD_FATHER, mother=mother("seriously_ill"))
    assert finding(ill, ON, "orphan_allowance") is None
    allowance = finding(ill, ON, "orphan_allowance", adopted())
    assert allowance is not None and allowance.reason.startswith("事实无人抚养儿童")


def test_under_the_2019_version_the_child_qualifies_from_the_day_it_took_effect():
    """符合起始: the first day the child qualified under the version in force — not before the
    area adopted 民发〔2019〕62号, and not before the parents' situations began."""
    base = national(ON)
    in_force = {"de_facto_2019.in_force": Decimal(1)}
    adopted_2024 = Params(
        base.division_code, ON, base.values | in_force, {"de_facto_2019.in_force": date(2024, 7, 1)}
    )
    missing_2025 = child(
        father=DEAD_FATHER, mother=mother("imprisoned", date(2025, 2, 1), date(2027, 2, 1))
    )
    assert finding(missing_2025, ON, "de_facto_unsupported", adopted_2024).since == date(2025, 2, 1)
    dead_and_missing_long = child(father=DEAD_FATHER, mother=mother("missing", date(2020, 1, 1)))
    found = finding(dead_and_missing_long, ON, "de_facto_unsupported", adopted_2024)
    assert found.since == date(2024, 7, 1)
    # Under the 2016 definition the same child qualified from the later of the parents' dates.
    assert finding(dead_and_missing_long, ON, "de_facto_unsupported").since == date(2020, 1, 1)


def test_a_rehabilitation_ends_on_its_date_with_the_reason():
    found = finding(
        child(father=DEAD_FATHER, mother=mother("drug_rehab", date(2024, 6, 1), date(2026, 6, 1))),
        ON,
        "de_facto_unsupported",
        adopted(),
    )
    assert "母亲 2024-06 起强制隔离戒毒至 2026-06" in found.reason
    assert found.until == date(2026, 6, 1) and found.until_reason == "母亲解除强制隔离戒毒"

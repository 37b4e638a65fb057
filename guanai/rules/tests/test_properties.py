"""Properties of the rules over generated files (hypothesis)."""

from datetime import date, timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from guanai.registry.choices import (
    DisabilityCategory,
    EconomicStatus,
    GuardianCapacity,
    ParentStatus,
    SchoolStage,
)
from guanai.rules.choices import Benefit, FindingKind, HardshipKind
from guanai.rules.definitions import SCHOOL, add_years, evaluate, evaluate_rules, topics
from guanai.rules.facts import ChildFacts, EventFacts, ParentFacts, ReceiptFacts
from guanai.rules.tests.builders import VILLAGE, national

# Enough examples to find boundary mistakes, few enough to keep the suite fast.
PROPERTY = settings(max_examples=120, deadline=None)
DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
MAYBE_DAY = st.none() | DAYS
ON = st.dates(min_value=date(2017, 1, 1), max_value=date(2030, 12, 31))


def parents(dated: bool = True):
    return st.none() | st.builds(
        ParentFacts,
        role=st.just("father"),
        status=st.sampled_from(ParentStatus.values),
        since=MAYBE_DAY if dated else st.none(),
        until=MAYBE_DAY if dated else st.none(),
        away_destination=st.sampled_from(["", "广东"]),
        disability_category=st.sampled_from(["", *DisabilityCategory.values]),
        disability_grade=st.none() | st.integers(1, 4),
        has_aids=st.booleans(),
        can_work=st.booleans(),
        guardianship_capacity=st.sampled_from(GuardianCapacity.values),
    )


def mothers(dated: bool = True):
    return parents(dated).map(lambda p: p and p._replace(role="mother"))


EVENTS = st.lists(
    st.builds(EventFacts, st.sampled_from(HardshipKind.values), DAYS, MAYBE_DAY, st.booleans()),
    max_size=2,
).map(tuple)
RECEIPTS = st.lists(
    st.builds(ReceiptFacts, st.sampled_from(Benefit.values), DAYS, MAYBE_DAY), max_size=2
).map(tuple)


def files(dated: bool = True, with_receipts: bool = True):
    return st.builds(
        ChildFacts,
        child_id=st.just(1),
        division_code=st.just(VILLAGE),
        is_active=st.booleans(),
        birth_date=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 1, 1)),
        urban=st.booleans(),
        lives_with_parents=st.booleans(),
        hukou_region_code=st.sampled_from(["", "360426", "360102"]),
        hukou_type=st.just("rural"),
        economic_status=st.sampled_from(EconomicStatus.values),
        poverty_registered=st.booleans(),
        school_stage=st.sampled_from(SchoolStage.values),
        disability_category=st.sampled_from(["", *DisabilityCategory.values]),
        disability_grade=st.none() | st.integers(1, 4),
        has_serious_illness=st.booleans(),
        father=parents(dated),
        mother=mothers(dated),
        events=EVENTS if dated else st.just(()),
        receipts=RECEIPTS if with_receipts else st.just(()),
    )


@PROPERTY
@given(files(), ON)
def test_no_finding_without_a_reason(facts, on):
    for found in evaluate(facts, national(on), on):
        assert found.kind in FindingKind.values
        assert (
            found.label and found.reason.endswith(found.label) or f"→ {found.label}" in found.reason
        )
        assert len(found.reason) > len(found.label) + 3
        assert found.until is not None and found.until >= on
        assert found.until_reason
        assert found.since is None or found.since <= on


@PROPERTY
@given(files(), ON)
def test_evaluation_is_deterministic_and_pure(facts, on):
    before = repr(facts)
    first = evaluate(facts, national(on), on)
    assert evaluate(facts, national(on), on) == first
    assert repr(facts) == before


@PROPERTY
@given(files(dated=False, with_receipts=False), ON, st.integers(1, 4000))
def test_growing_older_only_takes_findings_away(facts, on, days):
    """With nothing dated in the file, every limit is an age limit: later findings are a subset.

    One exception by design: at 16 特困 support ends, and with it the full medical-insurance
    funding, so a severely disabled or 低保 child moves to the partial subsidy."""
    assume(facts.birth_date <= on)
    later = on + timedelta(days=days)
    earlier_codes = {f.code for f in evaluate(facts, national(on), on)}
    later_codes = {f.code for f in evaluate(facts, national(later), later)}
    lapsed = {"medical_insurance_subsidy"} if "medical_insurance_full" in earlier_codes else set()
    assert later_codes - lapsed <= earlier_codes


@PROPERTY
@given(files(), ON)
def test_nobody_of_18_has_a_finding(facts, on):
    if add_years(facts.birth_date, 18) <= on:
        assert evaluate(facts, national(on), on) == []


def _parent(role, status, since=None, disability=""):
    return ParentFacts(
        role=role,
        status=status,
        since=since,
        until=None,
        away_destination="",
        disability_category=disability,
        disability_grade=None,
        has_aids=False,
        can_work=False,
        guardianship_capacity="full",
    )


# Found by the property below: a mother recorded as dead from a day after `on` was, until then,
# a disabled mother, and "de facto unsupported" ran to the 18th birthday across her death.
FUTURE_DEATH = ChildFacts(
    child_id=1,
    division_code=VILLAGE,
    is_active=True,
    birth_date=date(2004, 1, 1),
    urban=False,
    lives_with_parents=False,
    hukou_region_code="",
    hukou_type="rural",
    economic_status="none",
    poverty_registered=False,
    school_stage="none",
    disability_category="",
    disability_grade=None,
    has_serious_illness=False,
    father=_parent("father", "dead"),
    mother=_parent("mother", "dead", date(2017, 1, 2), "intellectual"),
    events=(),
    receipts=(),
)


def test_a_finding_ends_on_the_eve_of_a_recorded_change():
    on = date(2017, 1, 1)
    [unsupported] = [
        f for f in evaluate(FUTURE_DEATH, national(on), on) if f.code == "de_facto_unsupported"
    ]
    assert unsupported.until == on and unsupported.until_reason == "母亲 2017-01死亡"
    later = {f.code for f in evaluate(FUTURE_DEATH, national(on + timedelta(1)), on + timedelta(1))}
    assert "orphan" in later and "de_facto_unsupported" not in later


@PROPERTY
@example(FUTURE_DEATH, date(2017, 1, 1))
@given(files(), ON)
def test_a_category_holds_through_its_until(facts, on):
    """`until` is the last day a category holds if the file does not change."""
    for found in evaluate(facts, national(on), on):
        if found.kind == FindingKind.CATEGORY:
            later = {f.code for f in evaluate(facts, national(found.until), found.until)}
            assert found.code in later, (found, found.until)


@PROPERTY
@given(files(), ON)
def test_the_shortcuts_change_nothing(facts, on):
    """Skipping quiet files and rules whose topics are not on the file finds the same."""
    every = evaluate_rules(facts, national(on), on, every_rule=True)
    if facts.is_active and facts.birth_date <= on:
        assert evaluate(facts, national(on), on) == every
    if not topics(facts) & ~SCHOOL:
        assert every == []


@PROPERTY
@given(files(), ON)
def test_benefits_follow_from_their_categories(facts, on):
    codes = {f.code for f in evaluate(facts, national(on), on)}
    if "orphan_allowance" in codes:
        assert {"orphan", "de_facto_unsupported"} & codes
    if "temporary_assistance" in codes:
        assert "temporary_difficulty" in codes
    if "medical_insurance_full" in codes:
        assert "tekun_support" in codes and "medical_insurance_subsidy" not in codes
    assert not {"orphan_allowance", "tekun_support"} <= codes
    assert not {"orphan_allowance", "dibao"} <= codes

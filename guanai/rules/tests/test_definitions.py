"""Every sub-condition of every category and benefit, with its boundaries (pure, no database)."""

from datetime import date, timedelta

import pytest

from guanai.rules.definitions import add_months, add_years, age_on, evaluate, evaluate_rules
from guanai.rules.tests.builders import (
    child,
    codes,
    event,
    father,
    finding,
    mother,
    national,
    receipt,
    with_,
)

ON = date(2025, 6, 1)
DAY = timedelta(days=1)


def turning(years: int, in_days: int = 0) -> date:
    """The birth date of a child whose `years`-th birthday is `in_days` after ON."""
    return add_years(ON + timedelta(days=in_days), -years)


AWAY = {"status": "working_away", "since": date(2022, 3, 1)}
BOTH_AWAY = {"father": father(**AWAY), "mother": mother(**AWAY)}
DEAD_FATHER = father("dead", date(2019, 3, 1))
IN_PRIMARY = {"school_stage": "primary"}
LIMB_3 = {"disability_category": "limb", "disability_grade": 3}


def imprisoned(role_builder, since, until):
    return role_builder("imprisoned", since, until)


CASES = [
    # ---- left-behind: under 16, both away, or one away and the other without capacity
    ("left_behind", "both parents away", child(**BOTH_AWAY), True),
    ("left_behind", "away + mother recorded without capacity",
     child(father=father(**AWAY), mother=mother(guardianship_capacity="none")), True),
    ("left_behind", "away + mother dead", child(father=father(**AWAY), mother=mother("dead")), True),
    ("left_behind", "away + mother seriously ill",
     child(father=father(**AWAY), mother=mother("seriously_ill")), True),
    ("left_behind", "away + mother seriously disabled",
     child(father=father(**AWAY), mother=mother("seriously_disabled")), True),
    ("left_behind", "away + mother missing", child(father=father(**AWAY), mother=mother("missing")), True),
    ("left_behind", "mother away + father imprisoned",
     child(mother=mother(**AWAY), father=imprisoned(father, date(2024, 1, 1), date(2027, 1, 1))), True),
    ("left_behind", "away + mother at home", child(father=father(**AWAY)), False),
    ("left_behind", "away + mother remarried (absent, not incapable)",
     child(father=father(**AWAY), mother=mother("remarried")), False),
    ("left_behind", "day before the 16th birthday", child(birth_date=turning(16, 1), **BOTH_AWAY), True),
    ("left_behind", "on the 16th birthday", child(birth_date=turning(16), **BOTH_AWAY), False),
    ("left_behind", "day after the 16th birthday", child(birth_date=turning(16, -1), **BOTH_AWAY), False),
    ("left_behind", "mother leaves only next month",
     child(father=father(**AWAY), mother=mother("working_away", date(2025, 7, 1))), False),
    ("left_behind", "father came back (away until yesterday)",
     child(father=father("working_away", date(2022, 1, 1), ON - DAY), mother=mother(**AWAY)), False),
    # ---- migrant: living with the parents away from the household registration
    ("migrant", "hukou in another county", child(lives_with_parents=True, hukou_region_code="360102"), True),
    ("migrant", "hukou in this county", child(lives_with_parents=True, hukou_region_code="360426"), False),
    ("migrant", "not living with the parents", child(hukou_region_code="360102"), False),
    ("migrant", "hukou unknown", child(lives_with_parents=True), False),
    # ---- family difficulty
    ("family_difficulty", "dead + seriously ill", child(father=DEAD_FATHER, mother=mother("seriously_ill")), True),
    ("family_difficulty", "dead + seriously disabled",
     child(father=DEAD_FATHER, mother=mother("seriously_disabled")), True),
    ("family_difficulty", "dead + disability grade 2 at home",
     child(father=DEAD_FATHER, mother=mother(disability_category="limb", disability_grade=2)), True),
    ("family_difficulty", "dead + disability grade 3 (not severe)",
     child(father=DEAD_FATHER, mother=mother(disability_category="limb", disability_grade=3)), False),
    ("family_difficulty", "both seriously ill",
     child(father=father("seriously_ill"), mother=mother("seriously_ill")), True),
    ("family_difficulty", "ill + disabled",
     child(father=father("seriously_ill"), mother=mother("seriously_disabled")), True),
    ("family_difficulty", "dead + at home", child(father=DEAD_FATHER), False),
    ("family_difficulty", "低保 family", child(economic_status="dibao"), True),
    ("family_difficulty", "特困 family", child(economic_status="tekun"), True),
    ("family_difficulty", "低收入 family", child(economic_status="low_income"), True),
    ("family_difficulty", "建档立卡 family", child(poverty_registered=True), True),
    # ---- own difficulty
    ("own_difficulty", "disability certificate", child(**LIMB_3), True),
    ("own_difficulty", "serious illness", child(has_serious_illness=True), True),
    ("own_difficulty", "healthy", child(), False),
    # ---- guardianship difficulty: the seed's pairs and recorded harm
    ("guardianship_difficulty", "dead + missing", child(father=DEAD_FATHER, mother=mother("missing")), True),
    ("guardianship_difficulty", "dead + remarried", child(father=DEAD_FATHER, mother=mother("remarried")), True),
    ("guardianship_difficulty", "dead + imprisoned",
     child(father=DEAD_FATHER, mother=imprisoned(mother, date(2024, 1, 1), date(2026, 1, 1))), True),
    ("guardianship_difficulty", "missing + seriously disabled",
     child(father=father("missing"), mother=mother("seriously_disabled")), True),
    ("guardianship_difficulty", "missing + imprisoned",
     child(father=imprisoned(father, date(2023, 5, 1), date(2029, 4, 30)), mother=mother("missing")), True),
    ("guardianship_difficulty", "seriously disabled + imprisoned",
     child(father=imprisoned(father, date(2023, 5, 1), date(2029, 4, 30)), mother=mother("seriously_disabled")), True),
    ("guardianship_difficulty", "both missing", child(father=father("missing"), mother=mother("missing")), True),
    ("guardianship_difficulty", "both imprisoned",
     child(father=imprisoned(father, date(2023, 5, 1), date(2029, 4, 30)),
           mother=imprisoned(mother, date(2024, 5, 1), date(2026, 4, 30))), True),
    ("guardianship_difficulty", "released yesterday",
     child(father=DEAD_FATHER, mother=imprisoned(mother, date(2020, 1, 1), ON - DAY)), False),
    ("guardianship_difficulty", "released today (last day served)",
     child(father=DEAD_FATHER, mother=imprisoned(mother, date(2020, 1, 1), ON)), True),
    ("guardianship_difficulty", "missing + at home", child(father=father("missing")), False),
    ("guardianship_difficulty", "abuse, open", child(events=(event("abuse", date(2025, 5, 1)),)), True),
    ("guardianship_difficulty", "abuse, dealt with",
     child(events=(event("abuse", date(2025, 1, 1), ON - DAY),)), False),
    ("guardianship_difficulty", "abandonment", child(events=(event("abandonment", date(2025, 5, 1)),)), True),
    ("guardianship_difficulty", "harm from improper guardianship",
     child(events=(event("guardianship_harm", date(2025, 5, 1)),)), True),
    # ---- temporary difficulty: a recorded event, its end or the default six months
    ("temporary_difficulty", "accident this spring", child(events=(event("accident", date(2025, 3, 1)),)), True),
    ("temporary_difficulty", "sudden event", child(events=(event("sudden_event", date(2025, 5, 1)),)), True),
    ("temporary_difficulty", "serious illness", child(events=(event("serious_illness", date(2025, 5, 1)),)), True),
    ("temporary_difficulty", "other hardship", child(events=(event("other", date(2025, 5, 1)),)), True),
    ("temporary_difficulty", "last day of the six months",
     child(events=(event("accident", add_months(ON, -6) + DAY),)), True),
    ("temporary_difficulty", "six months are over", child(events=(event("accident", add_months(ON, -6)),)), False),
    ("temporary_difficulty", "ended yesterday",
     child(events=(event("accident", date(2025, 3, 1), ON - DAY),)), False),
    ("temporary_difficulty", "ends today", child(events=(event("accident", date(2024, 3, 1), ON),)), True),
    ("temporary_difficulty", "happens next week", child(events=(event("accident", ON + 7 * DAY),)), False),
    ("temporary_difficulty", "abuse is not temporary", child(events=(event("abuse", date(2025, 5, 1)),)), False),
    # ---- orphan
    ("orphan", "both parents dead", child(father=DEAD_FATHER, mother=mother("dead")), True),
    ("orphan", "abandoned, parents unknown",
     child(father=father("unknown"), mother=mother("unknown"), events=(event("abandonment", date(2016, 1, 1)),)), True),
    ("orphan", "abandoned, no parent on file",
     child(father=None, mother=None, events=(event("abandonment", date(2016, 1, 1)),)), True),
    ("orphan", "abandoned by a known father", child(events=(event("abandonment", date(2016, 1, 1)),)), False),
    ("orphan", "dead + missing is not an orphan", child(father=DEAD_FATHER, mother=mother("missing")), False),
    # ---- de-facto unsupported: one dead and the other ...
    ("de_facto_unsupported", "missing", child(father=DEAD_FATHER, mother=mother("missing")), True),
    ("de_facto_unsupported", "mentally disabled",
     child(father=DEAD_FATHER, mother=mother(disability_category="mental", disability_grade=3)), True),
    ("de_facto_unsupported", "intellectually disabled",
     child(father=DEAD_FATHER, mother=mother(disability_category="intellectual", disability_grade=4)), True),
    ("de_facto_unsupported", "AIDS, unable to work",
     child(father=DEAD_FATHER, mother=mother(has_aids=True, can_work=False)), True),
    ("de_facto_unsupported", "AIDS, able to work", child(father=DEAD_FATHER, mother=mother(has_aids=True)), False),
    ("de_facto_unsupported", "imprisoned exactly 5 years",
     child(father=DEAD_FATHER, mother=imprisoned(mother, date(2021, 6, 1), date(2026, 6, 1))), True),
    ("de_facto_unsupported", "imprisoned a day short of 5 years",
     child(father=DEAD_FATHER, mother=imprisoned(mother, date(2021, 6, 1), date(2026, 5, 31))), False),
    ("de_facto_unsupported", "gone from home exactly 3 years",
     child(father=DEAD_FATHER, mother=mother("left_home", add_years(ON, -3))), True),
    ("de_facto_unsupported", "gone from home a day short of 3 years",
     child(father=DEAD_FATHER, mother=mother("left_home", add_years(ON, -3) + DAY)), False),
    ("de_facto_unsupported", "gone from home, since when unknown", child(father=DEAD_FATHER, mother=mother("left_home")), False),
    ("de_facto_unsupported", "limb disability is not enough",
     child(father=DEAD_FATHER, mother=mother(disability_category="limb", disability_grade=3)), False),
    # ---- orphan basic living allowance
    ("orphan_allowance", "orphan", child(father=DEAD_FATHER, mother=mother("dead")), True),
    ("orphan_allowance", "de-facto unsupported", child(father=DEAD_FATHER, mother=mother("missing")), True),
    ("orphan_allowance", "day before the 18th birthday",
     child(birth_date=turning(18, 1), father=DEAD_FATHER, mother=mother("dead")), True),
    ("orphan_allowance", "on the 18th birthday",
     child(birth_date=turning(18), father=DEAD_FATHER, mother=mother("dead")), False),
    ("orphan_allowance", "guardianship difficulty only",
     child(father=father("missing"), mother=mother("missing")), False),
    # ---- 特困 support
    ("tekun_support", "特困 family, under 16", child(economic_status="tekun"), True),
    ("tekun_support", "day before the 16th birthday", child(economic_status="tekun", birth_date=turning(16, 1)), True),
    ("tekun_support", "on the 16th birthday", child(economic_status="tekun", birth_date=turning(16)), False),
    ("tekun_support", "orphan: the orphan allowance instead",
     child(economic_status="tekun", father=DEAD_FATHER, mother=mother("dead")), False),
    ("tekun_support", "低保 family", child(economic_status="dibao"), False),
    # ---- 低保
    ("dibao", "低保 family", child(economic_status="dibao"), True),
    ("dibao", "低保 family, 17", child(economic_status="dibao", birth_date=turning(18, 1)), True),
    ("dibao", "orphan in a 低保 household: the orphan allowance instead",
     child(economic_status="dibao", father=DEAD_FATHER, mother=mother("dead")), False),
    ("dibao", "低收入 family", child(economic_status="low_income"), False),
    # ---- temporary assistance
    ("temporary_assistance", "open event, no other help", child(events=(event("accident", date(2025, 5, 1)),)), True),
    ("temporary_assistance", "event marked as otherwise assisted",
     child(events=(event("accident", date(2025, 5, 1), other_assistance=True),)), False),
    ("temporary_assistance", "already receiving 低保",
     child(events=(event("accident", date(2025, 5, 1)),), receipts=(receipt("dibao", date(2024, 1, 1)),)), False),
    ("temporary_assistance", "低保 stopped last year",
     child(events=(event("accident", date(2025, 5, 1)),),
           receipts=(receipt("dibao", date(2023, 1, 1), date(2024, 12, 31)),)), True),
    ("temporary_assistance", "event over", child(events=(event("accident", date(2024, 1, 1), date(2024, 2, 1)),)), False),
    # ---- the two disability subsidies
    ("disability_living_subsidy", "disabled, 低保 family", child(economic_status="dibao", **LIMB_3), True),
    ("disability_living_subsidy", "disabled, not poor", child(**LIMB_3), False),
    ("disability_living_subsidy", "disabled orphan (allowance instead)",
     child(economic_status="dibao", father=DEAD_FATHER, mother=mother("dead"), **LIMB_3), False),
    ("disability_care_subsidy", "grade 1", child(disability_category="vision", disability_grade=1), True),
    ("disability_care_subsidy", "grade 2", child(disability_category="vision", disability_grade=2), True),
    ("disability_care_subsidy", "grade 3", child(disability_category="vision", disability_grade=3), False),
    # ---- medical insurance
    ("medical_insurance_full", "特困 support", child(economic_status="tekun"), True),
    ("medical_insurance_full", "特困 family, 16 (support over)",
     child(economic_status="tekun", birth_date=turning(16)), False),
    ("medical_insurance_subsidy", "低保 family", child(economic_status="dibao"), True),
    ("medical_insurance_subsidy", "severely disabled", child(disability_category="hearing", disability_grade=2), True),
    ("medical_insurance_subsidy", "特困 support pays in full instead", child(economic_status="tekun"), False),
    ("medical_insurance_subsidy", "grade 3, not poor", child(**LIMB_3), False),
    # ---- education
    ("education_compulsory", "in difficulty, primary", child(economic_status="dibao", **IN_PRIMARY), True),
    ("education_compulsory", "in difficulty, junior", child(economic_status="dibao", school_stage="junior"), True),
    ("education_compulsory", "in difficulty, special school", child(school_stage="special", **LIMB_3), True),
    ("education_compulsory", "in difficulty, senior", child(economic_status="dibao", school_stage="senior"), False),
    ("education_compulsory", "left-behind only", child(**BOTH_AWAY, **IN_PRIMARY), False),
    ("education_disabled_free", "disabled, poor, senior",
     child(poverty_registered=True, school_stage="senior", **LIMB_3), True),
    ("education_disabled_free", "disabled, poor, primary",
     child(economic_status="low_income", **IN_PRIMARY, **LIMB_3), True),
    ("education_disabled_free", "disabled, not poor", child(school_stage="senior", **LIMB_3), False),
    ("education_disabled_free", "disabled, poor, kindergarten",
     child(poverty_registered=True, school_stage="kindergarten", **LIMB_3), False),
    ("education_senior_waiver", "建档立卡, senior", child(poverty_registered=True, school_stage="senior"), True),
    ("education_senior_waiver", "特困, senior", child(economic_status="tekun", school_stage="senior"), True),
    ("education_senior_waiver", "not poor, senior", child(school_stage="senior"), False),
    ("education_senior_waiver", "建档立卡, junior", child(poverty_registered=True, school_stage="junior"), False),
    # ---- rehabilitation by kind of disability and age
    ("rehabilitation", "limb, 7 (training)", child(birth_date=turning(8, 1), **LIMB_3), True),
    ("rehabilitation", "limb, 17 (surgery)", child(birth_date=turning(18, 1), **LIMB_3), True),
    ("rehabilitation", "vision, 14", child(birth_date=turning(15, 1), disability_category="vision", disability_grade=3), True),
    ("rehabilitation", "vision, 15", child(birth_date=turning(15), disability_category="vision", disability_grade=3), False),
    ("rehabilitation", "hearing, 14", child(birth_date=turning(15, 1), disability_category="hearing", disability_grade=3), True),
    ("rehabilitation", "speech, 14", child(birth_date=turning(15, 1), disability_category="speech", disability_grade=3), True),
    ("rehabilitation", "intellectual, 14",
     child(birth_date=turning(15, 1), disability_category="intellectual", disability_grade=3), True),
    ("rehabilitation", "autism, 14", child(birth_date=turning(15, 1), disability_category="autism", disability_grade=3), True),
    ("rehabilitation", "autism, 15", child(birth_date=turning(15), disability_category="autism", disability_grade=3), False),
    ("rehabilitation", "mental disability (not in the programme)",
     child(disability_category="mental", disability_grade=3), False),
    ("rehabilitation", "no disability", child(), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "facts", "expected"),
    [(code, facts, expected) for code, _, facts, expected in CASES],
    ids=[f"{code}: {name}" for code, name, _, _ in CASES],
)
def test_each_condition(code, facts, expected):
    assert (code in codes(facts, ON)) is expected


def test_the_table_covers_every_category_and_benefit_both_ways():
    from guanai.rules.choices import Benefit, Category

    covered = {(code, expected) for code, _, _, expected in CASES}
    for code in [*Category.values, *Benefit.values]:
        assert (code, True) in covered, code
        assert (code, False) in covered, code


def test_the_reason_names_the_facts():
    facts = child(
        father=imprisoned(father, date(2023, 5, 1), date(2029, 4, 30)),
        mother=mother("missing", date(2021, 2, 1)),
    )
    found = finding(facts, ON, "guardianship_difficulty")
    assert found.reason == "父亲 2023-05 起服刑至 2029-04;母亲 2021-02 起失踪 → 监护困境儿童"
    assert found.since == date(2023, 5, 1)
    assert (found.until, found.until_reason) == (date(2029, 4, 30), "父亲刑满释放")


def test_a_left_behind_child_ends_on_the_16th_birthday_or_when_a_parent_returns():
    facts = child(
        father=father("working_away", date(2022, 3, 1), date(2027, 1, 31)),
        mother=mother(**AWAY),
    )
    found = finding(facts, ON, "left_behind")
    assert "父亲 2022-03 起外出务工至 2027-01(广东省东莞市)" in found.reason
    assert "2015-03 出生,未满16周岁" in found.reason
    assert found.until == date(2027, 1, 31)
    later = finding(with_(facts, father=father(**AWAY)), ON, "left_behind")
    assert (later.until, later.until_reason) == (date(2031, 3, 8), "满16周岁")


def test_every_finding_ends_by_the_eve_of_the_18th_birthday():
    facts = child(economic_status="dibao", birth_date=date(2008, 2, 29))
    found = finding(facts, date(2026, 2, 28), "dibao")
    # Born on 29 February: the 18th birthday in a common year is 1 March.
    assert (found.until, found.until_reason) == (date(2026, 2, 28), "满18周岁")
    assert codes(facts, date(2026, 3, 1)) == set()


def test_rehabilitation_names_the_services_open_at_the_age():
    limb_7 = finding(child(birth_date=turning(8, 1), **LIMB_3), ON, "rehabilitation")
    assert "康复训练救助(7周岁及以下,标准 17000 元/年)" in limb_7.reason
    assert "肢体矫治手术救助(17周岁及以下,标准 17200 元)" in limb_7.reason
    limb_8 = finding(child(birth_date=turning(8), **LIMB_3), ON, "rehabilitation")
    assert "康复训练" not in limb_8.reason
    hearing = {"disability_category": "hearing", "disability_grade": 2}
    assert (
        "人工耳蜗"
        in finding(child(birth_date=turning(7, 1), **hearing), ON, "rehabilitation").reason
    )
    assert (
        "人工耳蜗"
        not in finding(child(birth_date=turning(7), **hearing), ON, "rehabilitation").reason
    )


def test_a_closed_file_an_adult_and_an_unborn_child_have_no_findings():
    troubled = {"economic_status": "tekun", **BOTH_AWAY}
    assert codes(child(**troubled), ON)
    assert codes(child(is_active=False, **troubled), ON) == set()
    assert codes(child(birth_date=turning(18), **troubled), ON) == set()
    assert codes(child(birth_date=ON + DAY, **troubled), ON) == set()


def test_no_rule_is_in_force_before_the_national_parameters():
    assert (
        evaluate(child(economic_status="tekun"), national(date(2015, 6, 1)), date(2015, 6, 1)) == []
    )


def test_a_child_can_be_in_several_categories():
    facts = child(
        economic_status="dibao", lives_with_parents=True, hukou_region_code="360102", **LIMB_3
    )
    assert {"migrant", "family_difficulty", "own_difficulty"} <= codes(facts, ON)


def test_quiet_files_skip_the_rules_without_changing_the_answer():
    facts = child(father=father("at_home", date(2020, 1, 1)), mother=None, school_stage="junior")
    assert evaluate(facts, national(ON), ON) == []
    assert evaluate_rules(facts, national(ON), ON, every_rule=True) == []


def test_dates():
    assert add_years(date(2008, 2, 29), 1) == date(2009, 3, 1)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert age_on(date(2009, 6, 2), ON) == 15
    assert age_on(date(2009, 6, 1), ON) == 16

"""Facts and parameters for tests of the pure rules, without a database."""

from datetime import date

from guanai.rules.defaults import LATER_DEFAULTS, NATIONAL_DEFAULTS, NATIONAL_FROM
from guanai.rules.definitions import evaluate
from guanai.rules.facts import ChildFacts, EventFacts, ParentFacts, ReceiptFacts
from guanai.rules.parameters import ParameterBook, ParameterRow, Params

VILLAGE = "360426001001"
NATIONAL_BOOK = ParameterBook(
    [ParameterRow(name, "", NATIONAL_FROM, None, value) for name, value, _ in NATIONAL_DEFAULTS]
    + [ParameterRow(name, "", since, None, value) for name, value, _, since in LATER_DEFAULTS]
)


def national(on: date, division_code: str = VILLAGE) -> Params:
    return NATIONAL_BOOK.params(division_code, on)


def parent(role: str, status: str = "at_home", since=None, until=None, **extra) -> ParentFacts:
    values = {
        "role": role,
        "status": status,
        "since": since,
        "until": until,
        "away_destination": "广东省东莞市" if status == "working_away" else "",
        "disability_category": "",
        "disability_grade": None,
        "has_aids": False,
        "can_work": True,
        "guardianship_capacity": "full",
    }
    return ParentFacts(**(values | extra))


def father(status: str = "at_home", since=None, until=None, **extra) -> ParentFacts:
    return parent("father", status, since, until, **extra)


def mother(status: str = "at_home", since=None, until=None, **extra) -> ParentFacts:
    return parent("mother", status, since, until, **extra)


def event(kind: str, occurred_on: date, ended_on=None, other_assistance=False) -> EventFacts:
    return EventFacts(kind, occurred_on, ended_on, other_assistance)


def receipt(benefit: str, start_on: date, end_on=None) -> ReceiptFacts:
    return ReceiptFacts(benefit, start_on, end_on)


def child(**extra) -> ChildFacts:
    values = {
        "child_id": 1,
        "division_code": VILLAGE,
        "is_active": True,
        "birth_date": date(2015, 3, 9),
        "urban": False,
        "lives_with_parents": False,
        "hukou_region_code": "",
        "hukou_type": "rural",
        "economic_status": "none",
        "poverty_registered": False,
        "school_stage": "none",
        "disability_category": "",
        "disability_grade": None,
        "has_serious_illness": False,
        "father": father(),
        "mother": mother(),
    }
    return ChildFacts(**(values | extra))


def with_(facts: ChildFacts, **changes) -> ChildFacts:
    return facts._replace(**changes)


def codes(facts: ChildFacts, on: date, params: Params | None = None) -> set[str]:
    return {f.code for f in evaluate(facts, params or national(on), on)}


def finding(facts: ChildFacts, on: date, code: str, params: Params | None = None):
    found = [f for f in evaluate(facts, params or national(on), on) if f.code == code]
    return found[0] if found else None

"""Care services: pairing limits, record validation with Chinese messages, flags, terms."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from guanai.audit.models import AuditEvent
from guanai.care.models import Activity, CarerKind, Flag, Severity
from guanai.care.selectors import carers_over_limit_for
from guanai.care.services import care_record_create, pairing_create, term_create
from guanai.care.testing import pairing_build
from guanai.core.errors import AccessDenied, DomainError
from guanai.notices.models import Notice
from guanai.testing.factories import child_build

TODAY = timezone.localdate()


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kwargs)
    return info.value


@pytest.mark.django_db
def test_a_third_child_is_a_warning_not_a_refusal(users, children, place, settings):
    settings.CARER_CHILD_LIMIT = 2
    carer, director = users["carer_a"], users["director_a"]
    extra = [child_build(place.village_a, name) for name in ("张小二", "张小三")]
    results = [
        pairing_create(
            actor=director,
            child=child,
            carer=carer,
            kind=CarerKind.CARING_MOTHER,
            start_date=TODAY - timedelta(days=10),
        )
        for child in [children["a"], *extra]
    ]
    assert [bool(r.warnings) for r in results] == [False, False, True]
    assert "超过每人 2 名的上限" in results[2].warnings[0]
    assert [(row.carer, row.load) for row in carers_over_limit_for(director, TODAY)] == [(carer, 3)]
    assert carers_over_limit_for(users["director_b"], TODAY) == []
    # A class teacher has a class: such pairings neither count nor warn.
    teacher = pairing_create(
        actor=director,
        child=child_build(place.village_a, "张小五"),
        carer=carer,
        kind=CarerKind.CLASS_TEACHER,
        start_date=TODAY,
    )
    assert teacher.warnings == []
    assert carers_over_limit_for(director, TODAY)[0].load == 3
    assert AuditEvent.objects.filter(object_type="care.pairing").count() == 4


@pytest.mark.django_db
def test_pairing_is_refused_outside_the_jurisdiction(users, children):
    with pytest.raises(AccessDenied):
        pairing_create(
            actor=users["director_b"],
            child=children["a"],
            carer=users["carer_a"],
            kind=CarerKind.CARING_MOTHER,
            start_date=TODAY,
        )
    error = refused(
        pairing_create,
        actor=users["director_a"],
        child=children["a"],
        carer=users["supervisor_1"],
        kind=CarerKind.CARING_MOTHER,
        start_date=TODAY,
    )
    assert error.field == "carer"
    error = refused(
        pairing_create,
        actor=users["director_a"],
        child=children["a"],
        carer=users["carer_a"],
        kind=CarerKind.CARING_MOTHER,
        start_date=TODAY,
        end_date=TODAY - timedelta(days=1),
    )
    assert error.field == "end_date" and "早于" in error.message


@pytest.mark.django_db
def test_bad_records_are_refused_with_a_message_naming_the_field(users, children):
    carer = users["carer_a"]
    pairing_build(children["a"], carer, start_date=TODAY - timedelta(days=30))
    base = {"actor": carer, "child": children["a"], "activity": Activity.TALK}
    future = refused(care_record_create, **base, day=TODAY + timedelta(days=1))
    assert (future.field, future.message) == ("date", "记录日期不能晚于今天")
    early = refused(care_record_create, **base, day=TODAY - timedelta(days=31))
    assert early.field == "date" and "早于结对开始日期" in early.message
    assert f"{TODAY - timedelta(days=30):%Y-%m-%d}" in early.message
    stranger = refused(care_record_create, **(base | {"child": children["b"]}), day=TODAY)
    assert stranger.field == "child" and stranger.message == "该儿童不在您的结对名单中"
    child_in_village = child_build(children["a"].division, "张小四")
    unpaired = refused(care_record_create, **(base | {"child": child_in_village}), day=TODAY)
    assert unpaired.field == "child"
    serious = refused(care_record_create, **base, day=TODAY, data={"severity": Severity.SERIOUS})
    assert serious.field == "problems"


@pytest.mark.django_db
def test_a_serious_problem_raises_a_flag_for_the_township(users, children):
    carer = users["carer_a"]
    pairing_build(children["a"], carer, start_date=TODAY - timedelta(days=30))
    record = care_record_create(
        actor=carer,
        child=children["a"],
        activity=Activity.HOME_VISIT,
        day=TODAY,
        data={"severity": Severity.SERIOUS, "problems": "孩子独自在家,身上有伤", "mood": "低落"},
    )
    flag = Flag.objects.get(record=record)
    assert flag.division_code == children["a"].division_code
    assert AuditEvent.objects.filter(object_type="care.flag", object_id=str(flag.pk)).exists()
    told = set(
        Notice.objects.filter(key=f"flag:{flag.pk}").values_list("user__username", flat=True)
    )
    assert told == {"supervisor_1", "director_a"}


@pytest.mark.django_db
def test_staff_may_record_for_children_of_their_area(users, children):
    record = care_record_create(
        actor=users["director_a"], child=children["a"], activity=Activity.HOME_VISIT, day=TODAY
    )
    assert record.pairing is None
    with pytest.raises(AccessDenied):
        care_record_create(
            actor=users["director_a"], child=children["b"], activity=Activity.TALK, day=TODAY
        )


@pytest.mark.django_db
def test_terms_are_set_by_the_county_and_may_not_overlap(users, place):
    county = users["county"]
    term_create(
        actor=county,
        county=place.county,
        name="春季",
        start=date(2025, 3, 1),
        end=date(2025, 7, 10),
    )
    error = refused(
        term_create,
        actor=county,
        county=place.county,
        name="夏季",
        start=date(2025, 7, 1),
        end=date(2025, 8, 1),
    )
    assert error.field == "start" and "重叠" in error.message
    with pytest.raises(AccessDenied):
        term_create(
            actor=users["director_a"],
            county=place.county,
            name="秋季",
            start=date(2025, 9, 1),
            end=date(2026, 1, 20),
        )

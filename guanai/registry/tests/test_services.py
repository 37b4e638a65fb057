from datetime import date, timedelta

import pytest
from django.utils import timezone

from guanai.audit.models import Action, AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.registry import idnumber
from guanai.registry.choices import InactiveReason, ParentStatus
from guanai.registry.forms import initial_from_child
from guanai.registry.models import Child, Parent
from guanai.registry.services import (
    DuplicateChild,
    StaleEdit,
    child_deactivate,
    child_reactivate,
    child_register,
    child_update,
)
from guanai.testing.factories import COUNTY


def number(birth=date(2016, 5, 4), sex="F", seq=7):
    return idnumber.make(region_code=COUNTY, birth_date=birth, sequence=seq, sex=sex)


def base_data(**extra):
    return {
        "name": "陈思雨",
        "id_number": number(),
        "birth_date": None,
        "sex": "",
        "household_address": "东风村二组8号",
        "household_phone": "13812345678",
        "father_name": "陈大军",
        "father_status": ParentStatus.WORKING_AWAY,
        "father_away_destination": "广东省东莞市",
        "father_status_since": date(2022, 3, 1),
        "mother_name": "刘芳",
        "mother_status": ParentStatus.WORKING_AWAY,
        "mother_away_destination": "浙江省宁波市",
        "guardian_name": "陈老汉",
        "guardian_relation": "grandparent_paternal",
        "guardian_phone": "13900001111",
        "guardian_capacity": "limited",
    } | extra


@pytest.mark.django_db
def test_a_director_registers_a_child_with_birth_date_and_sex_from_the_id(users, place):
    child = child_register(actor=users["director_a"], village=place.village_a, data=base_data())
    assert child.birth_date == date(2016, 5, 4)
    assert child.sex == "F"
    assert child.name_pinyin == "chensiyu"
    assert child.name_initials == "csy"
    assert child.id_number_tail == child.id_number[-6:]
    assert child.father.status == ParentStatus.WORKING_AWAY
    assert child.mother.away_destination == "浙江省宁波市"
    assert child.guardians.get().name == "陈老汉"
    assert child.revisions.get().summary == "建档"
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.child")
    assert "child.name" in created.changes
    assert not any(k.endswith("id_number") for k in created.changes)


@pytest.mark.django_db
def test_a_legacy_15_digit_number_is_converted(users, place):
    eighteen = number(birth=date(1999, 1, 2))
    fifteen = eighteen[:6] + eighteen[8:17]
    child = child_register(
        actor=users["director_a"], village=place.village_a, data=base_data(id_number=fifteen)
    )
    assert child.id_number == eighteen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("36042620160504007", "长度"),
        (number()[:17] + ("1" if number()[17] != "1" else "2"), "校验"),
        ("360426201602300071", "出生日期"),
    ],
)
def test_bad_id_numbers_are_refused_beside_the_field(users, place, raw, fragment):
    with pytest.raises(DomainError) as caught:
        child_register(
            actor=users["director_a"], village=place.village_a, data=base_data(id_number=raw)
        )
    assert fragment in caught.value.message
    assert caught.value.field == "id_number"
    assert not Child.objects.exists()
    assert not Parent.objects.exists()


@pytest.mark.django_db
def test_an_entered_birth_date_must_agree_with_the_number(users, place):
    with pytest.raises(DomainError) as caught:
        child_register(
            actor=users["director_a"],
            village=place.village_a,
            data=base_data(birth_date=date(2016, 5, 5)),
        )
    assert "出生日期与身份证号不一致" in caught.value.message


@pytest.mark.django_db
def test_a_child_without_a_number_is_allowed_with_birth_date_and_sex(users, place):
    child = child_register(
        actor=users["director_a"],
        village=place.village_a,
        data=base_data(id_number="", birth_date=date(2020, 1, 1), sex="M"),
    )
    assert child.id_number is None
    with pytest.raises(DomainError, match="出生日期"):
        child_register(
            actor=users["director_a"],
            village=place.village_a,
            data=base_data(name="另一个", id_number=""),
        )


@pytest.mark.django_db
def test_a_duplicate_number_is_refused_with_the_existing_file(users, place):
    first = child_register(actor=users["director_a"], village=place.village_a, data=base_data())
    with pytest.raises(DuplicateChild) as caught:
        child_register(
            actor=users["director_b"], village=place.village_b, data=base_data(name="别的名字")
        )
    assert caught.value.existing == first
    assert "管辖范围以外" in caught.value.message
    # Inside the node, the message names the existing file.
    with pytest.raises(DuplicateChild) as caught:
        child_register(
            actor=users["director_a"], village=place.village_a, data=base_data(name="又一个")
        )
    assert "身份证号已登记:陈思雨" in caught.value.message


@pytest.mark.django_db
def test_same_name_and_birth_date_in_the_village_is_a_duplicate(users, place):
    data = base_data(id_number="", birth_date=date(2019, 9, 9), sex="M")
    child_register(actor=users["director_a"], village=place.village_a, data=data)
    with pytest.raises(DuplicateChild, match="同名同出生日期"):
        child_register(actor=users["director_a"], village=place.village_a, data=data)
    # Another village may have a child of that name and birth date.
    child_register(actor=users["director_b"], village=place.village_b, data=data)


@pytest.mark.django_db
def test_a_director_cannot_register_into_another_village(users, place):
    with pytest.raises(DomainError, match="管辖范围"):
        child_register(actor=users["director_a"], village=place.village_b, data=base_data())


@pytest.mark.django_db
def test_carers_and_departments_cannot_register(users, place):
    for name in ("carer_a", "department"):
        with pytest.raises(AccessDenied):
            child_register(actor=users[name], village=place.village_a, data=base_data())


@pytest.mark.django_db
def test_siblings_share_the_household_and_parents(users, place):
    first = child_register(actor=users["director_a"], village=place.village_a, data=base_data())
    sibling = child_register(
        actor=users["director_a"],
        village=place.village_a,
        household=first.household,
        data=base_data(name="陈思远", id_number=number(date(2014, 2, 2), "M", 9)),
    )
    assert sibling.household == first.household
    assert sibling.father == first.father
    assert Parent.objects.count() == 2


@pytest.mark.django_db
def test_an_update_keeps_history_with_old_and_new_values(users, place):
    child = child_register(actor=users["director_a"], village=place.village_a, data=base_data())
    data = initial_from_child(child) | {
        "father_status": ParentStatus.AT_HOME,
        "father_away_destination": "",
    }
    changes = child_update(actor=users["director_a"], child=child, version=child.version, data=data)
    assert changes["father.status"] == ["外出务工", "在家"]
    revisions = list(child.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].snapshot["father.status"] == "外出务工"
    assert revisions[1].snapshot["father.status"] == "在家"
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.changes["father.status"] == ["外出务工", "在家"]


@pytest.mark.django_db
def test_a_seeded_file_gets_a_baseline_revision_on_first_edit(users, children):
    child = children["a"]
    data = initial_from_child(child) | {"hobbies": "下棋"}
    child_update(actor=users["director_a"], child=child, version=child.version, data=data)
    baseline, edit = child.revisions.order_by("number")
    assert baseline.summary == "导入时的档案"
    assert edit.changes == {"child.hobbies": ["", "下棋"]}


@pytest.mark.django_db
def test_two_editors_never_silently_lose_an_edit(users, children):
    child = children["a"]
    opened = child.version
    first = initial_from_child(child) | {"hobbies": "画画"}
    child_update(actor=users["director_a"], child=child, version=opened, data=first)
    stale = Child.objects.get(pk=child.pk)
    with pytest.raises(StaleEdit) as caught:
        child_update(
            actor=users["supervisor_1"],
            child=stale,
            version=opened,
            data=initial_from_child(stale) | {"hobbies": "唱歌"},
        )
    assert "director_a" in caught.value.message
    assert Child.objects.get(pk=child.pk).hobbies == "画画"


@pytest.mark.django_db
def test_deactivation_keeps_the_file(users, children):
    child = children["a"]
    child_deactivate(
        actor=users["director_a"],
        child=child,
        reason=InactiveReason.MOVED_AWAY,
        on=timezone.localdate(),
    )
    child.refresh_from_db()
    assert not child.is_active
    assert child.inactive_reason == InactiveReason.MOVED_AWAY
    assert Child.objects.filter(pk=child.pk).exists()
    with pytest.raises(DomainError, match="已注销"):
        child_deactivate(
            actor=users["director_a"],
            child=child,
            reason=InactiveReason.ADULT,
            on=timezone.localdate(),
        )
    child_reactivate(actor=users["director_a"], child=child)
    child.refresh_from_db()
    assert child.is_active


@pytest.mark.django_db
def test_deactivation_refuses_a_future_date_and_other_without_note(users, children):
    with pytest.raises(DomainError, match="晚于今天"):
        child_deactivate(
            actor=users["director_a"],
            child=children["a"],
            reason=InactiveReason.DEAD,
            on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(DomainError, match="说明"):
        child_deactivate(
            actor=users["director_a"],
            child=children["a"],
            reason=InactiveReason.OTHER,
            on=timezone.localdate(),
        )


@pytest.mark.django_db
def test_an_imprisoned_parent_needs_an_end_date(users, place):
    data = base_data(father_status=ParentStatus.IMPRISONED, father_away_destination="")
    with pytest.raises(DomainError, match="刑满日期"):
        child_register(actor=users["director_a"], village=place.village_a, data=data)


@pytest.mark.django_db
def test_a_duplicate_outside_the_users_node_does_not_name_the_child(users, place):
    child_register(actor=users["director_a"], village=place.village_a, data=base_data())
    with pytest.raises(DuplicateChild) as caught:
        child_register(
            actor=users["director_c"], village=place.village_c, data=base_data(name="别人")
        )
    assert "陈思雨" not in caught.value.message
    assert "管辖范围以外" in caught.value.message
    assert not caught.value.visible


@pytest.mark.django_db
def test_default_parent_fields_alone_create_no_parent(users, place):
    data = base_data() | {k: "" for k in base_data() if k.startswith("father_")}
    data |= {"father_status": ParentStatus.AT_HOME, "father_guardianship_capacity": "full"}
    child = child_register(actor=users["director_a"], village=place.village_a, data=data)
    assert child.father is None
    assert child.mother is not None

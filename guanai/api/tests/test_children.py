from datetime import date

import pytest
from django.utils import timezone

from guanai.audit.models import Action, AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry.models import Child
from guanai.testing.factories import child_build


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def events(action: Action, child: Child | None = None):
    found = AuditEvent.objects.filter(action=action)
    return found.filter(object_type="registry.child", object_id=str(child.pk)) if child else found


# Lists


def test_it_lists_only_the_directors_village(call, users, children):
    assert names(call(users["director_a"], "get", "/children")) == {"张小明"}


def test_it_lists_the_supervisors_township_and_the_whole_county_for_civil_affairs(
    call, users, children
):
    assert names(call(users["supervisor_1"], "get", "/children")) == {"张小明", "李小红"}
    assert names(call(users["county"], "get", "/children")) == {"张小明", "李小红", "王小刚"}


def test_it_lists_only_a_carers_paired_children(call, users, children, place):
    child_build(place.village_a, "张小华")  # same village, not paired
    Pairing.objects.create(
        child=children["a"],
        carer=users["carer_a"],
        kind=CarerKind.CARING_MOTHER,
        start_date=date(2024, 1, 1),
    )
    assert names(call(users["carer_a"], "get", "/children")) == {"张小明"}


def test_it_filters_like_the_page_search(call, users, children, place):
    county = users["county"]
    assert names(call(county, "get", "/children?q=zhang")) == {"张小明"}
    assert names(call(county, "get", "/children?q=lxh")) == {"李小红"}
    assert names(call(county, "get", f"/children?q={children['c'].id_number[-4:]}")) == {"王小刚"}
    assert names(call(county, "get", f"/children?division={place.township_1.code}")) == {
        "张小明",
        "李小红",
    }
    child_build(place.village_a, "无证", with_id=False)
    assert names(call(county, "get", "/children?missing_id=1")) == {"无证"}


def test_it_hides_closed_files_unless_asked(call, users, children):
    Child.objects.filter(pk=children["a"].pk).update(is_active=False)
    director = users["director_a"]
    assert names(call(director, "get", "/children")) == set()
    assert names(call(director, "get", "/children?include_inactive=true")) == {"张小明"}


def test_it_pages_with_limit_and_offset_up_to_500(call, users, children):
    county = users["county"]
    page = call(county, "get", "/children?limit=2&offset=2").json()
    assert page["count"] == 3 and page["limit"] == 2 and len(page["items"]) == 1
    assert call(county, "get", "/children?limit=501").status_code == 422


def test_it_audits_a_list_call_once_with_its_filter(call, users, children):
    call(users["county"], "get", "/children?q=zhang&limit=10")
    event = events(Action.API).get()
    assert event.actor == users["county"]
    assert "q=zhang" in event.detail and "limit=10" in event.detail and "共 1 条" in event.detail
    assert not events(Action.VIEW).exists()


def test_it_masks_id_numbers_in_lists(call, users, children):
    item = call(users["county"], "get", "/children?q=zhang").json()["items"][0]
    assert item["id_number"] != children["a"].id_number
    assert item["id_number"].endswith(children["a"].id_number[-4:]) and "*" in item["id_number"]


# One file


def test_it_answers_404_for_an_outsiders_child_and_records_nothing(call, users, children):
    for outsider in ("director_a", "supervisor_2", "carer_a"):
        response = call(users[outsider], "get", f"/children/{children['b'].pk}")
        assert response.status_code == 404
        assert "李小红" not in response.content.decode()
    assert not events(Action.VIEW, children["b"]).exists()


def test_it_audits_every_read_of_a_file(call, users, children):
    response = call(users["director_a"], "get", f"/children/{children['a'].pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "张小明"
    assert events(Action.VIEW, children["a"]).get().actor == users["director_a"]


def test_it_masks_sensitive_fields_by_default(call, users, children):
    Child.objects.filter(pk=children["a"].pk).update(
        phone="13812345678", disability_category="limb", disability_grade=2
    )
    file = call(users["director_a"], "get", f"/children/{children['a'].pk}").json()
    assert file["masked"] is True
    assert file["id_number"] != children["a"].id_number and "*" in file["id_number"]
    assert file["phone"] == "138****5678"
    assert file["disability_category"] == "******" and file["disability_grade"] is None
    assert not events(Action.REVEAL).exists()


def test_it_reveals_to_allowed_roles_on_record(call, users, children):
    Child.objects.filter(pk=children["a"].pk).update(phone="13812345678")
    file = call(users["director_a"], "get", f"/children/{children['a'].pk}?reveal=1").json()
    assert file["masked"] is False
    assert file["id_number"] == children["a"].id_number and file["phone"] == "13812345678"
    assert events(Action.REVEAL, children["a"]).get().actor == users["director_a"]


def test_it_refuses_to_reveal_to_other_roles(call, users, children):
    response = call(users["department"], "get", f"/children/{children['a'].pk}?reveal=1")
    assert response.status_code == 403
    assert children["a"].id_number not in response.content.decode()
    assert not events(Action.REVEAL).exists() and not events(Action.VIEW).exists()


# Register

NEW_CHILD = {"name": "赵小四", "birth_date": "2016-05-01", "sex": "F", "hobbies": "跳绳"}


def test_it_registers_a_child_in_the_directors_village(call, users, children, place):
    response = call(users["director_a"], "post", "/children", NEW_CHILD)
    assert response.status_code == 201, response.content
    file = response.json()
    assert file["village"] == place.village_a.code and file["version"] == 1
    child = Child.objects.get(pk=file["id"])
    assert child.name == "赵小四" and child.created_by == users["director_a"]
    assert child.hobbies == "跳绳" and child.ethnicity == "汉族"  # not sent: the model's default
    assert child.father is None and child.mother is None and not child.guardians.exists()
    assert events(Action.CREATE, child).exists()
    assert child.revisions.count() == 1


def test_it_registers_parents_and_guardian_sent_in_the_form_keys(call, users, children):
    body = NEW_CHILD | {
        "mother_name": "赵母",
        "mother_status": "working_away",
        "mother_away_destination": "广东东莞",
        "guardian_name": "赵奶奶",
        "guardian_relation": "grandparent_paternal",
    }
    response = call(users["director_a"], "post", "/children", body)
    assert response.status_code == 201, response.content
    child = Child.objects.get(pk=response.json()["id"])
    assert child.mother.name == "赵母" and child.mother.away_destination == "广东东莞"
    assert child.father is None
    assert child.guardians.get().name == "赵奶奶"
    body = NEW_CHILD | {"name": "钱小六", "father_status": "imprisoned"}
    refused = call(users["director_a"], "post", "/children", body)
    assert refused.status_code == 422 and refused.json()["field"] == "father_status_until"


def test_a_supervisor_names_the_village(call, users, children, place):
    supervisor = users["supervisor_1"]
    response = call(supervisor, "post", "/children", NEW_CHILD)
    assert response.status_code == 422 and response.json()["field"] == "village"
    body = NEW_CHILD | {"village": place.village_b.code}
    assert call(supervisor, "post", "/children", body).status_code == 201
    body = NEW_CHILD | {"name": "钱小五", "village": place.village_c.code}
    refused = call(supervisor, "post", "/children", body)
    assert refused.status_code == 422 and refused.json()["field"] == "village"


def test_it_refuses_a_bad_id_number_naming_the_field(call, users, children):
    body = NEW_CHILD | {"id_number": "360426201605010001"}
    response = call(users["director_a"], "post", "/children", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == "id_number"
    assert "身份证号" in problem["detail"]
    assert not Child.objects.filter(name="赵小四").exists()


def test_it_validates_like_the_form(call, users, children):
    response = call(users["director_a"], "post", "/children", {"birth_date": "2016-05-01"})
    assert response.status_code == 422 and response.json()["field"] == "name"
    body = NEW_CHILD | {"disability_category": "limb"}
    response = call(users["director_a"], "post", "/children", body)
    assert response.status_code == 422 and response.json()["field"] == "disability_grade"
    body = NEW_CHILD | {"school": 999}
    response = call(users["director_a"], "post", "/children", body)
    assert response.status_code == 422 and response.json()["field"] == "school"


@pytest.mark.parametrize("role", ["carer_a", "department", "county"])
def test_roles_that_do_not_register_get_403(call, users, children, role):
    response = call(users[role], "post", "/children", NEW_CHILD)
    assert response.status_code == 403
    assert not Child.objects.filter(name="赵小四").exists()


# Update


def test_it_updates_what_was_sent(call, users, children):
    child = children["a"]
    body = {"version": child.version, "hobbies": "画画", "household_phone": "13900001111"}
    response = call(users["director_a"], "patch", f"/children/{child.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == child.version + 1
    child.refresh_from_db()
    assert child.hobbies == "画画" and child.household.phone == "13900001111"
    assert child.name == "张小明" and child.id_number == children["a"].id_number
    assert events(Action.UPDATE, child).exists()


def test_it_refuses_a_stale_version_with_409(call, users, children):
    child = children["a"]
    path = f"/children/{child.pk}"
    assert (
        call(users["supervisor_1"], "patch", path, {"version": 1, "notes": "先改"}).status_code
        == 200
    )
    response = call(users["director_a"], "patch", path, {"version": 1, "notes": "后改"})
    assert response.status_code == 409
    assert "已被supervisor_1" in response.json()["detail"]
    child.refresh_from_db()
    assert child.notes == "先改"


def test_it_refuses_masked_values_sent_back(call, users, children):
    child = children["a"]
    file = call(users["director_a"], "get", f"/children/{child.pk}").json()
    body = {"version": file["version"], "id_number": file["id_number"]}
    response = call(users["director_a"], "patch", f"/children/{child.pk}", body)
    assert response.status_code == 422 and response.json()["field"] == "id_number"


def test_it_refuses_a_patch_without_version(call, users, children):
    response = call(users["director_a"], "patch", f"/children/{children['a'].pk}", {"notes": "x"})
    assert response.status_code == 422 and response.json()["field"] == "version"


def test_roles_that_may_read_but_not_write_get_403(call, users, children):
    Pairing.objects.create(
        child=children["a"],
        carer=users["carer_a"],
        kind=CarerKind.VOLUNTEER,
        start_date=date(2024, 1, 1),
    )
    path = f"/children/{children['a'].pk}"
    for role in ("carer_a", "department"):
        assert call(users[role], "get", path).status_code == 200
        assert call(users[role], "patch", path, {"version": 1, "notes": "x"}).status_code == 403
        deactivate = {"reason": "moved_away", "on": timezone.localdate()}
        assert call(users[role], "post", f"{path}/deactivate", deactivate).status_code == 403
    children["a"].refresh_from_db()
    assert children["a"].version == 1 and children["a"].is_active


def test_an_outsider_writing_gets_404(call, users, children):
    path = f"/children/{children['b'].pk}"
    assert call(users["director_a"], "patch", path, {"version": 1, "notes": "x"}).status_code == 404
    body = {"reason": "moved_away", "on": timezone.localdate()}
    assert call(users["director_a"], "post", f"{path}/deactivate", body).status_code == 404


# Deactivate


def test_it_closes_a_file_with_a_reason(call, users, children):
    child = children["a"]
    body = {"reason": "moved_away", "on": timezone.localdate(), "note": "随父母迁往广东"}
    response = call(users["director_a"], "post", f"/children/{child.pk}/deactivate", body)
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert response.json()["inactive_reason"] == "moved_away"
    assert events(Action.DEACTIVATE, child).exists()
    again = call(users["director_a"], "post", f"/children/{child.pk}/deactivate", body)
    assert again.status_code == 422 and again.json()["detail"] == "该档案已注销"


def test_it_needs_a_note_for_other_reasons(call, users, children):
    body = {"reason": "other", "on": timezone.localdate()}
    response = call(users["director_a"], "post", f"/children/{children['a'].pk}/deactivate", body)
    assert response.status_code == 422 and response.json()["field"] == "note"

from datetime import date

from guanai.audit.models import Action, AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry.models import Household
from guanai.testing.factories import child_build


def household_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_it_lists_households_in_jurisdiction(call, users, children, place):
    a, b, c = (children[k].household_id for k in "abc")
    assert household_ids(call(users["director_a"], "get", "/households")) == {a}
    assert household_ids(call(users["supervisor_1"], "get", "/households")) == {a, b}
    assert household_ids(call(users["county"], "get", "/households")) == {a, b, c}
    division = f"/households?division={place.village_c.code}"
    assert household_ids(call(users["county"], "get", division)) == {c}
    assert (
        AuditEvent.objects.filter(action=Action.API, object_type="registry.household").count() == 4
    )


def test_it_shows_a_household_with_its_children_in_jurisdiction(call, users, children, place):
    household = children["a"].household
    Household.objects.filter(pk=household.pk).update(phone="13812345678")
    sibling = child_build(place.village_a, "张小华", household=household)
    response = call(users["director_a"], "get", f"/households/{household.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["child_ids"] == [children["a"].pk, sibling.pk]
    assert body["phone"] == "138****5678" and body["village"] == place.village_a.code
    viewed = AuditEvent.objects.get(action=Action.VIEW, object_type="registry.household")
    assert viewed.object_id == str(household.pk) and viewed.actor == users["director_a"]


def test_a_carer_sees_only_the_paired_child_of_a_household(call, users, children, place):
    household = children["a"].household
    child_build(place.village_a, "张小华", household=household)
    Pairing.objects.create(
        child=children["a"],
        carer=users["carer_a"],
        kind=CarerKind.VOLUNTEER,
        start_date=date(2024, 1, 1),
    )
    body = call(users["carer_a"], "get", f"/households/{household.pk}").json()
    assert body["child_ids"] == [children["a"].pk]


def test_it_answers_404_for_an_outsiders_household(call, users, children):
    for outsider in ("director_a", "supervisor_2", "carer_a"):
        response = call(users[outsider], "get", f"/households/{children['b'].household_id}")
        assert response.status_code == 404
        assert "青石村" not in response.content.decode()

"""Bad input answers 422 with the field named in Chinese, never a 500 (issue 12, part 3)."""

import pytest

from guanai.registry.models import Child

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/children", "/households"])
@pytest.mark.parametrize(
    "param, value, said",
    [
        ("offset", "9223372036854775808", "不能大于 1000000000"),
        ("offset", str(2**64), "不能大于"),
        ("offset", "-1", "不能小于 0"),
        ("offset", "abc", "应为整数"),
        ("limit", "0", "不能小于 1"),
        ("limit", "501", "不能大于 500"),
        ("limit", "1.5", "应为整数"),
    ],
)
def test_a_page_out_of_range_is_refused_naming_the_field(
    call, users, children, path, param, value, said
):
    response = call(users["county"], "get", f"{path}?{param}={value}")
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == param
    assert (
        problem["detail"] == f"请求数据不符合接口格式:{param}:{said}" or said in problem["detail"]
    )
    assert problem["detail"].startswith(f"请求数据不符合接口格式:{param}:")


@pytest.mark.parametrize("path", ["/children", "/households"])
def test_an_offset_beyond_the_rows_is_an_empty_page(call, users, children, path):
    response = call(users["county"], "get", f"{path}?offset=1000000000")
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 3


@pytest.mark.parametrize("on", [0, 20240101, 1.5, True, "2024/01/01", "01-01-2024", [2024, 1, 1]])
def test_a_date_must_be_an_iso_string(call, users, children, on):
    child = children["a"]
    body = {"reason": "moved_away", "on": on}
    response = call(users["director_a"], "post", f"/children/{child.pk}/deactivate", body)
    assert response.status_code == 422
    assert response.json()["field"] == "on"
    assert "应为 YYYY-MM-DD 格式的日期字符串" in response.json()["detail"]
    assert Child.objects.get(pk=child.pk).is_active


def test_a_birth_date_sent_as_a_number_is_refused(call, users, children):
    child = children["a"]
    body = {"version": child.version, "birth_date": 0}
    response = call(users["director_a"], "patch", f"/children/{child.pk}", body)
    assert response.status_code == 422 and response.json()["field"] == "birth_date"


@pytest.mark.parametrize("key", ["phone", "household_phone", "guardian_phone", "father_phone"])
@pytest.mark.parametrize("phone", ["' OR 1=1--", "12345", "电话:138"])
def test_a_phone_that_is_no_number_is_refused_naming_the_field(call, users, children, key, phone):
    child = children["a"]
    body = {"version": child.version, key: phone}
    if key == "guardian_phone":
        body |= {"guardian_name": "张大山", "guardian_relation": "grandparent_paternal"}
    response = call(users["director_a"], "patch", f"/children/{child.pk}", body)
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["field"] == key
    assert "应为 11 位手机号或带区号的固定电话" in problem["detail"]
    assert Child.objects.get(pk=child.pk).version == child.version


def test_a_full_width_phone_is_stored_as_digits(call, users, children):
    child = children["a"]
    body = {"version": child.version, "household_phone": "１３８ ００００ ２２２２"}
    response = call(users["director_a"], "patch", f"/children/{child.pk}", body)
    assert response.status_code == 200, response.content
    assert Child.objects.get(pk=child.pk).household.phone == "13800002222"


@pytest.mark.parametrize("version", [0, -1, 2**63, "abc", None])
def test_a_version_that_is_no_version_is_refused(call, users, children, version):
    child = children["a"]
    response = call(users["director_a"], "patch", f"/children/{child.pk}", {"version": version})
    assert response.status_code == 422 and response.json()["field"] == "version"


@pytest.mark.parametrize("body", ["[1]", '"x"', "null", "{", "\xff"])
def test_a_body_that_is_no_json_object_is_refused(client, call, users, children, body):
    key = call.key_for(users["director_a"])
    response = client.post(
        f"/api/v1/children/{children['a'].pk}/deactivate",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["q=a%00b", "division=3604%00", "q=%00"])
def test_a_nul_character_in_a_filter_is_no_500(call, users, children, query):
    # PostgreSQL refuses NUL in text; SQLite does not mind. Either way: no 500.
    response = call(users["county"], "get", f"/children?{query}")
    assert response.status_code == 422
    assert response.json()["field"] == query.split("=")[0]
    assert "不能包含空字符" in response.json()["detail"]

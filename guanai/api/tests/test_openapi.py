import json

from django.conf import settings

from guanai.core import phones
from guanai.registry import idnumber

EXPECTED = {
    "/api/v1/children": {"get", "post"},
    "/api/v1/children/{child_id}": {"get", "patch"},
    "/api/v1/children/{child_id}/deactivate": {"post"},
    "/api/v1/households": {"get"},
    "/api/v1/households/{household_id}": {"get"},
}


def test_it_refuses_the_schema_to_an_anonymous_caller(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "请先登录" in response.json()["detail"]
    assert "paths" not in response.json()


def test_it_refuses_the_schema_to_a_wrong_token(client, db):
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401 and response.json()["detail"] == "接口令牌无效"


def test_it_serves_the_schema_to_a_token_and_to_a_logged_in_user(client, call, users):
    key = call.key_for(users["department"])
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    client.force_login(users["director_a"])
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == EXPECTED
    schemes = schema["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}


def test_it_describes_bodies_in_the_form_vocabulary(client, users):
    client.force_login(users["county"])
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    child_in = schema["ChildIn"]
    assert child_in["required"] == ["name"]
    assert child_in["properties"]["name"]["description"] == "姓名"
    assert "father_status" in child_in["properties"]
    assert schema["ChildPatch"]["required"] == ["version"]
    assert set(schema["DeactivateIn"]["required"]) == {"reason", "on"}


def test_the_docs_page_never_loads_swagger_from_a_cdn(client, users):
    client.force_login(users["county"])
    response = client.get("/api/v1/docs")
    if "ninja" not in settings.INSTALLED_APPS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"cdn." not in response.content


def test_it_states_the_rules_the_form_enforces(client, users):
    client.force_login(users["county"])
    schema = client.get("/api/v1/openapi.json").json()
    child_in = schema["components"]["schemas"]["ChildIn"]["properties"]
    for key in ("phone", "household_phone", "guardian_phone", "class_teacher_phone"):
        assert child_in[key]["pattern"] == phones.PATTERN, key
        assert "手机号" in child_in[key]["description"]
    assert child_in["id_number"]["pattern"] == idnumber.PATTERN
    assert child_in["father_id_number"]["pattern"] == idnumber.PATTERN
    assert child_in["birth_date"]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"
    assert child_in["birth_date"]["anyOf"][0]["format"] == "date"
    assert child_in["name"]["maxLength"] == 50
    assert "working_away" in child_in["father_status"]["anyOf"][0]["enum"]
    assert child_in["disability_grade"]["anyOf"][0]["enum"] == [1, 2, 3, 4]
    assert schema["components"]["schemas"]["ChildPatch"]["properties"]["version"]["minimum"] == 1
    on = schema["components"]["schemas"]["DeactivateIn"]["properties"]["on"]
    assert on["format"] == "date" and on["pattern"]
    params = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/children"]["get"]["parameters"]
    }
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 500)
    assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, 1_000_000_000)

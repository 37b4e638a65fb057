import json

from django.conf import settings

EXPECTED = {
    "/api/v1/children": {"get", "post"},
    "/api/v1/children/{child_id}": {"get", "patch"},
    "/api/v1/children/{child_id}/deactivate": {"post"},
    "/api/v1/households": {"get"},
    "/api/v1/households/{household_id}": {"get"},
}


def test_it_serves_the_openapi_schema_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == EXPECTED
    schemes = schema["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}


def test_it_describes_bodies_in_the_form_vocabulary(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    child_in = schema["ChildIn"]
    assert child_in["required"] == ["name"]
    assert child_in["properties"]["name"]["description"] == "姓名"
    assert "father_status" in child_in["properties"]
    assert schema["ChildPatch"]["required"] == ["version"]
    assert set(schema["DeactivateIn"]["required"]) == {"reason", "on"}


def test_the_docs_page_never_loads_swagger_from_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    if "ninja" not in settings.INSTALLED_APPS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"cdn." not in response.content

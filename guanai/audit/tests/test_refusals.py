"""Refused access is on record: who asked for what, when, and that it was refused."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guanai.accounts.tokens import token_create
from guanai.audit.models import Action, AuditEvent
from guanai.audit.refusals import argument_model


def refusals():
    return AuditEvent.objects.filter(action=Action.REFUSED)


@pytest.mark.django_db
def test_it_records_an_outsider_opening_a_file(client, users, children):
    child_b = children["b"]
    client.force_login(users["director_c"])
    url = reverse("registry:child_detail", args=[child_b.pk])
    assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code == 404
    event = refusals().get()
    assert event.actor == users["director_c"]
    assert (event.object_type, event.object_id) == ("registry.child", str(child_b.pk))
    # Filed under the child's village (its township sees who tried), named only by its path.
    assert event.division_code == child_b.division_code
    assert event.object_label == f"GET {url}"
    assert child_b.name not in event.object_label + event.detail
    assert event.detail.startswith("404 registry:child_detail pk=")
    assert "不在您的管辖范围内" in event.detail
    assert event.ip_address == "10.0.0.7"
    assert event.at is not None


@pytest.mark.django_db
def test_it_names_the_file_of_an_attachment_and_a_missing_file(client, users, children):
    client.force_login(users["director_a"])
    url = reverse("registry:attachment_download", args=[children["b"].pk, 999])
    assert client.get(url).status_code == 404
    event = refusals().get()
    assert (event.object_type, event.object_id) == ("registry.child", str(children["b"].pk))
    assert "attachment_id=999" in event.detail
    # A file that does not exist is filed under the asker's own village.
    assert client.get(reverse("registry:child_detail", args=[10**9])).status_code == 404
    missing = refusals().get(object_id=str(10**9))
    assert missing.division_code == users["director_a"].division.code


@pytest.mark.django_db
def test_it_records_a_role_refusal(client, users, children):
    client.force_login(users["carer_a"])
    assert client.get(reverse("registry:child_create")).status_code == 404
    event = refusals().get()
    assert event.object_type == "registry:child_create"
    assert "您的角色不能登记儿童" in event.detail


@pytest.mark.django_db
def test_it_records_refusals_of_the_api(client, users, children):
    def call(user, method, path, body=None):
        key = token_create(actor=None, user=user, name="测试")[1]
        return client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    child_a = children["a"]
    assert call(users["director_c"], "GET", f"/children/{child_a.pk}").status_code == 404
    event = refusals().get()
    assert event.actor == users["director_c"]
    assert (event.object_type, event.object_id) == ("registry.child", str(child_a.pk))
    assert event.detail.startswith("404 api-v1:child_get child_id=")
    assert "不在您的管辖范围内" in event.detail
    body = {"version": child_a.version, "notes": "x"}
    assert call(users["department"], "PATCH", f"/children/{child_a.pk}", body).status_code == 403
    event = refusals().latest("id")
    # ninja serves every method of a path from one URL pattern: the label says which call.
    assert event.object_label == f"PATCH /api/v1/children/{child_a.pk}"
    assert event.detail.startswith("403 ")
    assert "您的角色不能修改儿童档案" in event.detail
    assert event.division_code == child_a.division_code


@pytest.mark.django_db
def test_it_records_nothing_when_access_is_allowed(client, users, children):
    client.force_login(users["director_b"])
    assert client.get(reverse("registry:child_detail", args=[children["b"].pk])).status_code == 200
    assert not refusals().exists()


@pytest.mark.django_db
def test_it_records_nothing_for_someone_not_signed_in(client, children):
    assert client.get(reverse("registry:child_detail", args=[children["b"].pk])).status_code == 302
    assert client.get("/no-such-page/").status_code in (302, 404)
    assert not refusals().exists()


def url_arguments(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_arguments(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            for name in entry.pattern.converters:
                yield namespace, name


def test_every_url_argument_names_an_object():
    """A new URL argument must say what it names, so its refusals can be found by object."""

    class Match:
        def __init__(self, namespace):
            self.namespaces = [namespace] if namespace else []

    unknown = {
        (namespace, name)
        for namespace, name in url_arguments(get_resolver())
        if argument_model(Match(namespace), name) is None
    }
    assert unknown == set()

"""Walk every URL pattern as users of sibling villages and townships: nothing may leak across.

Each URL namespace must say here how to build an outsider's object for its URL arguments. A new
URL that is not described makes this test fail, so nobody can add a view without probing it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from guanai.accounts.models import User
from guanai.audit.models import AuditEvent
from guanai.registry.forms import initial_from_child
from guanai.registry.services import child_update

# URLs with no user data behind them.
PUBLIC = {"accounts:login", "set_language", "accounts:logout"}


def walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from walk(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern)


def fill(route: str, values: dict[str, object]) -> str:
    def sub(match):
        return str(values[match.group(2)])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)
    return "/" + path.lstrip("^").rstrip("$")


def outsider_args(name: str, children) -> dict[str, object]:
    """URL arguments that point at data in village B (outside director A's and carer A's view)."""
    child_b = children["b"]
    by_namespace = {
        "registry": {"pk": child_b.pk, "number": 1},
        "accounts": {"pk": User.objects.get(username="director_b").pk},
    }
    namespace = name.split(":")[0]
    if namespace not in by_namespace:
        raise AssertionError(
            f"URL {name} has arguments but the probe does not know them; add it here"
        )
    return by_namespace[namespace]


def all_routes():
    return sorted(set(walk(get_resolver())))


def probe(client, users, children) -> tuple[int, list[str]]:
    """Request every URL as each outsider, GET and POST; return (requests made, leaks found)."""
    outsiders = [
        "director_a",
        "supervisor_2",
        "carer_a",
    ]  # sibling village, sibling township, carer
    foreign = children["b"]
    leaks, checked = [], 0
    for name, route in all_routes():
        if name in PUBLIC or route.startswith("api/"):
            continue
        has_args = "<" in route
        url = fill(route, outsider_args(name, children)) if has_args else fill(route, {})
        for username in outsiders:
            client.force_login(users[username])
            for method in ("get", "post"):
                last_id = (
                    AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
                )
                response = getattr(client, method)(url)
                body = response.content.decode("utf-8", "replace")
                where = f"{username} {method.upper()} {url} ({name})"
                if has_args and response.status_code not in (403, 404, 405):
                    leaks.append(f"{where} answered {response.status_code}")
                if foreign.name in body or foreign.id_number in body:
                    leaks.append(f"{where} showed {foreign.name}")
                if AuditEvent.objects.filter(
                    id__gt=last_id, object_type="registry.child", object_id=str(foreign.pk)
                ).exists():
                    leaks.append(f"{where} read or changed {foreign.name}")
                checked += 1
    return checked, leaks


@pytest.mark.django_db
def test_it_probes_every_url_for_leaks(client, users, children):
    # History exists for child B so that past-version URLs have something to leak.
    child_b = children["b"]
    data = initial_from_child(child_b) | {"hobbies": "画画"}
    child_update(actor=users["supervisor_1"], child=child_b, version=child_b.version, data=data)
    checked, leaks = probe(client, users, children)
    assert leaks == []
    assert checked > 30


def leaky_child_view(request, pk):
    from django.http import HttpResponse

    from guanai.registry.models import Child

    return HttpResponse(Child.objects.get(pk=pk).name)


@pytest.mark.django_db
def test_it_catches_a_view_that_forgets_scoping(client, users, children, settings):
    import sys
    import types

    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("leaky_urls")
    module.urlpatterns = [
        path("", include("guanai.urls")),
        path("leak/<int:pk>/", include(([path("", leaky_child_view, name="leak")], "registry"))),
    ]
    sys.modules["leaky_urls"] = module
    settings.ROOT_URLCONF = "leaky_urls"
    clear_url_caches()
    try:
        _, leaks = probe(client, users, children)
    finally:
        clear_url_caches()
    assert any("/leak/" in leak for leak in leaks)


@pytest.mark.django_db
def test_it_lets_the_owner_through(client, users, children):
    """The same walk as the owner reaches the data: the probe would notice a broken URL."""
    client.force_login(users["director_b"])
    for name, route in all_routes():
        if name in PUBLIC or route.startswith("api/") or "<" not in route:
            continue
        if name.startswith("registry:") and "history" in route:
            continue
        response = client.get(fill(route, outsider_args(name, children)))
        assert response.status_code in (200, 302, 405), f"{name}: {response.status_code}"

"""Walk every URL pattern as users of sibling villages and townships: nothing may leak across.

Each URL namespace must say here how to build an outsider's object for its URL arguments, and
each API operation how it is called (method and body). A new URL or API operation that is not
described makes this test fail, so nobody can add a view or an endpoint without probing it.
"""

import json
import re
from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from guanai.accounts.models import User
from guanai.accounts.tokens import token_create
from guanai.audit.models import Action, AuditEvent
from guanai.ingest.models import MappingProfile
from guanai.registry.forms import initial_from_child
from guanai.registry.models import Child
from guanai.registry.services import child_update
from guanai.registry.testing import fact_review_build
from guanai.rules.tests.factories import rules_probe_args
from guanai.testing.factories import attachment_build

# URLs with no user data behind them.
PUBLIC = {"accounts:login", "set_language", "accounts:logout", "core:healthz", "core:readyz"}
OUTSIDERS = ["director_a", "supervisor_2", "carer_a"]  # sibling village, sibling township, carer
API = "api/"
# Who owns the outsiders' objects, where B's director cannot: import jobs are the township's
# (directors do not import), mapping profiles the county's.
OWNERS = {
    "ingest:import_job": "supervisor_1",
    "ingest:import_job_commit": "supervisor_1",
    "ingest:import_job_retry": "supervisor_1",
    "ingest:profile_edit": "county",
    "ingest:profile_delete": "county",
    "audit:event_list": "supervisor_1",  # directors do not read the audit log
    # The township reviews what villages enter (审核); the county sets what is reviewed.
    "registry:review_list": "supervisor_1",
    "registry:review_return": "supervisor_1",
    "registry:review_settings": "county",
    # The township proposes benefits, the county decides and freezes payment lists.
    "benefits:proposal_create": "supervisor_1",
    "benefits:proposal_detail": "supervisor_1",
    "benefits:payment_list_detail": "county",
    "benefits:receipt_stop": "county",
    "benefits:payment_list_xlsx": "county",
    # Claims and batches are the county's work (the federation, civil affairs), not villages'.
    "disability:claim_create": "county",
    "disability:batch_detail": "county",
    "disability:batch_xlsx": "county",
    # The window is the township's (and the county's); directors do not receive applications.
    "window:intake": "supervisor_1",
    "window:application_detail": "supervisor_1",
    "window:receipt": "supervisor_1",
    "window:referral_create": "supervisor_1",
    "window:referral_start": "supervisor_1",
    "window:referral_detail": "supervisor_1",
    "window:referral_accept": "supervisor_1",
    "window:referral_ask": "supervisor_1",
    "window:referral_resume": "supervisor_1",
    "window:referral_reject": "supervisor_1",
    "window:referral_complete": "supervisor_1",
    "window:referral_revoke": "supervisor_1",
    "window:referral_reassign": "supervisor_1",
    "window:document": "supervisor_1",
}
METHODS = ("get", "post", "put", "patch", "delete")
# Pages that take an object in their query string: asked again with the outsider's object.
OUTSIDER_QUERIES = {
    "audit:event_list": lambda children: f"child={children['b'].pk}",
    "window:referral_start": lambda children: f"task={_task_of(children['b'])}",
}


def _task_of(child) -> int:
    """A protection plan task of the child's case (转办 starts from it)."""
    from guanai.protection.testing import case_objects_for

    return int(case_objects_for(child)["task_pk"])


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
    attachment_b = child_b.attachments.first()
    by_namespace = {
        "rules": rules_probe_args(child_b),
        "registry": {
            "pk": child_b.pk,
            "number": 1,
            "attachment_id": attachment_b.pk if attachment_b else 0,
            "review_pk": fact_review_build(child_b).pk,
        },
        "accounts": {"pk": User.objects.get(username="director_b").pk},
        "api": {"child_id": child_b.pk, "household_id": child_b.household_id},
    }
    namespace = name.split(":")[0].split("-")[0]  # every API version (api-v1, ...) as "api"
    if namespace == "care":
        from guanai.care.testing import care_objects_for

        return care_objects_for(child_b)
    if namespace == "benefits":
        from guanai.benefits.testing import benefit_objects_for

        return benefit_objects_for(child_b)
    if namespace == "protection":
        from guanai.protection.testing import case_objects_for

        return case_objects_for(child_b)
    if namespace == "disability":
        from guanai.disability.testing import rehab_objects_for

        return rehab_objects_for(child_b)
    if namespace == "window":
        from guanai.window.testing import window_objects_for

        return window_objects_for(child_b)
    if namespace == "notices":
        from guanai.notices.testing import notice_build

        # B's director's notice names child B: an outsider who reads it sees B's name.
        owner = User.objects.get(username="director_b")
        return {"pk": notice_build(owner, body=f"{child_b.name}:家中无人照看").pk}
    if namespace == "stats":
        from guanai.stats.testing import report_job_build

        village_b = child_b.division
        job = report_job_build(village_b, User.objects.get(username="director_b"))
        return {"division_code": village_b.code, "pk": job.pk}
    if namespace == "ingest":
        from guanai.ingest.testing import review_pair_build
        from guanai.ingest.tests.factories import import_job_build, profile_build

        # An import job of B's township; profiles have no node: only the county changes them.
        job = import_job_build(User.objects.get(username="supervisor_1"))
        profile = MappingProfile.objects.first() or profile_build()
        return {"pk": review_pair_build(child_b).pk, "job_id": job.pk, "profile_id": profile.pk}
    if namespace not in by_namespace:
        raise AssertionError(
            f"URL {name} has arguments but the probe does not know them; add it here"
        )
    return by_namespace[namespace]


def api_calls(children) -> dict[str, tuple[str, dict | None]]:
    """How each API operation (by URL name) is called on child B: method and a valid body.

    The bodies pass the schema, so that the request reaches the jurisdiction check.
    """
    child_b = Child.objects.get(pk=children["b"].pk)
    return {
        "api-root": ("get", None),
        # The schema and the docs page (where enabled) need a login or a token (docs/0002-api.md).
        "openapi-json": ("get", None),
        "openapi-view": ("get", None),
        "child_list": ("get", None),
        "child_get": ("get", None),
        "child_create": (
            "post",
            {
                "village": child_b.division_code,
                "name": "探针",
                "birth_date": "2016-01-01",
                "sex": "M",
            },
        ),
        "child_update": ("patch", {"version": child_b.version, "notes": "探针"}),
        "child_deactivate": ("post", {"reason": "moved_away", "on": str(timezone.localdate())}),
        "household_list": ("get", None),
        "household_get": ("get", None),
    }


def all_routes():
    return sorted(set(walk(get_resolver())))


def api_requests(children) -> list[tuple[str, str, str, dict | None]]:
    """(name, route, method, body) for every API route: its own call, then every other method."""
    calls = api_calls(children)
    described = defaultdict(set)
    requests = []
    for name, route in all_routes():
        if not route.startswith(API):
            continue
        operation = name.split(":")[-1]
        if operation not in calls:
            raise AssertionError(
                f"API route {name} is not described: add how it is called to api_calls()"
            )
        method, body = calls[operation]
        described[route].add(method)
        requests.append((name, route, method, body))
    for name, route, _, _ in list(requests):
        own = described.pop(route, METHODS)  # once per route, though several names share it
        requests += [(name, route, method, None) for method in METHODS if method not in own]
    return requests


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def findings(where: str, response, has_args: bool, since: int, foreign: Child) -> list[str]:
    """What one outsider's request gave away about child B (status, body, audit log)."""
    found = []
    # Downloads stream; a binary body (xlsx) hides names, so such views need a test of
    # their own that outsiders' rows are absent (registry: test_roster_export.py).
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8", "replace")
    if has_args and response.status_code not in (403, 404, 405):
        found.append(f"{where} answered {response.status_code}")
    escaped = json.dumps(foreign.name)[1:-1]  # as in a JSON body written with ensure_ascii
    if any(text in body for text in (foreign.name, escaped, foreign.id_number)):
        found.append(f"{where} showed {foreign.name}")
    since_request = AuditEvent.objects.filter(id__gt=since)
    if (
        since_request.filter(object_type="registry.child", object_id=str(foreign.pk))
        .exclude(action=Action.REFUSED)
        .exists()
    ):
        found.append(f"{where} read or changed {foreign.name}")
    refused = since_request.filter(action=Action.REFUSED)
    if has_args and response.status_code in (403, 404) and not refused.exists():
        found.append(f"{where} refused without an audit row")
    if refused.filter(object_label__contains=foreign.name).exists():
        found.append(f"{where} named {foreign.name} in its refusal row")
    return found


def probe(client, users, children) -> tuple[int, list[str]]:
    """Request every page URL as each outsider, GET and POST; return (requests made, leaks found).

    The API is walked by `probe_api`, with tokens.
    """
    leaks, checked = [], 0
    routes = [(n, r) for n, r in all_routes() if n not in PUBLIC and not r.startswith(API)]
    # Every outsider's object is made first, so that the list pages have them to leak.
    filled = {(n, r): fill(r, outsider_args(n, children) if "<" in r else {}) for n, r in routes}
    for name, route in routes:
        has_args = "<" in route
        url = filled[name, route]
        urls = [(url, has_args)]
        if name in OUTSIDER_QUERIES:
            urls.append((f"{url}?{OUTSIDER_QUERIES[name](children)}", True))
        for username in OUTSIDERS:
            client.force_login(users[username])
            for url, asks_object in urls:
                for method in ("get", "post"):
                    since = last_audit_id()
                    response = getattr(client, method)(url)
                    where = f"{username} {method.upper()} {url} ({name})"
                    leaks += findings(where, response, asks_object, since, children["b"])
                    checked += 1
    client.logout()
    return checked, leaks


def api_key(users, username: str) -> str:
    return token_create(actor=None, user=users[username], name="探针")[1]


def api_call(client, key: str, method: str, url: str, body: dict | None):
    return client.generic(
        method.upper(),
        url,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def probe_api(client, users, children) -> tuple[int, list[str]]:
    """Call every API route as each outsider with their token: the route's own method with a
    valid body, and every other method; return (requests made, leaks found)."""
    keys = {username: api_key(users, username) for username in OUTSIDERS}
    leaks, checked = [], 0
    for name, route, method, body in api_requests(children):
        has_args = "<" in route
        url = fill(route, outsider_args(name, children)) if has_args else fill(route, {})
        for username in OUTSIDERS:
            since = last_audit_id()
            response = api_call(client, keys[username], method, url, body)
            where = f"{username} {method.upper()} {url} ({name})"
            leaks += findings(where, response, has_args, since, children["b"])
            checked += 1
    return checked, leaks


@pytest.fixture
def attachment_b(children, settings, tmp_path):
    """A photo of child B, so that attachment URLs have something to leak."""
    settings.MEDIA_ROOT = tmp_path
    return attachment_build(children["b"])


@pytest.mark.django_db
def test_it_probes_every_url_for_leaks(client, users, children, attachment_b):
    # History exists for child B so that past-version URLs have something to leak.
    child_b = children["b"]
    data = initial_from_child(child_b) | {"hobbies": "画画"}
    child_update(actor=users["supervisor_1"], child=child_b, version=child_b.version, data=data)
    checked, leaks = probe(client, users, children)
    assert leaks == []
    assert checked > 30
    checked, leaks = probe_api(client, users, children)
    assert leaks == []
    # 7 operations on 5 routes, 5 methods on each route, 3 outsiders; plus openapi.json and root.
    assert checked >= 5 * 5 * 3


@pytest.mark.django_db
def test_it_lets_no_anonymous_request_through(client, users, children):
    """Without a login or a token, every page sends to the login page and every API route,
    the schema and its docs page included, answers 401 (the docs page: the login page)."""
    login = "/accounts/login/"
    asked = 0
    for name, route in all_routes():
        if name in PUBLIC:
            continue
        asked += 1
        has_args = "<" in route
        url = fill(route, outsider_args(name, children)) if has_args else fill(route, {})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            where = f"anonymous {method.upper()} {url} ({name})"
            if name.endswith(":api-root"):
                assert response.status_code in (404, 405), where  # ninja's placeholder, no data
            elif route.startswith(API) and not name.endswith(":openapi-view"):
                assert response.status_code in (401, 405), f"{where}: {response.status_code}"
            elif response.status_code != 405:
                assert response.status_code == 302, f"{where}: {response.status_code}"
                assert response["Location"].startswith(login), where
    assert asked > 30


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
def test_it_lets_the_owner_through(client, users, children, attachment_b):
    """The same walk as the owner (B's director, or OWNERS) reaches the data: the probe would
    notice a broken URL."""
    reached = 0
    for name, route in all_routes():
        if name in PUBLIC or route.startswith("api/"):
            continue
        if "<" not in route and name not in OUTSIDER_QUERIES:
            continue
        if name.startswith("registry:") and "history" in route:
            continue
        client.force_login(users[OWNERS.get(name, "director_b")])
        url = fill(route, outsider_args(name, children) if "<" in route else {})
        if name in OUTSIDER_QUERIES:
            url += f"?{OUTSIDER_QUERIES[name](children)}"
        response = client.get(url)
        assert response.status_code in (200, 302, 405), f"{name}: {response.status_code}"
        reached += 1
    assert reached > 20


@pytest.mark.django_db
def test_it_lets_the_owner_through_the_api(client, users, children):
    """Each described call on child B succeeds for B's director: outsiders' 404s are meaningful."""
    key = api_key(users, "director_b")
    called = 0
    for name, route in all_routes():
        if not route.startswith(API) or "<" not in route:
            continue
        method, body = api_calls(children)[name.split(":")[-1]]
        response = api_call(client, key, method, fill(route, outsider_args(name, children)), body)
        assert response.status_code == 200, f"{name}: {response.status_code} {response.content}"
        called += 1
    assert called >= 4  # the routes with an id: a child, its update, its closing, a household


def leaky_api(*, undescribed: bool = False):
    from ninja import NinjaAPI

    api = NinjaAPI(urls_namespace="api-leak", docs_url=None)

    @api.get("/children/{child_id}", url_name="child_get")
    def child_get(request, child_id: int):
        return {"name": Child.objects.get(pk=child_id).name}

    if undescribed:

        @api.get("/secret", url_name="mystery")
        def mystery(request):
            return {}

    return api


@pytest.fixture
def mount(settings):
    """Serve extra URL patterns beside the project's for one test."""
    import sys
    import types

    from django.urls import clear_url_caches, include, path

    def _mount(*patterns):
        module = types.ModuleType("probe_extra_urls")
        module.urlpatterns = [path("", include("guanai.urls")), *patterns]
        sys.modules["probe_extra_urls"] = module
        settings.ROOT_URLCONF = "probe_extra_urls"
        clear_url_caches()

    yield _mount
    clear_url_caches()


@pytest.mark.django_db
def test_it_catches_an_api_route_that_forgets_scoping(client, users, children, mount):
    from django.urls import path

    mount(path("api/leak/", leaky_api().urls))
    _, leaks = probe_api(client, users, children)
    assert any("/api/leak/children/" in leak and "answered 200" in leak for leak in leaks)
    assert any("/api/leak/children/" in leak and "showed 李小红" in leak for leak in leaks)


@pytest.mark.django_db
def test_it_fails_on_an_api_route_it_does_not_know(client, users, children, mount):
    from django.urls import path

    mount(path("api/leak/", leaky_api(undescribed=True).urls))
    with pytest.raises(AssertionError, match="api-leak:mystery is not described"):
        probe_api(client, users, children)


def probe_writes(client, users, children, capture) -> tuple[int, list[str]]:
    """Write paths as outsiders, with valid input: each importer uploads, with the upload page,
    a roster of their own village carrying child B's ID number (the probe that once merged
    into B's file); every outsider accepts a review pair of B's and saves B's file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from guanai.ingest.jobs import import_job_run
    from guanai.ingest.models import ImportJob, ReviewPair
    from guanai.ingest.tests.factories import xlsx_bytes

    foreign = children["b"]
    before = (foreign.version, foreign.guardians.count())
    leaks, checked = [], 0
    own_village = {"supervisor_2": children["c"].division}
    for username, village in own_village.items():
        client.force_login(users[username])
        rows = [
            ["姓名", "身份证号", "村(居)", "监护人", "联系电话"],
            [foreign.name, foreign.id_number, village.code, "外乡监护人", "13900002222"],
        ]
        upload = SimpleUploadedFile("名册.xlsx", xlsx_bytes(rows))
        since = last_audit_id()
        with capture(execute=True):
            response = client.post(
                reverse("ingest:import_upload"), {"file": upload, "source": "civil"}
            )
        where = f"{username} uploads a roster with B's number"
        if response.status_code != 302:
            leaks.append(f"{where}: upload answered {response.status_code}")
        job = ImportJob.objects.get(created_by=users[username])
        import_job_run(job.pk)  # what the worker does
        leaks += findings(where, client.get(response.url), False, since, foreign)
        checked += 1
    # The row waits for the county: the outsiders may not decide it.
    pair = ReviewPair.objects.get(child=foreign, held_outside=True)
    for username in OUTSIDERS:
        client.force_login(users[username])
        since = last_audit_id()
        for url, data in [
            (reverse("ingest:review_decide", args=[pair.pk]), {"decision": "accept"}),
            (
                reverse("registry:child_edit", args=[foreign.pk]),
                {k: v for k, v in initial_from_child(foreign).items() if v is not None}
                | {"version": foreign.version, "hobbies": "篮球"},
            ),
        ]:
            response = client.post(url, data)
            leaks += findings(f"{username} POST {url}", response, True, since, foreign)
            checked += 1
    client.logout()
    foreign.refresh_from_db()
    if (foreign.version, foreign.guardians.count()) != before:
        leaks.append(f"{foreign.name}'s file changed: {before} -> {foreign.version}")
    return checked, leaks


@pytest.mark.django_db
def test_it_probes_write_paths_for_changes(
    client, users, children, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    checked, leaks = probe_writes(client, users, children, django_capture_on_commit_callbacks)
    assert leaks == []
    assert checked == 1 + 2 * len(OUTSIDERS)

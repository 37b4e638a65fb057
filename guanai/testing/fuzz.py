"""Malformed requests for every API operation and every page, as a logged-in user who owns the
objects in the URL (so that requests reach the forms, not only the jurisdiction check).

Used by the fuzz test (guanai/core/tests/test_fuzz.py) and, for a larger round, by
bench/fuzz_requests.py. Whatever is thrown, the answer must not be a 5xx.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

from hypothesis import strategies as st

API = "api/"
# Pages whose POST ends the session, or that belong to login (its own tests and helper).
SKIPPED = {"accounts:login", "accounts:logout", "set_language"}

# Values that broke, or could break, parsing: huge and odd integers, digits that str.isdigit
# takes but int() does not, full-width digits, NUL, SQL, dates that do not exist.
NASTY = [
    "",
    "0",
    "-1",
    "1.5",
    "1e3",
    "9223372036854775807",
    "9223372036854775808",
    str(2**64),
    "9" * 40,
    "²",
    "١٢",
    "１２３",
    "１３８００００１１１１",
    "' OR 1=1--",
    "\x00",
    "a\x00b",
    "NaN",
    "inf",
    "true",
    "null",
    "[]",
    "{}",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "2015-03-08",
    "<script>alert(1)</script>",
    "%",
    "../../etc/passwd",
    "国" * 300,
]
# Integers at the edges of what databases and Python's int() hold.
NUMBERS = [
    "-1",
    "0",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "9" * 40,
    "1" * 5000,
]
# Parameter names read by views and the API, beside those found in each page's form.
PARAMS = [
    "offset",
    "limit",
    "q",
    "division",
    "include_inactive",
    "missing_id",
    "reveal",
    "page",
    "version",
    "job",
    "due",
    "year",
    "node",
    "status",
    "source",
    "sibling_of",
    "carer",
    "area",
    "all",
    "next",
    "only",
    "change",
    "decision",
]
METHODS = ("get", "post", "put", "patch", "delete")
# Who uses a namespace's pages, where B's director does not (OWNERS of the probe come first).
_USERS = {"accounts": "admin", "ingest": "supervisor_1"}


@dataclass(frozen=True)
class Target:
    name: str  # URL name
    url: str
    method: str
    username: str
    fields: tuple[str, ...]  # form field names or body keys the endpoint knows
    params: tuple[str, ...] = ()  # query parameters it reads, where known
    # What a valid request sends (the form as the page fills it, the probe's API body): each
    # malformed request changes a few values of it, so that it gets past the other fields.
    baseline: tuple[tuple[str, object], ...] = ()

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/" + API)


class _FormReader(HTMLParser):
    """The fields of a page's forms with the values the page fills in."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(name, [])
            elif a.get("type") != "file":
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, [""])

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.values[self._select] = chosen
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] = [data.strip()]


def _form(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.values


def _operation(schema: dict, url_name: str) -> dict:
    """The OpenAPI operation of a URL name (ninja's operationId ends with the view's name)."""
    for methods in schema["paths"].values():
        for operation in methods.values():
            if operation["operationId"].endswith("_" + url_name):
                return operation
    return {}


def _body_keys(schema: dict, operation: dict) -> tuple[str, ...]:
    ref = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
    )
    model = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return tuple(model.get("properties", {}))


def targets(client, users, children) -> list[Target]:
    """Every page (GET and POST) and every API operation (every method), with the owner's
    objects in the URL; a page's fields are read from its form."""
    from guanai.core.tests.test_jurisdiction_probe import (
        OWNERS,
        all_routes,
        api_calls,
        fill,
        outsider_args,
    )

    found = []
    calls = api_calls(children)
    client.force_login(users["county"])
    schema = client.get("/api/v1/openapi.json").json()
    for name, route in all_routes():
        if name in SKIPPED:
            continue
        url = fill(route, outsider_args(name, children)) if "<" in route else fill(route, {})
        if route.startswith(API):
            own, body = calls[name.split(":")[-1]]
            operation = _operation(schema, name.split(":")[-1])
            keys = _body_keys(schema, operation)
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            found.append(
                Target(name, url, own, "director_b", keys, params, tuple((body or {}).items()))
            )
            found += [Target(name, url, m, "director_b", keys) for m in METHODS if m != own]
            continue
        username = OWNERS.get(name) or _USERS.get(name.split(":")[0], "director_b")
        client.force_login(users[username])
        page = client.get(url)
        # Only pages have forms: a PDF or a spreadsheet is not read as HTML (its bytes can hold
        # anything, "<![" included).
        is_page = not page.streaming and page.get("Content-Type", "").startswith("text/html")
        html = page.content.decode("utf-8", "replace") if is_page else ""
        form = _form(html)
        baseline = tuple(form.items())
        found.append(Target(name, url, "get", username, tuple(form), tuple(form)))
        found.append(Target(name, url, "post", username, tuple(form), (), baseline))
    client.logout()
    return found


def text_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(NUMBERS),
        st.text(max_size=30),
        st.integers().map(str),
        st.just("1"),
    )


def json_values() -> st.SearchStrategy:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from(NUMBERS[:-1]).map(int),
        st.floats(allow_nan=True, allow_infinity=True),
        text_values(),
    )
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(text_values(), inner, max_size=3)
        ),
        max_leaves=6,
    )


def query_strings(params: Iterable[str]) -> st.SearchStrategy[str]:
    """Mostly the parameters the target reads, sometimes any other."""
    known = sorted(set(params))
    others = st.sampled_from(PARAMS) | st.text(max_size=8)
    names = st.one_of(st.sampled_from(known), st.sampled_from(known), others) if known else others
    pairs = st.lists(st.tuples(names, text_values()), max_size=4)
    return pairs.map(lambda p: urlencode(p))


def form_data(target: Target) -> st.SearchStrategy[dict[str, list[str]]]:
    names = st.sampled_from(sorted({*target.fields, *PARAMS}))
    changes = st.dictionaries(names, st.lists(text_values(), max_size=2), min_size=1, max_size=3)
    return changes.map(lambda changed: dict(target.baseline) | changed)


def json_bodies(target: Target) -> st.SearchStrategy[bytes]:
    keys = st.sampled_from(sorted(target.fields) or ["x"])
    changed = st.dictionaries(keys | text_values(), json_values(), min_size=1, max_size=3)
    objects = changed.map(lambda change: dict(target.baseline) | change)
    as_json = st.one_of(objects, objects, objects, json_values()).map(
        lambda value: json.dumps(value, ensure_ascii=False).encode()
    )
    # Beyond Python's 4300 digits, json.loads itself refuses the number.
    too_long = keys.map(lambda key: f'{{"{key}": {NUMBERS[-1]}}}'.encode())
    return st.one_of(as_json, as_json, as_json, st.binary(max_size=40), too_long)


def requests(target: Target) -> st.SearchStrategy[tuple[str, object]]:
    """(query string, body) for one target: JSON bytes for the API, form data for pages."""
    body = json_bodies(target) if target.is_api else form_data(target)
    return st.tuples(query_strings(target.params), body)


def send(client, key: str | None, target: Target, query: str, body):
    url = f"{target.url}?{query}" if query else target.url
    extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if target.is_api and key else {}
    if target.is_api:
        return client.generic(
            target.method.upper(), url, body, content_type="application/json", **extra
        )
    if target.method == "get":
        return client.get(url)  # its fields travel in the query string
    return client.post(url, body)

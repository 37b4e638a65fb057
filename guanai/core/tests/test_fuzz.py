"""Malformed query strings, JSON bodies and form posts at every API operation and every page, as
logged-in users who own the objects: never a 5xx (issue 12). bench/fuzz_requests.py runs more."""

import pytest
from hypothesis import HealthCheck, given, settings

from guanai.accounts.tokens import token_create
from guanai.core.heartbeat import worker_beat
from guanai.testing import fuzz

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(client, users, children, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A worker beats and the disk has room: /readyz is ready (its 503 otherwise is its answer,
    # not a fault).
    settings.VAR_DIR, settings.READY_MIN_FREE_MB = tmp_path, 1
    worker_beat("fuzz")
    everything = fuzz.targets(client, users, children)
    keys = {name: token_create(actor=None, user=users[name], name="模糊测试")[1] for name in users}
    return everything, keys


def throw_at(client, users, keys, targets, examples: int) -> int:
    """`examples` malformed requests at each target; returns how many were sent."""
    return sum(throw_one(client, users, keys, target, examples) for target in targets)


def throw_one(client, users, keys, target: fuzz.Target, examples: int) -> int:
    sent = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same requests on every run; bench/fuzz_requests.py explores
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(fuzz.requests(target))
    def throw(drawn):
        nonlocal sent
        query, body = drawn
        if not target.is_api:
            client.force_login(users[target.username])
        response = fuzz.send(client, keys[target.username], target, query, body)
        sent += 1
        assert response.status_code < 500, (target.name, target.method, query, body)

    throw()
    return sent


def test_it_knows_every_page_and_api_operation(walk):
    everything, _ = walk
    assert len({t.url for t in everything if t.is_api}) >= 8
    assert len({t.url for t in everything if not t.is_api}) >= 40
    # Forms were read, with the values the page fills in: the edit page offers the file's
    # fields, its version among them, to throw values at.
    edit = next(t for t in everything if t.name == "registry:child_edit" and t.method == "post")
    baseline = dict(edit.baseline)
    assert {"version", "household_phone", "birth_date"} <= set(edit.fields)
    assert baseline["name"] == ["李小红"] and baseline["version"] == ["1"]
    child_list = next(t for t in everything if t.name.endswith(":child_list"))
    assert {"offset", "limit", "q"} <= set(child_list.params)


def test_no_api_operation_answers_5xx(client, users, walk):
    everything, keys = walk
    own = [t for t in everything if t.is_api and (t.baseline or t.params or t.method == "get")]
    others = [t for t in everything if t.is_api and t not in own]
    assert throw_at(client, users, keys, own, 20) + throw_at(client, users, keys, others, 1) > 150


def test_no_page_answers_5xx(client, users, walk):
    everything, keys = walk
    posts = [t for t in everything if not t.is_api and t.method == "post"]
    gets = [t for t in everything if not t.is_api and t.method == "get"]
    sent = throw_at(client, users, keys, posts, 5) + throw_at(client, users, keys, gets, 2)
    assert sent > 250

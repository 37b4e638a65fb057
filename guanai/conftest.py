"""Shared fixtures.

No transactional (transaction=True / live_server) tests: the audit table is append-only in the
database, so Django cannot flush it between such tests. Browser tests run a server process on a
database of their own (guanai/e2e).
"""

from datetime import date

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from guanai.testing.clients import TwoFactorClient
from guanai.testing.factories import Place, child_build, place_build, standard_users


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing ask for it themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def source_language_after_each_test():
    """A page asked for in English leaves English active in the thread (the language middleware
    activates a request's language and, like Django's, leaves it): what a test does next outside
    a request, such as raising a lazy message, would read English. Each test starts in zh-hans."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def client() -> TwoFactorClient:
    """pytest-django's client, whose force_login also passes the second login step."""
    return TwoFactorClient()


@pytest.fixture
def place(db) -> Place:
    return place_build()


@pytest.fixture
def users(place):
    return standard_users(place)


@pytest.fixture
def children(place):
    """One child in each village: a (A), b (B, sibling village), c (other township)."""
    return {
        "a": child_build(place.village_a, "张小明"),
        "b": child_build(place.village_b, "李小红", sex="F", birth=date(2012, 7, 1)),
        "c": child_build(place.village_c, "王小刚"),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login

"""通知 in the menu of every role, with the unread count: one COUNT per page, on every page
the role's menu offers, in the one menu that the phone layout folds behind ☰."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanai.core.menu import menu_for
from guanai.notices.testing import notice_build

ROLES = ["director_a", "supervisor_1", "county", "department", "carer_a"]


def mainnav(html: str) -> str:
    """The menu: a top bar on wide screens, folded behind the ☰ button on phones (base.html)."""
    found = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert found, "no main menu on the page"
    return found.group(1)


def unread_counts(queries) -> list[str]:
    """The unread counts among the queries (the inbox's pager counts all notices besides)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT COUNT(*)")
        and '"notices_notice"."read_at" IS NULL' in q["sql"]
    ]


@pytest.mark.django_db
def test_the_label_counts_the_unread(users):
    user = users["carer_a"]
    assert dict((key, label) for label, _, key in menu_for(user))["notices"] == "通知"
    for key in ("a", "b", "c"):
        notice_build(user, key=key)
    notice_build(users["director_a"], key="d")  # someone else's
    assert dict((key, label) for label, _, key in menu_for(user))["notices"] == "通知 (3)"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role_shows_the_count_once(client, users, username):
    user = users[username]
    notice_build(user, key="one")
    notice_build(user, key="two")
    client.force_login(user)
    pages = [url for _, url, _ in menu_for(user)]
    assert len(pages) >= 3  # home, notices and the role's own pages
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert '<a href="/notices/"' in mainnav(response.content.decode()), url
        assert "通知 (2)" in mainnav(response.content.decode()), url
        assert len(unread_counts(queries)) == 1, (url, unread_counts(queries))


@pytest.mark.django_db
def test_the_phone_layout_opens_the_same_menu(client, users):
    """On a phone the menu is folded: the ☰ button opens the nav that holds 通知 (3)."""
    for key in ("a", "b", "c"):
        notice_build(users["carer_a"], key=key)
    client.force_login(users["carer_a"])
    html = client.get("/").content.decode()
    assert '<button class="nav-toggle"' in html
    assert "通知 (3)" in mainnav(html)

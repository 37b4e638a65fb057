"""A session ends after 30 idle minutes (a setting), and 8 hours after the login whatever."""

import time

import pytest
from django.urls import reverse

from guanai.accounts.middleware import LAST_SEEN, LOGIN_AT
from guanai.audit.models import Action, AuditEvent
from guanai.testing.factories import PASSWORD


def logged_in(client, username="director_a"):
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def age(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_session_ends_with_a_message_on_the_login_page(client, users):
    logged_in(client)
    age(client, LAST_SEEN, 31 * 60)
    response = client.get(reverse("registry:child_list"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("accounts:login")).content.decode()
    assert "超过 30 分钟未操作,已自动退出" in page
    assert AuditEvent.objects.filter(
        action=Action.LOGOUT, actor=users["director_a"], detail__startswith="超过 30 分钟未操作"
    ).exists()


@pytest.mark.django_db
def test_use_keeps_a_session_alive(client, users):
    logged_in(client)
    for _ in range(3):
        age(client, LAST_SEEN, 29 * 60)
        age(client, LOGIN_AT, 29 * 60)
        assert client.get(reverse("registry:child_list")).status_code == 200
        # Each request counts as use again (written at most once a minute).
        assert time.time() - client.session[LAST_SEEN] < 5


@pytest.mark.django_db
def test_the_idle_limit_is_a_setting(client, users, settings):
    settings.SESSION_IDLE_MINUTES = 5
    logged_in(client)
    age(client, LAST_SEEN, 6 * 60)
    assert client.get(reverse("registry:child_list"))["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_eight_hours_after_the_login_the_session_ends_however_busy(client, users):
    logged_in(client)
    age(client, LOGIN_AT, 8 * 3600 + 1)
    response = client.get(reverse("registry:child_list"))
    assert response["Location"] == reverse("accounts:login")
    assert "登录已超过 8 小时" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_an_htmx_request_of_an_idle_session_moves_the_whole_page(client, users):
    logged_in(client)
    age(client, LAST_SEEN, 31 * 60)
    response = client.get(reverse("registry:child_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("accounts:login")

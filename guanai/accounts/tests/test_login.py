from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.audit.models import Action, AuditEvent
from guanai.testing.factories import PASSWORD, user_build


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_it_logs_in_and_audits(client, users):
    response = post_login(client, "director_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == users["director_a"]
    assert event.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_in_chinese_and_audits(client, users):
    response = post_login(client, "director_a", "wrong")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, object_label="director_a").exists()


@pytest.mark.django_db
def test_an_unknown_user_gets_the_same_message(client, users):
    response = post_login(client, "nobody", "wrong")
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, object_label="nobody").exists()


@pytest.mark.django_db
def test_it_locks_after_repeated_failures(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = post_login(client, "director_a", "wrong")
    assert "已锁定" in response.content.decode()
    # The right password does not help while locked.
    response = post_login(client, "director_a", PASSWORD)
    assert response.status_code == 400
    assert "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_expires(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    post_login(client, "director_a", "wrong")
    post_login(client, "director_a", "wrong")
    User.objects.filter(username="director_a").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert post_login(client, "director_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_user_without_a_node_cannot_log_in(client, place):
    user = User.objects.create(username="lost", role=Role.CHILD_DIRECTOR)
    user.set_password(PASSWORD)
    user.save()
    response = post_login(client, "lost", PASSWORD)
    assert response.status_code == 400
    assert "尚未分配所属区划" in response.content.decode()


@pytest.mark.django_db
def test_an_inactive_user_is_told(client, users):
    User.objects.filter(username="director_a").update(is_active=False)
    response = post_login(client, "director_a", PASSWORD)
    assert "已停用" in response.content.decode()


@pytest.mark.django_db
def test_pages_need_a_login(client, place):
    response = client.get(reverse("registry:child_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_logout_is_audited(client, users):
    client.force_login(users["county"])
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=users["county"]).exists()


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(place, settings):
    from guanai import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = user_build("hashed", Role.CARER, place.village_a)
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_it_rejects_an_external_next_url(client, users):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "director_a", "password": PASSWORD},
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_each_role_gets_a_home_page(client, users, children):
    assert {user.role for user in users.values()} >= {"admin", "carer", "child_director"}
    for user in users.values():
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200, user.username
        assert user.role_label in response.content.decode()


@pytest.mark.django_db
def test_secure_headers(client, users):
    client.force_login(users["director_a"])
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"

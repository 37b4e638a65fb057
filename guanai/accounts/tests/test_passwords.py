"""The password policy: length, character classes, username, common list, history, changes
at the first login and after the county's interval."""

from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from guanai.accounts.models import PasswordHistory, Role, User
from guanai.accounts.passwords import character_classes, password_generate
from guanai.accounts.services import password_change, password_reset, user_create
from guanai.audit.models import Action, AuditEvent
from guanai.core.errors import DomainError
from guanai.testing.factories import PASSWORD


def refusal(password: str, user=None) -> str:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            password_validation.validate_password(password, user)
        return ";".join(caught.value.messages)


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.django_db
def test_the_rules_each_refuse_in_chinese(users):
    user = users["director_a"]
    assert refusal("Ab-345678", user) == "密码至少需要 10 个字符"  # 9 characters
    password_validation.validate_password("Ab-3456789", user)  # 10 pass
    assert "至少 3 类" in refusal("abcdefghijkl", user)
    assert "至少 3 类" in refusal("abcdefgh1234", user)  # two classes
    assert "用户名" in refusal("Xdirector_a-9", user)
    assert "用户名" in refusal("DIRECTOR_A-x9", user)
    assert refusal("Password1234", user) == "这个密码太常见了。"  # only on the common list
    password_validation.validate_password("Abcdefgh1234", user)  # three classes
    password_validation.validate_password("abcdefgh-234", user)  # lower, symbol, digit
    password_validation.validate_password("儿童关爱保护一人一档a1", user)  # others, lower, digit


def test_character_classes_are_counted():
    assert character_classes("abc") == 1
    assert character_classes("aB1") == 3
    assert character_classes("aB1-") == 4
    assert character_classes("关爱1") == 2
    assert all(character_classes(password_generate()) >= 3 for _ in range(50))


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_again(users, chinese):
    user = users["director_a"]
    passwords = [f"New-pass-{n}0{n}" for n in range(1, 6)]
    old = PASSWORD
    for new in passwords:
        password_change(user=user, old_password=old, new_password=new)
        old = new
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The current one and the four before it are refused; the first (six back) is allowed.
    for reused in passwords:
        with pytest.raises(DomainError) as caught:
            password_change(user=user, old_password=old, new_password=reused)
        assert "最近 5 次" in caught.value.message
        assert caught.value.field == "new_password"
    password_change(user=user, old_password=old, new_password=PASSWORD)
    assert user.check_password(PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 5


@pytest.mark.django_db
def test_the_history_keeps_hashes_only(users):
    row = PasswordHistory.objects.filter(user=users["director_a"]).first()
    assert row.password == users["director_a"].password
    assert PASSWORD not in row.password


@pytest.mark.django_db
def test_a_wrong_old_password_changes_nothing(users):
    user = users["director_a"]
    with pytest.raises(DomainError) as caught:
        password_change(user=user, old_password="wrong", new_password="New-pass-2026x")
    assert caught.value.field == "old_password"
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_user_create_applies_the_policy(place, chinese):
    with pytest.raises(DomainError) as caught:
        user_create(
            actor=None,
            username="weakling",
            password="weakling-2026",
            role=Role.CARER,
            division=place.village_a,
        )
    assert caught.value.field == "password" and "用户名" in caught.value.message
    assert not User.objects.filter(username="weakling").exists()


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_an_account_made_by_an_administrator_changes_its_password_first(client, users, place):
    client.force_login(users["county"])
    client.post(
        reverse("accounts:user_new"),
        {
            "username": "new_director",
            "full_name": "新主任",
            "role": "child_director",
            "division": place.village_c.pk,
            "password": "Strong-pass-2026",
        },
    )
    client.logout()
    assert User.objects.get(username="new_director").must_change_password
    response = post_login(client, "new_director", "Strong-pass-2026")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))
    # Nothing else is reachable until it is done.
    assert client.get(reverse("registry:child_list"))["Location"].startswith(
        reverse("accounts:password_change")
    )
    page = client.get(reverse("accounts:password_change"))
    assert "管理员设置的初始密码" in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Strong-pass-2026",
            "new_password": "Strong-pass-2026",
            "new_password_again": "Strong-pass-2026",
        },
    )
    assert response.status_code == 400
    assert "最近 5 次" in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Strong-pass-2026",
            "new_password": "My-own-pass-77",
            "new_password_again": "My-own-pass-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("registry:child_list")).status_code == 200  # still logged in
    user = User.objects.get(username="new_director")
    assert not user.must_change_password and user.check_password("My-own-pass-77")
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(user.pk), detail="修改密码"
    ).exists()


@pytest.mark.django_db
def test_a_password_older_than_the_interval_must_be_changed(client, users, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = users["director_a"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    response = client.get(reverse("registry:child_list"))
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert "超过 90 天" in client.get(reverse("accounts:password_change")).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0  # the county turned the interval off
    assert client.get(reverse("registry:child_list")).status_code == 200


@pytest.mark.django_db
def test_the_new_passwords_must_match(client, users):
    client.force_login(users["director_a"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "New-pass-2026x", "new_password_again": "x"},
    )
    assert response.status_code == 400
    assert "不一致" in response.content.decode()
    assert User.objects.get(pk=users["director_a"].pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_a_manager_resets_a_password_shown_once(client, users):
    client.force_login(users["county"])
    target = users["director_a"]
    response = client.post(reverse("accounts:user_password_reset", args=[target.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    password = body.split('id="temporary-password">')[1].split("<")[0]
    target.refresh_from_db()
    assert target.check_password(password) and target.must_change_password
    assert password not in "".join(str(m) for m in response.cookies.values())
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(target.pk), detail__startswith="重置密码"
    ).exists()


@pytest.mark.django_db
def test_an_outsider_cannot_reset_a_password(client, users):
    client.force_login(users["supervisor_1"])
    response = client.post(reverse("accounts:user_password_reset", args=[users["director_a"].pk]))
    assert response.status_code == 404
    assert (
        users["director_a"]
        .__class__.objects.get(pk=users["director_a"].pk)
        .check_password(PASSWORD)
    )


@pytest.mark.django_db
def test_password_reset_service_sets_the_flag(users):
    password = password_reset(actor=users["admin"], user=users["carer_a"])
    assert len(password) == 12 and users["carer_a"].must_change_password


@pytest.mark.django_db
def test_a_wrong_old_password_is_audited(users):
    with pytest.raises(DomainError):
        password_change(user=users["carer_a"], old_password="wrong", new_password="New-pass-2026x")
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(users["carer_a"].pk), detail__contains="原密码错误"
    ).exists()

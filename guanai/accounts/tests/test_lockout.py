"""Lock-out per account and per client address, answering alike whether the account exists."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import LoginThrottle, User
from guanai.audit.models import Action, AuditEvent
from guanai.testing.factories import PASSWORD


def post_login(client, username, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def normalised(response, username: str) -> tuple:
    """Status, headers and body with the two things that may differ taken out: the name the
    user typed (shown again in the form) and the per-response mask of the CSRF token."""
    body = response.content.decode()
    body = body.replace(f'value="{username}"', 'value="NAME"')
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Content-Length")
    return response.status_code, headers, sorted(response.cookies), body


@pytest.mark.django_db
def test_an_unknown_and_a_known_username_get_identical_failures(client, users):
    for _ in range(3):
        known = post_login(client, "director_a", "wrong-password")
        unknown = post_login(client, "nobody_xy", "wrong-password")
        assert normalised(known, "director_a") == normalised(unknown, "nobody_xy")
    assert "用户名或密码错误" in known.content.decode()
    assert "再失败" not in known.content.decode()


@pytest.mark.django_db
def test_an_unknown_username_locks_like_a_known_one(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        known = post_login(client, "director_a", "wrong-password")
        unknown = post_login(client, "nobody_xy", "wrong-password")
    assert "已锁定" in known.content.decode()
    assert normalised(known, "director_a") == normalised(unknown, "nobody_xy")
    # While locked, the right password gets the same refusal as any password for a non-account.
    known = post_login(client, "director_a", PASSWORD)
    unknown = post_login(client, "nobody_xy", PASSWORD)
    assert normalised(known, "director_a") == normalised(unknown, "nobody_xy")
    assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.filter(key="name:nobody_xy", locked_until__isnull=False).exists()


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts how often a password is hashed."""

    algorithm = "md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def hashes_for(client, username, password) -> int:
    CountingHasher.calls = 0
    post_login(client, username, password)
    return CountingHasher.calls


@pytest.mark.django_db
def test_every_refusal_costs_one_password_hash(client, users, settings):
    """The time an answer takes is the hash's: one for a wrong password, an unknown name and a
    locked account alike, so timing does not tell them apart either."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    user = User.objects.get(username="director_a")
    user.set_password(PASSWORD)
    user.save()
    assert hashes_for(client, "director_a", "wrong-password") == 1
    assert hashes_for(client, "nobody_xy", "wrong-password") == 1
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timedelta(minutes=5))
    assert hashes_for(client, "director_a", PASSWORD) == 1


@pytest.mark.django_db
def test_an_address_is_locked_whatever_names_it_tries(client, users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for name in ("a1", "a2", "a3", "a4"):
        response = post_login(client, name, "wrong-password")
    assert "已锁定" in response.content.decode()
    # Even the right password of an account that never failed is refused from that address...
    response = post_login(client, "director_b", PASSWORD)
    assert response.status_code == 400 and "已锁定" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_FAILED, object_label="director_b", detail="地址已锁定"
    ).exists()
    # ... and let in from another.
    response = post_login(client, "director_b", PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


@pytest.mark.django_db
def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    for hop in ("10.1.1.1", "10.1.1.2"):
        post_login(client, "x", "wrong-password", HTTP_X_FORWARDED_FOR=hop)
    # Without a trusted proxy the header is ignored: both failures counted on REMOTE_ADDR.
    assert LoginThrottle.objects.get(key="address:127.0.0.1").locked_until is not None
    LoginThrottle.objects.all().delete()

    settings.TRUSTED_PROXY = True
    post_login(client, "x", "wrong-password", HTTP_X_FORWARDED_FOR="10.1.1.1, 10.9.9.9")
    post_login(client, "x", "wrong-password", HTTP_X_FORWARDED_FOR="10.1.1.2")
    assert set(
        LoginThrottle.objects.filter(key__startswith="address:").values_list("key", flat=True)
    ) == {
        "address:10.1.1.1",
        "address:10.1.1.2",
    }
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).first()
    assert event.ip_address == "10.1.1.2"
    # Not an address: REMOTE_ADDR is used.
    post_login(client, "x", "wrong-password", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert LoginThrottle.objects.filter(key="address:127.0.0.1").exists()


@pytest.mark.django_db
def test_a_success_resets_the_account_but_not_the_address(client, users, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    post_login(client, "director_a", "wrong-password")
    post_login(client, "director_a", "wrong-password")
    assert post_login(client, "director_a", PASSWORD).status_code == 302
    assert User.objects.get(username="director_a").failed_login_count == 0
    client.logout()
    # One valid account does not let an address go on guessing others.
    response = post_login(client, "director_b", "wrong-password")
    assert "已锁定" in response.content.decode()


@pytest.mark.django_db
def test_stale_names_are_forgotten(client, users, settings):
    old = timezone.now() - timedelta(hours=2)
    LoginThrottle.objects.create(
        key="name:old", failed_login_count=5, last_failed_login_at=old, locked_until=old
    )
    LoginThrottle.objects.create(key="name:older", failed_login_count=1, last_failed_login_at=old)
    post_login(client, "nobody_xy", "wrong-password")
    assert not LoginThrottle.objects.filter(key__in=["name:old", "name:older"]).exists()
    assert LoginThrottle.objects.filter(key="name:nobody_xy").exists()


@pytest.mark.django_db
def test_failures_of_requests_at_the_same_time_add_up():
    """A request that read no row for a name, while another made it, counts on that row."""
    from guanai.accounts.services import _count_failure, _throttle

    now = timezone.now()
    seen_empty = _throttle("name:racer")
    LoginThrottle.objects.create(key="name:racer", failed_login_count=2, last_failed_login_at=now)
    _count_failure(seen_empty, 3, now)
    row = LoginThrottle.objects.get(key="name:racer")
    assert row.failed_login_count == 3 and row.locked_until is not None
    assert seen_empty.locked_until == row.locked_until

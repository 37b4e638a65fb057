import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from guanai.accounts.models import ApiToken
from guanai.accounts.tokens import token_authenticate, token_create, token_revoke
from guanai.audit.models import Action, AuditEvent
from guanai.core.errors import DomainError


def test_it_stores_only_the_hash_of_a_new_key(users):
    token, key = token_create(actor=users["admin"], user=users["director_a"], name="教育局学籍系统")
    assert len(key) >= 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and not token.prefix.startswith("-")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(v) for v in stored.values()}
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="accounts.apitoken")
    assert event.actor == users["admin"] and event.division_code == "360426001001"


def test_it_refuses_a_token_without_a_name_or_for_a_deactivated_user(users):
    with pytest.raises(DomainError, match="用途"):
        token_create(actor=None, user=users["director_a"], name="  ")
    users["director_b"].is_active = False
    users["director_b"].save()
    with pytest.raises(DomainError, match="已停用"):
        token_create(actor=None, user=users["director_b"], name="x")


def test_it_authenticates_and_notes_use_at_most_once_a_minute(users):
    token, key = token_create(actor=None, user=users["director_a"], name="x")
    assert token_authenticate(key) == users["director_a"]
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    token_authenticate(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    token_authenticate(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_it_refuses_unknown_keys_without_filling_the_audit_log(users):
    with pytest.raises(DomainError, match="令牌无效"):
        token_authenticate("not-a-key")
    assert not AuditEvent.objects.filter(action=Action.LOGIN_FAILED).exists()


def test_it_refuses_a_revoked_token(users):
    token, key = token_create(actor=None, user=users["director_a"], name="x")
    token_revoke(actor=users["admin"], prefix=token.prefix)
    with pytest.raises(DomainError, match="已吊销"):
        token_authenticate(key)
    refused = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert refused.object_label == "director_a" and token.prefix in refused.detail
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(token.pk)).exists()


def test_it_refuses_tokens_of_deactivated_or_locked_users(users):
    director = users["director_a"]
    _, key = token_create(actor=None, user=director, name="x")
    director.locked_until = timezone.now() + timedelta(minutes=5)
    director.save()
    with pytest.raises(DomainError, match="锁定"):
        token_authenticate(key)
    director.locked_until = None
    director.is_active = False
    director.save()
    with pytest.raises(DomainError, match="停用"):
        token_authenticate(key)


def test_it_cannot_revoke_an_unknown_or_already_revoked_prefix(users):
    token, _ = token_create(actor=None, user=users["director_a"], name="x")
    with pytest.raises(DomainError, match="没有前缀"):
        token_revoke(actor=None, prefix="nothing!")
    token_revoke(actor=None, prefix=token.prefix)
    with pytest.raises(DomainError, match="没有前缀"):
        token_revoke(actor=None, prefix=token.prefix)


def test_the_command_prints_the_key_once_and_revokes_by_prefix(users):
    out = StringIO()
    call_command("api_token", "create", "--user", "county", "--name", "县教育局", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert token_authenticate(key) == users["county"]
    prefix = ApiToken.objects.get().prefix
    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert prefix in listing.getvalue() and key not in listing.getvalue()
    call_command("api_token", "revoke", prefix, stdout=StringIO())
    with pytest.raises(DomainError):
        token_authenticate(key)


def test_the_command_reports_an_unknown_user(users):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "create", "--user", "nobody", "--name", "x", stdout=StringIO())

"""Bearer tokens for other departments' systems: created and revoked on the command line,
checked on every API call.

A key is shown once, when it is created; only its SHA-256 is stored, so a copy of the database
opens nothing. A token acts as its user, with the same role and jurisdiction, and stops working
when it is revoked or when its user is deactivated or locked.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import ApiToken, User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError

PREFIX_LENGTH = 8
# last_used_at is written at most this often, not on every call.
TOUCH_INTERVAL = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    while True:
        key = secrets.token_urlsafe(32)
        # The prefix names the token on the command line: not an option, and not already taken.
        prefix = key[:PREFIX_LENGTH]
        if not prefix.startswith("-") and not ApiToken.objects.filter(prefix=prefix).exists():
            return key


def _division_code(user: User) -> str:
    return user.division.code if user.division_id else ""


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its key, which is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("请填写令牌用途(例如对接的系统名称)"), field="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise DomainError(_("令牌用途不能超过 100 个字"), field="name")
    if not user.is_active:
        raise DomainError(
            _("账户“%(user)s”已停用,不能创建令牌"),
            field="user",
            user=user.get_username(),
        )
    key = _new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH]
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=token,
        division_code=_division_code(user),
        detail=f"为 {user.get_username()} 创建接口令牌",
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User | None, prefix: str) -> ApiToken:
    matches = list(
        ApiToken.objects.select_related("user", "user__division").filter(
            prefix=prefix.strip(), revoked_at__isnull=True
        )[:2]
    )
    if not matches:
        raise DomainError(_("没有前缀为 %(prefix)s 的有效令牌"), prefix=prefix)
    if len(matches) > 1:
        raise DomainError(
            _("前缀 %(prefix)s 对应多个令牌,请联系管理员在数据库中核实"), prefix=prefix
        )
    token = matches[0]
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=token,
        division_code=_division_code(token.user),
        detail=f"吊销 {token.user.get_username()} 的接口令牌",
    )
    return token


def _refusal(token: ApiToken) -> str:
    """Why a known token may not be used now ('' if it may)."""
    user = token.user
    if token.revoked_at is not None:
        return "接口令牌已吊销"
    if not user.is_active:
        return "令牌所属账户已停用"
    if user.locked_until is not None and user.locked_until > timezone.now():
        return "令牌所属账户已锁定,请稍后再试或联系管理员"
    return ""


def token_authenticate(key: str) -> User:
    """The user a presented key acts as; DomainError with a Chinese message if it may not be used.

    Refusals of known tokens are audited (a revoked key still in use is worth seeing); unknown keys
    are not, so that guessing does not fill the log.
    """
    token = (
        ApiToken.objects.select_related("user", "user__division")
        .filter(key_hash=key_hash(key.strip()))
        .first()
    )
    if token is None:
        raise DomainError(_("接口令牌无效"))
    refusal = _refusal(token)
    if refusal:
        audit(
            actor=None,
            action=Action.LOGIN_FAILED,
            label=token.user.get_username(),
            detail=f"接口令牌 {token.prefix}:{refusal}",
        )
        raise DomainError(refusal)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_list() -> list[ApiToken]:
    return list(ApiToken.objects.select_related("user").order_by("user__username", "created_at"))

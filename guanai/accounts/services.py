"""Logging in, with lock-out after repeated failures, and creating users. Every outcome is audited."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from guanai.accounts.models import ROLE_LEVEL, Department, Role, User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError
from guanai.geo.models import Division

WRONG_CREDENTIALS = "用户名或密码错误"


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return f"登录失败次数过多,账户已锁定,请于 {until} 后再试或联系管理员解锁"


def _register_failure(user: User | None, username: str, reason: str) -> str:
    """Count a failed login; returns the message to show."""
    audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail=reason)
    if user is None:
        return WRONG_CREDENTIALS
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if user.last_failed_login_at is None or now - user.last_failed_login_at > window:
        user.failed_login_count = 0
    user.failed_login_count += 1
    user.last_failed_login_at = now
    if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
        user.locked_until = now + window
    user.save(update_fields=["failed_login_count", "last_failed_login_at", "locked_until"])
    if user.locked_until and user.locked_until > now:
        return _locked_message(user)
    left = settings.LOGIN_FAILURE_LIMIT - user.failed_login_count
    return f"{WRONG_CREDENTIALS},再失败 {left} 次账户将被锁定"


def login_check(*, request, username: str, password: str) -> User:
    """The user who may log in with these credentials, or DomainError with a Chinese message."""
    username = username.strip()
    if not username or not password:
        raise DomainError("请输入用户名和密码")
    known = User.objects.filter(username=username).select_related("division").first()
    if known and known.locked_until and known.locked_until > timezone.now():
        audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="账户已锁定")
        raise DomainError(_locked_message(known))
    user = authenticate(request, username=username, password=password)
    if user is None:
        if known is not None and not known.is_active and known.check_password(password):
            audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="账户已停用")
            raise DomainError("该账户已停用,请联系管理员")
        raise DomainError(_register_failure(known, username, "用户名或密码错误"))
    if user.role != Role.ADMIN and not user.is_superuser and user.division_id is None:
        audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="未分配所属区划")
        raise DomainError("该账户尚未分配所属区划,暂不能登录,请联系县级民政部门管理员")
    user.failed_login_count = 0
    user.last_failed_login_at = None
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "last_failed_login_at", "locked_until"])
    audit(actor=user, action=Action.LOGIN, target=user, division_code=_code(user))
    return user


def _code(user: User) -> str:
    return user.division.code if user.division_id else ""


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    division: Division | None,
    full_name: str = "",
    department: str = "",
    phone: str = "",
) -> User:
    """Create an account attached to a node of the right level for its role."""
    if User.objects.filter(username=username).exists():
        raise DomainError(f"用户名“{username}”已被使用", field="username")
    expected = ROLE_LEVEL.get(role)
    if expected is not None and (division is None or division.level != expected):
        raise DomainError(f"{role.label}必须属于一个{expected.label}级区划", field="division")
    if role == Role.DEPARTMENT and department not in Department.values:
        raise DomainError("部门工作人员必须选择所属部门", field="department")
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        division=division,
        department=department,
        phone=phone,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    audit(actor=actor, action=Action.CREATE, target=user, division_code=_code(user))
    return user


def unlock(*, actor: User, user: User) -> None:
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit(actor=actor, action=Action.UPDATE, target=user, detail="解除锁定")

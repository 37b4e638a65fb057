"""Logging in (password, lock-out, second factor), passwords and creating users. Every outcome
is audited.

Lock-out counts failures per account and per client address. A username that is no account
counts on a LoginThrottle row exactly as an account counts on its own, and the refusal reads
the same either way, so an outsider cannot learn from the answers which accounts exist.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanai.accounts import twofactor
from guanai.accounts.models import ROLE_LEVEL, Department, LoginThrottle, Role, User
from guanai.accounts.passwords import password_generate
from guanai.audit.middleware import client_ip
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError
from guanai.geo.models import Division


def wrong_credentials() -> str:
    return _("用户名或密码错误(连续失败 %(limit)d 次将锁定 %(minutes)d 分钟)") % {
        "limit": settings.LOGIN_FAILURE_LIMIT,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }


def _locked_message(until) -> str:
    return _("登录失败次数过多,已锁定,请于 %(time)s 后再试或联系管理员解锁") % {
        "time": f"{timezone.localtime(until):%H:%M}"
    }


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _throttle(key: str) -> LoginThrottle:
    return LoginThrottle.objects.filter(key=key[:200]).first() or LoginThrottle(key=key[:200])


def _counters(
    request, username: str, known: User | None
) -> list[tuple[User | LoginThrottle, int, str]]:
    """What a failure counts on: (row, its limit, what a lock of it is called in the audit)."""
    account = known if known is not None else _throttle(f"name:{username}")
    counters = [(account, settings.LOGIN_FAILURE_LIMIT, "账户已锁定")]
    address = client_ip(request)
    if address:
        counters.append(
            (_throttle(f"address:{address}"), settings.LOGIN_ADDRESS_FAILURE_LIMIT, "地址已锁定")
        )
    return counters


def _locked_until(counters, now):
    """The latest lock among the counters, and what is locked; (None, []) if none is."""
    locked = [
        (row, name) for row, _limit, name in counters if row.locked_until and row.locked_until > now
    ]
    if not locked:
        return None, []
    return max(row.locked_until for row, _name in locked), [name for _row, name in locked]


COUNTERS = ["failed_login_count", "last_failed_login_at", "locked_until"]


def _count_failure(row, limit: int, now) -> None:
    """One more failure on an account or a LoginThrottle row (made if need be); `row` is
    brought up to date, since several requests may fail at once."""
    model = row._meta.model  # not type(): request.user is a lazy wrapper
    with transaction.atomic():
        if row.pk is None:
            row.pk = LoginThrottle.objects.get_or_create(key=row.key)[0].pk
        current = model.objects.select_for_update().only(*COUNTERS).get(pk=row.pk)
        for name in COUNTERS:
            setattr(row, name, getattr(current, name))
        if row.last_failed_login_at is None or now - row.last_failed_login_at > _window():
            row.failed_login_count = 0
        row.failed_login_count += 1
        row.last_failed_login_at = now
        if row.failed_login_count >= limit:
            row.locked_until = now + _window()
        # Only the counters: nothing else of an account is written back.
        model.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in COUNTERS})


class LoginLocked(DomainError):
    """Too many failures: the account or the address is locked for now."""


def _register_failure(counters, username: str, reason: str) -> DomainError:
    """Count a failed login on every counter; returns the error to raise (the same for an
    account and for a name that is none)."""
    now = timezone.now()
    for row, limit, _name in counters:
        _count_failure(row, limit, now)
    # Names and addresses whose failures have run out of the window are no longer needed.
    LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        last_failed_login_at__lt=now - 2 * _window(),
    ).delete()
    until = _locked_until(counters, now)[0]
    audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail=reason)
    if until is not None:
        audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="失败次数过多,已锁定")
        return LoginLocked(_locked_message(until))
    return DomainError(wrong_credentials())


def login_check(*, request, username: str, password: str) -> User:
    """The user who may log in with these credentials, or DomainError with a Chinese message.

    A user with an authenticator (or whose role requires one) still has the second step to go
    (guanai.accounts.middleware); their login is audited when it is done.
    """
    username = username.strip()
    if not username or not password:
        raise DomainError(gettext_lazy("请输入用户名和密码"))
    known = User.objects.filter(username=username).select_related("division").first()
    counters = _counters(request, username, known)
    until, locked = _locked_until(counters, timezone.now())
    if until is not None:
        # As slow as checking a password, so a lock is not told apart by its speed either.
        make_password(password)
        audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail=",".join(locked))
        raise LoginLocked(_locked_message(until))
    user = authenticate(request, username=username, password=password)
    if user is None:
        if known is not None and not known.is_active and known.check_password(password):
            audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="账户已停用")
            raise DomainError(gettext_lazy("该账户已停用,请联系管理员"))
        raise _register_failure(counters, username, "用户名或密码错误")
    if user.role != Role.ADMIN and not user.is_superuser and user.division_id is None:
        audit(actor=None, action=Action.LOGIN_FAILED, label=username, detail="未分配所属区划")
        raise DomainError(
            gettext_lazy("该账户尚未分配所属区划,暂不能登录,请联系县级民政部门管理员")
        )
    if twofactor.has_second_factor(user) or twofactor.two_factor_required(user):
        # The failures are forgiven when the code is right too: a known password alone does
        # not buy an account more tries at the code.
        audit(
            actor=None,
            action=Action.LOGIN,
            target=user,
            division_code=_code(user),
            detail="密码正确,待两步验证",
        )
    else:
        _reset_failures(user)
        audit(actor=user, action=Action.LOGIN, target=user, division_code=_code(user))
    return user


def _reset_failures(user: User) -> None:
    user.failed_login_count = 0
    user.last_failed_login_at = None
    user.locked_until = None
    user.save(update_fields=COUNTERS)


def second_factor_check(*, request, user: User, code: str):
    """The device that accepts the code at the second login step, or DomainError.

    A wrong code counts as a failed login (of the account and of the address); LoginLocked
    tells the caller to end the half-done login. A recovery code is used up.
    """
    counters = _counters(request, user.get_username(), user)
    until = _locked_until(counters, timezone.now())[0]
    if until is not None:
        raise LoginLocked(_locked_message(until))
    device = twofactor.device_matching(user, code)
    if device is None:
        error = _register_failure(counters, user.get_username(), "两步验证码错误")
        if isinstance(error, LoginLocked):
            raise error
        raise DomainError(
            gettext_lazy("验证码不正确或已用过,请输入验证器当前显示的 6 位数字或一个恢复码"),
            field="code",
        )
    _reset_failures(user)
    if twofactor.is_recovery_device(device):
        left = twofactor.recovery_codes_left(user)
        detail = f"两步验证(使用恢复码,剩余 {left} 个)"
    else:
        detail = "两步验证(手机验证器)"
    audit(actor=user, action=Action.LOGIN, target=user, division_code=_code(user), detail=detail)
    return device


def _password_errors(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(";".join(exc.messages), field=field) from exc


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user sets their own password: the current one, then a new one by the policy."""
    if not user.check_password(old_password):
        # Audited outside the transaction, which a refusal would roll back.
        audit(actor=user, action=Action.UPDATE, target=user, detail="修改密码失败:原密码错误")
        raise DomainError(gettext_lazy("原密码不正确"), field="old_password")
    _password_errors(new_password, user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save()
        audit(actor=user, action=Action.UPDATE, target=user, detail="修改密码")


@transaction.atomic
def password_reset(*, actor: User, user: User) -> str:
    """A new random password for the user, to be changed at their next login; returned once."""
    password = password_generate()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit(actor=actor, action=Action.UPDATE, target=user, detail="重置密码(下次登录须修改)")
    return password


def _code(user: User) -> str:
    return user.division.code if user.division is not None else ""


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
    must_change_password: bool = True,
) -> User:
    """Create an account attached to a node of the right level for its role.

    The password is an administrator's choice, so by default the user changes it at the first
    login; builders of demo and test accounts say otherwise.
    """
    if User.objects.filter(username=username).exists():
        raise DomainError(
            gettext_lazy("用户名“%(username)s”已被使用"), field="username", username=username
        )
    expected = ROLE_LEVEL.get(role)
    if expected is not None and (division is None or division.level != expected):
        raise DomainError(
            gettext_lazy("%(role)s必须属于一个%(level)s级区划"),
            field="division",
            role=role.label,
            level=expected.label,
        )
    if role == Role.DEPARTMENT and department not in Department.values:
        raise DomainError(gettext_lazy("部门工作人员必须选择所属部门"), field="department")
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        division=division,
        department=department,
        phone=phone,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
        must_change_password=must_change_password,
    )
    _password_errors(password, user)
    user.set_password(password)
    user.save()
    audit(actor=actor, action=Action.CREATE, target=user, division_code=_code(user))
    return user


@transaction.atomic
def user_head_set(*, actor: User, user: User, head: bool) -> User:
    """Name (or no longer name) a department user the head of their department's desk. The
    caller reached `user` through selectors.user_get_for (the county's managers)."""
    if head and user.role != Role.DEPARTMENT:
        raise DomainError(gettext_lazy("只有部门工作人员可以设为部门负责人"), field="role")
    if user.is_department_head != head:
        user.is_department_head = head
        user.save(update_fields=["is_department_head"])
        audit(
            actor=actor,
            action=Action.UPDATE,
            target=user,
            division_code=_code(user),
            detail="设为部门负责人" if head else "取消部门负责人",
        )
    return user


def unlock(*, actor: User, user: User) -> None:
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit(actor=actor, action=Action.UPDATE, target=user, detail="解除锁定")

import time

import django_otp
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanai.accounts import twofactor
from guanai.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    UserCreateForm,
)
from guanai.accounts.middleware import LAST_SEEN, LOGIN_AT
from guanai.accounts.models import Role
from guanai.accounts.passwords import password_change_due
from guanai.accounts.selectors import assignable_divisions_for, user_get_for, user_list_for
from guanai.accounts.services import (
    LoginLocked,
    login_check,
    password_change,
    password_reset,
    second_factor_check,
    unlock,
    user_create,
    user_head_set,
)
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError, form_error


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            auth.login(request, user)
            request.session[LOGIN_AT] = request.session[LAST_SEEN] = time.time()
            # The next login step, if any, is taken on the way (guanai.accounts.middleware).
            return redirect(_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "error": error}, status=400 if error else 200
    )


def _safe_next(request) -> str:
    """?next= (or the form's next) when it is a page of this site, else ''."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return ""


def _next(request) -> str:
    """Where to go after a login step."""
    return _safe_next(request) or "home"


def _step_context(request, **extra) -> dict:
    return {"next": _safe_next(request), **extra}


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second login step of a user with an authenticator: its code, or a recovery code."""
    user = request.user
    if user.is_verified() or not twofactor.has_second_factor(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(request=request, user=user, code=form.cleaned_data["code"])
        except LoginLocked as exc:
            auth.logout(request)
            messages.error(request, exc.message)
            return redirect("accounts:login")
        except DomainError as exc:
            form_error(form, exc)
        else:
            django_otp.login(request, device)
            if twofactor.is_recovery_device(device):
                messages.warning(
                    request,
                    _("您用掉了一个恢复码,还剩 %(left)d 个;可在“我的账户”中生成新的恢复码")
                    % {"left": twofactor.recovery_codes_left(user)},
                )
            return redirect(_next(request))
    return render(
        request,
        "accounts/otp_verify.html",
        _step_context(request, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Bind an authenticator app: at the first login where the role requires it, or from the
    account page. Replacing an authenticator needs the current one first."""
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = twofactor.authenticator_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.authenticator_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            django_otp.login(request, device)
            return render(
                request, "accounts/recovery_codes.html", _step_context(request, codes=codes)
            )
    context = _step_context(
        request,
        form=form,
        secret=twofactor.secret_text(device),
        qr=twofactor.qr_data_uri(device),
        required=twofactor.two_factor_required(user),
        replacing=twofactor.has_second_factor(user),
    )
    return render(request, "accounts/otp_enrol.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def password_change_view(request):
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_change(
                user=user, old_password=data["old_password"], new_password=data["new_password"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            auth.update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return redirect(_next(request))
    return render(
        request,
        "accounts/password_change.html",
        _step_context(request, form=form, reason=password_change_due(user)),
        status=400 if form.errors else 200,
    )


@require_GET
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_second_factor": twofactor.has_second_factor(user),
            "required": twofactor.two_factor_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "off_form": PasswordConfirmForm(),
        },
    )


@require_POST
def recovery_codes_new(request):
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect("accounts:account")
    codes = twofactor.recovery_codes_issue(actor=user, user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})


@require_POST
def two_factor_off(request):
    user = request.user
    form = PasswordConfirmForm(request.POST)
    if twofactor.two_factor_required(user):
        messages.error(request, _("您的角色必须使用两步验证,不能关闭;更换手机请重新绑定验证器"))
    elif not form.is_valid() or not user.check_password(form.cleaned_data["password"]):
        messages.error(request, _("当前密码不正确,两步验证未关闭"))
    else:
        twofactor.two_factor_remove(actor=user, user=user)
        messages.success(request, _("已关闭两步验证"))
    return redirect("accounts:account")


@require_POST
def logout_view(request):
    audit(actor=request.user, action=Action.LOGOUT, target=request.user)
    auth.logout(request)
    return redirect("accounts:login")


def _manageable_roles(user):
    roles = [r for r in Role if r != Role.ADMIN or user.role == Role.ADMIN]
    return [(r.value, r.label) for r in roles]


@require_GET
def user_list(request):
    return render(
        request,
        "accounts/user_list.html",
        {
            "accounts": user_list_for(request.user),
            "nav_active": "users",
        },
    )


@require_http_methods(["GET", "POST"])
def user_new(request):
    user_list_for(request.user)  # access check
    form = UserCreateForm(
        request.POST or None,
        divisions=assignable_divisions_for(request.user),
        roles=_manageable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role=Role(data["role"]),
                division=data["division"],
                full_name=data["full_name"],
                department=data["department"],
                phone=data["phone"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已创建账户 %(username)s") % {"username": created.username})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "nav_active": "users"},
        status=400 if form.errors else 200,
    )


@require_POST
def user_head(request, pk: int):
    """Name a department user the head (负责人) of their desk, or no longer (`head=0`)."""
    account = user_get_for(request.user, pk)
    head = request.POST.get("head") != "0"
    try:
        user_head_set(actor=request.user, user=account, head=head)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("%(username)s 已设为部门负责人") if head else _("%(username)s 已不再是部门负责人")
        messages.success(request, done % {"username": account.username})
    return redirect("accounts:user_list")


@require_POST
def user_unlock(request, pk: int):
    account = user_get_for(request.user, pk)
    unlock(actor=request.user, user=account)
    messages.success(request, _("已解除 %(username)s 的锁定") % {"username": account.username})
    return redirect("accounts:user_list")


@require_POST
def user_password_reset(request, pk: int):
    """A new temporary password, shown once on this page (not in a message: those live in a
    cookie), to be changed at the next login."""
    account = user_get_for(request.user, pk)
    password = password_reset(actor=request.user, user=account)
    return render(
        request,
        "accounts/password_reset_done.html",
        {"account": account, "password": password, "nav_active": "users"},
    )


@require_POST
def user_two_factor_reset(request, pk: int):
    """For a lost phone: the authenticator and recovery codes go; the user binds a new one."""
    account = user_get_for(request.user, pk)
    twofactor.two_factor_remove(actor=request.user, user=account)
    messages.success(
        request,
        _("已重置 %(username)s 的两步验证,其下次登录时重新绑定验证器")
        % {"username": account.username},
    )
    return redirect("accounts:user_list")

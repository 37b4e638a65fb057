from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanai.accounts.forms import LoginForm, UserCreateForm
from guanai.accounts.models import Role
from guanai.accounts.selectors import assignable_divisions_for, user_get_for, user_list_for
from guanai.accounts.services import login_check, unlock, user_create
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
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "home"
            return redirect(target or "home")
    return render(
        request, "accounts/login.html", {"form": form, "error": error}, status=400 if error else 200
    )


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
            messages.success(request, f"已创建账户 {created.username}")
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "nav_active": "users"},
        status=400 if form.errors else 200,
    )


@require_POST
def user_unlock(request, pk: int):
    account = user_get_for(request.user, pk)
    unlock(actor=request.user, user=account)
    messages.success(request, f"已解除 {account.username} 的锁定")
    return redirect("accounts:user_list")

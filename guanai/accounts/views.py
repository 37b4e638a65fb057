from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from guanai.accounts.forms import LoginForm
from guanai.accounts.services import login_check
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import DomainError


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
                target = "core:home"
            return redirect(target or "core:home")
    return render(
        request, "accounts/login.html", {"form": form, "error": error}, status=400 if error else 200
    )


@require_POST
def logout_view(request):
    audit(actor=request.user, action=Action.LOGOUT, target=request.user)
    auth.logout(request)
    return redirect("accounts:login")

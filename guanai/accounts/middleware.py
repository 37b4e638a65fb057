import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from guanai.accounts import twofactor
from guanai.accounts.passwords import password_change_due
from guanai.audit.models import Action
from guanai.audit.services import audit

LOGIN_AT = "guanai_login_at"
LAST_SEEN = "guanai_last_seen"
# The last request is written to the session at most this often (seconds), not on every one.
TOUCH_INTERVAL = 60
# Pages open at every step of a login: the step pages check themselves what they offer.
ALWAYS_OPEN = {"accounts:login", "accounts:logout", "set_language"}


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless marked @login_not_required; the API answers 401 itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def pending_step(request) -> str:
    """The URL name of the login step the session still has to take ('' when logged in).

    After the password: the second factor (verify, or enrol where the role requires it), then a
    new password where the old one was set by an administrator or is too old.
    """
    user = request.user
    if not user.is_authenticated:
        return ""
    if not user.is_verified():
        if twofactor.has_second_factor(user):
            return "accounts:otp_verify"
        if twofactor.two_factor_required(user):
            return "accounts:otp_enrol"
    if password_change_due(user):
        return "accounts:password_change"
    return ""


def _send_to(request, url: str) -> HttpResponse:
    """A redirect; for htmx's in-page requests (a list's live search, a job's progress) one that
    moves the whole page, instead of the login page swapped into a corner of the old one."""
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _session_end_reason(session, now: float) -> str:
    login_at = session.setdefault(LOGIN_AT, now)
    last_seen = session.get(LAST_SEEN, now)
    if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
        return _("超过 %(minutes)d 分钟未操作,已自动退出,请重新登录") % {
            "minutes": settings.SESSION_IDLE_MINUTES
        }
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return _("登录已超过 %(hours)d 小时,请重新登录") % {
            "hours": settings.SESSION_COOKIE_AGE // 3600
        }
    return ""


class LoginStepsMiddleware:
    """Ends idle and too-old sessions, and keeps a half-done login on its next step.

    A session whose password was right but whose second factor (or required new password) is
    still missing reaches nothing but that step's page: every other request, page or download,
    is sent there, the API's pages too unless a call brings its own token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = _session_end_reason(request.session, now)
            if reason:
                audit(actor=request.user, action=Action.LOGOUT, target=request.user, detail=reason)
                auth.logout(request)
                messages.info(request, reason)
                return _send_to(request, reverse("accounts:login"))
            if now - request.session.get(LAST_SEEN, 0) >= TOUCH_INTERVAL:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            return None  # a token call: the token alone authenticates it (guanai/api/auth.py)
        step = request.login_step = pending_step(request)
        match = request.resolver_match
        if not step or match is None or match.view_name in ALWAYS_OPEN | {step}:
            return None
        target = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': target})}" if target and target != "/" else ""
        return _send_to(request, reverse(step) + query)

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.defaults import page_not_found, permission_denied

from guanai.core.errors import AccessDenied, NotForRole


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy: every script and style is served by us."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No exemption for the API docs page: ninja's bundled Swagger UI starts from a static
        # file and reads its settings from a JSON data block, which script-src 'self' allows.
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"
        )
        user = getattr(request, "user", None)  # absent for static files served by WhiteNoise
        if user is not None:
            # Pages carry personal data: never keep them in a shared or back-button cache.
            response.headers.setdefault(
                "Cache-Control", "no-store" if user.is_authenticated else "private"
            )
        return response


class DomainErrorMiddleware:
    """AccessDenied answers 404 (an outsider learns nothing about what exists); NotForRole 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotForRole):
            return permission_denied(request, PermissionDenied(exception.message))
        if isinstance(exception, AccessDenied):
            return page_not_found(request, Http404(exception.message))
        return None


class NulCharacterMiddleware:
    """A NUL character in a query string or form field answers 400 (the API: 422), naming it.

    PostgreSQL cannot store or compare text with NUL in it and raised a 500 from any view that
    filters on a raw parameter; forms refuse NUL themselves, views reading request.GET do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # An upload's form is left to its view: reading it here would fix the upload handlers
        # before the view sets its size limit (core/uploads.py). Its forms refuse NUL themselves.
        uploading = request.content_type == "multipart/form-data"
        for params in (request.GET,) if uploading else (request.GET, request.POST):
            for name, values in params.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self._refused(request, name.replace("\x00", ""))
        return self.get_response(request)

    @staticmethod
    def _refused(request, name: str) -> HttpResponse:
        problem = f"{name}:不能包含空字符(\\0),请删除后重试"
        if request.path.startswith("/api/"):
            body = {"detail": f"请求数据不符合接口格式:{problem}", "field": name}
            return HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=422,
                content_type="application/json; charset=utf-8",
            )
        return render(request, "400.html", {"problem": problem}, status=400)


class ChosenLanguageMiddleware:
    """zh-hans unless the user chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: a county office PC with an English
    browser should still show the Chinese the whole team works in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

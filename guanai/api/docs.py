"""The OpenAPI schema and its docs page, for people and systems that may use the API.

A logged-in user reads them with their session (the docs page fetches the schema with the same
cookie); a department's system with its bearer token. Anyone else is sent to the login page
(docs) or answered 401 (schema): the schema names every field of a child's file.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError
from ninja.openapi.views import openapi_json

from guanai.api.auth import TokenAuth

LOGIN_NEEDED = "请先登录,或在请求头中提供 Authorization: Bearer <令牌>"


def _unauthorized(detail: str) -> HttpResponse:
    response = JsonResponse(
        {"detail": detail, "field": None}, status=401, json_dumps_params={"ensure_ascii": False}
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def docs_login_required(view):
    is_schema = getattr(view, "func", view) is openapi_json

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if "Authorization" in request.headers:
            try:
                TokenAuth()(request)
            except AuthenticationError as exc:
                return _unauthorized(exc.message)
            return view(request, *args, **kwargs)
        if is_schema:
            return _unauthorized(LOGIN_NEEDED)
        return redirect_to_login(request.get_full_path())

    return guarded

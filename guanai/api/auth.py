"""`Authorization: Bearer <key>` for every API operation. Sessions are not accepted: a browser's
cookie cannot call the API, so the API needs no CSRF protection."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from guanai.accounts.models import User
from guanai.accounts.tokens import token_authenticate
from guanai.core.errors import DomainError

MISSING = "缺少接口令牌:请在请求头中提供 Authorization: Bearer <令牌>"


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(message=MISSING)
        return self.authenticate(request, key)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            user = token_authenticate(token)
        except DomainError as exc:
            raise AuthenticationError(message=exc.message) from exc
        # The rest of the stack (audit, response headers) sees the token's user.
        request.user = user
        return user

import ipaddress

from django.conf import settings

from guanai.audit.context import RequestContext, current_request


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy (settings.TRUSTED_PROXY)
    the first X-Forwarded-For hop. Without one that header is the client's own say-so."""
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0]
        if address := _address(forwarded):
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(
            RequestContext(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

from guanai.audit.context import RequestContext, current_request


def client_ip(request) -> str | None:
    # Only REMOTE_ADDR: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


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

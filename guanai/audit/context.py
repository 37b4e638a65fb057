"""Where the current request came from, so services deep down can stamp audit rows."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


NO_REQUEST = RequestContext()
current_request: ContextVar[RequestContext] = ContextVar("current_request", default=NO_REQUEST)  # noqa: B039 (frozen)

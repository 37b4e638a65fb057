"""Refused access on record: every 403 and 404 a view gives a signed-in user is audited.

One hook for pages and the API alike (`RefusalAuditMiddleware`), so no view can forget it.
The row names what was asked for: the outermost object of the URL (the child of
/children/<pk>/attachments/<attachment_id>/), the path and every URL argument; never what the
object is (its name stays out of the row: the asker was not allowed to know it).
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils.functional import Promise

from guanai.audit.models import Action
from guanai.audit.selectors import division_of
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, in_record

REFUSALS = (403, 404)
# What each URL argument names. "pk" names the namespace's own object (PK_MODELS).
ARGUMENT_MODELS = {
    "child_pk": "registry.child",
    "child_id": "registry.child",
    "household_id": "registry.household",
    "attachment_id": "registry.attachment",
    "number": "registry.revision",
    "review_pk": "registry.factreview",
    "pairing_pk": "care.pairing",
    "record_pk": "care.carerecord",
    "flag_pk": "care.flag",
    "case_pk": "protection.protectioncase",
    "proposal_pk": "benefits.proposal",
    "list_pk": "benefits.paymentlist",
    "step_pk": "protection.casestep",
    "task_pk": "protection.casetask",
    "application_pk": "window.application",
    "referral_pk": "window.referral",
    "document_pk": "window.applicationdocument",
    "receipt_pk": "rules.benefitreceipt",
    "event_pk": "rules.hardshipevent",
    "job_id": "ingest.importjob",
    "profile_id": "ingest.mappingprofile",
    "division_code": "geo.division",
    "rehab_pk": "disability.rehabapplication",
    "claim_pk": "disability.claim",
    "batch_pk": "disability.paymentbatch",
    "teaching_pk": "disability.hometeaching",
}
PK_MODELS = {
    "registry": "registry.child",
    "accounts": "accounts.user",
    "stats": "stats.reportjob",
    "ingest": "ingest.reviewpair",
    "notices": "notices.notice",
}
REASON_ATTRIBUTE = "_guanai_refusal_reason"


def argument_model(match: ResolverMatch, name: str) -> str | None:
    namespace = match.namespaces[0].split("-")[0] if match.namespaces else ""
    if name == "pk":
        return PK_MODELS.get(namespace)
    return ARGUMENT_MODELS.get(name)


def asked_object(match: ResolverMatch) -> tuple[str, str]:
    """(object type, id) of the outermost object the URL names, or the view's name alone."""
    for name, value in match.kwargs.items():
        return argument_model(match, name) or f"{match.view_name}:{name}", str(value)
    return match.view_name, ""


def refusal_noted(request: HttpRequest, message) -> None:
    """Keep a refusal's message (lazy: written in Chinese, whatever language the answer is in)."""
    setattr(request, REASON_ATTRIBUTE, message)


def refusal_reason(request: HttpRequest, response: HttpResponse) -> str:
    """The refusal's own words, in Chinese: the exception's message, or the API problem's
    detail (only when no message was kept: the detail is in the asker's language)."""
    reason = in_record(getattr(request, REASON_ATTRIBUTE, ""))
    if reason or not response.get("Content-Type", "").startswith("application/json"):
        return reason
    try:
        return str(json.loads(response.content).get("detail", ""))
    except (ValueError, AttributeError):
        return ""


def refusal_audit(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    object_type, object_id = asked_object(match)
    arguments = " ".join(f"{k}={v}" for k, v in match.kwargs.items())
    reason = refusal_reason(request, response)
    audit(
        actor=request.user,
        action=Action.REFUSED,
        object_type=object_type[:50],
        object_id=object_id[:64],
        label=f"{request.method} {request.path}"[:200],
        division_code=division_of(object_type, object_id)
        or (request.user.division.code if request.user.division_id else ""),
        detail=" ".join(part for part in (str(response.status_code), match.view_name, arguments))
        + (f":{reason}" if reason else ""),
    )


class RefusalAuditMiddleware:
    """After DomainErrorMiddleware in MIDDLEWARE, so it sees a refusal's message first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's token user is set by its auth
        if (
            response.status_code in REFUSALS
            and request.resolver_match is not None
            and user is not None
            and user.is_authenticated
        ):
            refusal_audit(request, response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, AccessDenied):
            refusal_noted(request, exception.message)
        elif isinstance(exception, (Http404, PermissionDenied)):
            given = exception.args[0] if exception.args else ""
            refusal_noted(request, given if isinstance(given, Promise) else str(exception))
        return None

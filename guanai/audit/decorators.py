"""Audit of list and search pages: who looked for what."""

from functools import wraps

from guanai.audit.services import list_searched


def search_audited(what: str, object_type: str):
    """Write one SEARCH row per page of the list a view shows, with the query it was asked."""

    def decorate(view):
        @wraps(view)
        def audited(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                list_searched(
                    actor=request.user, what=what, object_type=object_type, criteria=request.GET
                )
            return response

        return audited

    return decorate

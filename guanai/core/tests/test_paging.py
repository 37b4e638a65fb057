"""The pages' shared helpers: a page of a list that keeps its filters, and a role's refusal."""

import pytest
from django.test import RequestFactory

from guanai.core.errors import AccessDenied, require
from guanai.core.paging import listing


def test_a_listing_pages_and_keeps_the_filters_but_not_the_page():
    request = RequestFactory().get("/", {"status": "open", "page": "2"})
    shown = listing(request, list(range(70)), per_page=30)
    assert list(shown["page"]) == list(range(30, 60))
    assert shown["query_prefix"] == "status=open&"
    bare = listing(RequestFactory().get("/"), list(range(5)))
    assert bare["query_prefix"] == "" and list(bare["page"]) == list(range(5))


def test_require_refuses_with_the_message():
    require(True, "不会出现")
    with pytest.raises(AccessDenied, match="您的角色不能"):
        require(False, "您的角色不能查看")

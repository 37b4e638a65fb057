"""Pagination that does not count a whole county on every page view."""

from functools import cached_property
from typing import cast

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    """Counts at most COUNT_LIMIT rows (then `count_capped` is true and pages stop there).

    Exact counts of a million-row county cost more than the page itself; past ten thousand
    nobody pages through a list, they narrow the search.
    """

    count_limit = COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        queryset = cast(QuerySet, self.object_list)  # a queryset: a list would not need it
        return queryset.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_LIMIT


PAGE_SIZE = 30


def listing(request, queryset, per_page: int = PAGE_SIZE) -> dict:
    """A page of the list (`page`), and the query string without the page (`query_prefix`,
    ending in "&" when there is one) for the pager's links to keep the list's filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(queryset, per_page).get_page(request.GET.get("page")),
        "query_prefix": f"{query.urlencode()}&" if query else "",
    }

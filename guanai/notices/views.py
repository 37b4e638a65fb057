"""The inbox pages. Thin: a selector fetches the user's own notice (others' answer 404)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from guanai.core.paging import BoundedPaginator
from guanai.notices import selectors, services

PAGE_SIZE = 30


def _local_path(url: str) -> bool:
    """A path on this site ("/care/flags/"), never another host, scheme or a relative path."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


@require_GET
def notice_list(request):
    notices = selectors.notice_list_for(request.user)
    page = BoundedPaginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": page,
            # Unread come first: none on this page, none left (the menu shows the count).
            "any_unread": any(notice.read_at is None for notice in page),
            "nav_active": "notices",
        },
    )


@require_POST
def notice_read(request, pk: int):
    notice = selectors.notice_get_for(request.user, pk)
    services.notice_read(actor=request.user, notice=notice)
    return redirect(notice.url if _local_path(notice.url) else reverse("notices:list"))


@require_POST
def notices_read_all(request):
    marked = services.notices_read_all(actor=request.user)
    messages.success(request, gettext("已将 %(count)d 条通知标为已读") % {"count": marked})
    return redirect("notices:list")

"""Pages of the review of facts (审核): the township's batch list, returning one, the county's
switch per fact group. The work is in registry/review.py."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from guanai.accounts import permissions
from guanai.accounts.models import Role
from guanai.core.errors import AccessDenied, DomainError
from guanai.core.paging import BoundedPaginator
from guanai.core.params import whole_number
from guanai.registry import review, services
from guanai.registry.choices import FactGroup
from guanai.registry.history import changes_in_words
from guanai.registry.models import FactReviewSwitch

PAGE_SIZE = 50


def _cards(user, reviews, *, reveal: bool) -> list[tuple]:
    """Each submission with its changes in words; every file shown is a file read, on record
    (and a reveal of its masked values when asked)."""
    cards = []
    for r in reviews:
        if reveal:
            services.child_sensitive_revealed(actor=user, child=r.child)
        else:
            services.child_file_opened(actor=user, child=r.child, what="审核信息变更")
        cards.append((r, changes_in_words(r.changes, reveal=reveal)))
    return cards


@require_http_methods(["GET", "POST"])
def review_list(request):
    """Submissions waiting for the township, with the changes side by side; accept in batch."""
    if not review.can_review(request.user):
        raise AccessDenied(_("您的角色不能审核档案信息"))
    reveal = request.method == "POST" and request.POST.get("action") == "reveal"
    if reveal and not permissions.can_reveal_sensitive(request.user):
        raise AccessDenied(_("您的角色不能查看完整的敏感信息"))
    if request.method == "POST" and not reveal:
        ids = [n for n in map(whole_number, request.POST.getlist("review")) if n is not None]
        try:
            accepted = review.reviews_accept(actor=request.user, ids=ids)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, gettext("已审核通过 %(accepted)s 项变更") % {"accepted": accepted}
            )
        return redirect("registry:review_list")
    waiting = review.reviews_for(request.user)
    page = BoundedPaginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/review_list.html",
        {
            "page": page,
            "cards": _cards(request.user, page.object_list, reveal=reveal),
            "revealed": reveal,
            "nav_active": "review",
        },
    )


@require_POST
def review_return(request, review_pk: int):
    """Return one submission with a comment (HTMX replaces its card)."""
    review.review_get_for(request.user, review_pk)
    try:
        returned = review.review_return(
            actor=request.user, review_id=review_pk, comment=request.POST.get("comment", "")
        )
    except DomainError as error:
        if not request.headers.get("HX-Request"):
            messages.error(request, error.message)
            return redirect("registry:review_list")
        return render(
            request, "registry/_review_returned.html", {"error": error.message}, status=422
        )
    if not request.headers.get("HX-Request"):
        messages.success(request, gettext("已退回:%(name)s") % {"name": returned.child.name})
        return redirect("registry:review_list")
    return render(request, "registry/_review_returned.html", {"review": returned})


@require_http_methods(["GET", "POST"])
def review_settings(request):
    """Which fact groups this county reviews (the county's civil affairs)."""
    user = request.user
    if user.role not in (Role.CIVIL_AFFAIRS, Role.ADMIN) or user.division is None:
        raise AccessDenied(_("只有县级民政可以设置审核范围"))
    county_code = user.division.code[:6]
    if request.method == "POST":
        wanted = {g.value: g.value in request.POST.getlist("group") for g in FactGroup}
        review.review_switch_set(actor=user, county_code=county_code, required=wanted)
        messages.success(request, gettext("审核范围已保存"))
        return redirect("registry:review_settings")
    required = review.required_groups(county_code)
    last = FactReviewSwitch.objects.filter(county_code=county_code).order_by("-set_at").first()
    return render(
        request,
        "registry/review_settings.html",
        {
            "groups": [(g, g.value in required) for g in FactGroup],
            "last": last,
            "nav_active": "review",
        },
    )

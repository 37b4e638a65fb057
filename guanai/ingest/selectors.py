"""Reads for the review queue, always scoped to the user."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.core.errors import AccessDenied
from guanai.ingest.models import ReviewPair, ReviewStatus
from guanai.ingest.permissions import can_review_links


def review_list_for(
    user: User, *, status: str | None = ReviewStatus.PENDING
) -> QuerySet[ReviewPair]:
    if not can_review_links(user):
        return ReviewPair.objects.none()
    pairs = ReviewPair.objects.all() if status is None else ReviewPair.objects.filter(status=status)
    # What a decision changes first: a row with several candidates settles them all at once
    # (review.implied_pairs); the most likely first among equals.
    return (
        scope(user, pairs)
        .select_related("record__batch", "child__household", "child__division")
        .annotate(
            settles=Count("record__reviews", filter=Q(record__reviews__status=ReviewStatus.PENDING))
        )
        .order_by("-settles", "-score", "pk")
    )


def review_get_for(user: User, pk: int) -> ReviewPair:
    pair = review_list_for(user, status=None).filter(pk=pk).first() if pk else None
    if pair is None:
        raise AccessDenied(_("没有找到这条待确认配对"))
    return pair

"""Reads for the review queue, always scoped to the user."""

from django.db.models import QuerySet

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
    return (
        scope(user, pairs)
        .select_related("record__batch", "child__household", "child__division")
        .order_by("-score", "pk")
    )


def review_get_for(user: User, pk: int) -> ReviewPair:
    pair = review_list_for(user, status=None).filter(pk=pk).first() if pk else None
    if pair is None:
        raise AccessDenied("没有找到这条待确认配对")
    return pair

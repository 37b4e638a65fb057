"""Reads for notices: a user's own inbox (owner-only, not jurisdiction: see Notice)."""

from django.db.models import Case, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.core.errors import AccessDenied
from guanai.notices.models import Notice


def notice_list_for(user: User) -> QuerySet[Notice]:
    """The user's notices, unread first, newest first within each."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return Notice.objects.filter(user=user).order_by(unread_first, "-created_at", "-id")


def notice_get_for(user: User, pk: int) -> Notice:
    found = Notice.objects.filter(user=user, pk=pk).first()
    if found is None:
        raise AccessDenied(_("没有这条通知"))
    return found


def unread_count(user: User) -> int:
    """One COUNT on the (user, read_at) index: the menu asks it on every page."""
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def told_about(key: str) -> QuerySet[Notice]:
    """Who was sent the notice `key` and when, and whether they read it: for the sender's app to
    show the person who raised something whom it reached (the notices' contents stay private)."""
    return (
        Notice.objects.filter(key=key)
        .select_related("user")
        .only("user__full_name", "user__username", "user__role", "created_at", "read_at")
        .order_by("created_at", "id")
    )

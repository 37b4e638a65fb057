"""Writes for notices: sending (for every app) and marking read (for the owner)."""

from django.db import transaction
from django.utils import timezone

from guanai.accounts.models import User
from guanai.core.errors import AccessDenied
from guanai.notices.models import Notice


def notices_send(notices: list[Notice]) -> list[Notice]:
    """Store the notices not stored yet (one per user and key) and hand those to the backends
    once the caller's transaction commits. Returns the new ones; run it inside the caller's
    transaction, so a notice exists only if what it tells of does."""
    from guanai.notices.notify import dispatch

    fresh: list[Notice] = []
    for key in {n.key for n in notices}:
        wanted = [n for n in notices if n.key == key]
        stored = set(
            Notice.objects.filter(key=key, user_id__in=[n.user_id for n in wanted]).values_list(
                "user_id", flat=True
            )
        )
        fresh += [n for n in wanted if n.user_id not in stored]
    if fresh:
        Notice.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=2000)
        keys = [(n.user_id, n.key) for n in fresh]
        transaction.on_commit(lambda: dispatch(keys))
    return fresh


def notice_read(*, actor: User, notice: Notice) -> Notice:
    if notice.user_id != actor.pk:
        raise AccessDenied("没有这条通知")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_read_all(*, actor: User) -> int:
    """Mark every unread notice of the actor read; returns how many."""
    return Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())

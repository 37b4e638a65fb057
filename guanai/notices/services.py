"""Writes for notices: sending (for every app) and marking read (for the owner)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.core.errors import AccessDenied
from guanai.notices.models import Notice

CHUNK = 1000


def notices_send(notices: list[Notice]) -> list[Notice]:
    """Store the notices not stored yet (one per user and key) and hand those to the backends
    once the caller's transaction commits. Returns the new ones; run it inside the caller's
    transaction, so a notice exists only if what it tells of does."""
    from guanai.notices.notify import dispatch

    wanted = {(n.user_id, n.key): n for n in notices}
    stored: set[tuple[int, str]] = set()
    pairs = sorted(wanted)
    for i in range(0, len(pairs), CHUNK):  # one query per thousand notices, not per key
        chunk = pairs[i : i + CHUNK]
        # Users and keys together: the (user, key) unique index answers it.
        stored.update(
            Notice.objects.filter(
                user_id__in={u for u, _ in chunk}, key__in={k for _, k in chunk}
            ).values_list("user_id", "key")
        )
    fresh = [n for pair, n in wanted.items() if pair not in stored]
    if fresh:
        Notice.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=2000)
        sent = [(n.user_id, n.key) for n in fresh]
        transaction.on_commit(lambda: dispatch(sent))
    return fresh


def notice_read(*, actor: User, notice: Notice) -> Notice:
    if notice.user_id != actor.pk:
        raise AccessDenied(_("没有这条通知"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_read_all(*, actor: User) -> int:
    """Mark every unread notice of the actor read; returns how many."""
    return Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())

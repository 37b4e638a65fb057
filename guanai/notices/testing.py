"""Builders for tests (and the URL probe)."""

from guanai.accounts.models import User
from guanai.notices.models import Notice, NoticeKind


def notice_build(owner: User, key: str = "probe", **extra) -> Notice:
    """A notice for `owner` (get or make, by key)."""
    defaults = {"kind": NoticeKind.FLAG, "title": "测试通知"} | extra
    return Notice.objects.get_or_create(user=owner, key=key, defaults=defaults)[0]

"""Many things for one user at once become one notice (for the clock sweeps of every app).

A sweep collects what each user must hear, by kind: (user id, kind) → rows. A user told of
at most DIGEST_OVER rows of a kind gets one notice per row (the caller words it); more (the
worker was down, a county's clocks were changed) get one digest that counts them, names the
first few (lowest rows first) and opens the list where they are handled.
"""

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guanai.notices.models import Notice

DIGEST_OVER = 5
SHOWN = 5


@dataclass(frozen=True)
class Digest:
    """How one sweep words its digests."""

    titles: Mapping[str, str]  # kind → "{n} 件…"
    key: str  # the key's prefix; the kind and the sweep's time follow
    where: str  # where they are handled: "个案列表"
    url: Callable[[str], str]  # kind → the list's address
    label: Callable[[Any], str]  # row → what the digest names (a number)

    def notice(self, user_id: int, kind: str, rows: Sequence, now: datetime) -> Notice:
        shown = "、".join(str(self.label(row)) for row in heapq.nsmallest(SHOWN, rows))
        return Notice(
            user_id=user_id,
            kind=kind,
            key=f"{self.key}:{kind}:{now:%Y%m%d%H%M%S}",
            title=self.titles[kind].format(n=len(rows)),
            body=f"{shown} 等,请在{self.where}中逐一处理",
            url=self.url(kind),
        )


def told_notices(
    told: Mapping[tuple[int, str], Sequence],
    now: datetime,
    digest: Digest,
    word: Callable[[int, str, Any], Notice],
) -> list[Notice]:
    """One notice per row (`word(user id, kind, row)`), or one digest for a user told more
    than DIGEST_OVER of a kind."""
    notices = []
    for (user_id, kind), rows in told.items():
        if len(rows) > DIGEST_OVER:
            notices.append(digest.notice(user_id, kind, rows, now))
        else:
            notices += [word(user_id, kind, row) for row in rows]
    return notices

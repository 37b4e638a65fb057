"""Response clocks: how long a grade may wait for someone on site, per county and day.

Clocks are dated rows (ResponseClock) per area prefix; the most specific area wins, then the
latest row in force on the day. The national defaults are a data migration (0002).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import DomainError
from guanai.protection.models import ResponseClock


@dataclass(frozen=True)
class Deadlines:
    respond_by: datetime
    escalate_by: datetime
    needs_measure: bool
    words: str


def clock_for(division_code: str, grade: str, on: datetime) -> ResponseClock:
    day = timezone.localdate(on)
    prefixes = [division_code[:n] for n in (12, 9, 6, 4, 2)] + [""]
    rows = ResponseClock.objects.filter(
        grade=grade, area__in=prefixes, effective_from__lte=day
    ).order_by("-effective_from")
    best = sorted(rows, key=lambda r: -len(r.area))
    if not best:
        raise DomainError(_("未设置“%(grade)s”等级的响应时限"), field="grade", grade=grade)
    return best[0]


def deadlines(division_code: str, grade: str, received_at: datetime) -> Deadlines:
    """The deadlines of a case received at `received_at`: they run from intake, whatever the
    grade was then (a regrade moves them, from the same start)."""
    clock = clock_for(division_code, grade, received_at)
    respond_by = received_at + timedelta(hours=clock.respond_hours)
    return Deadlines(
        respond_by=respond_by,
        escalate_by=respond_by + timedelta(hours=clock.escalate_hours),
        needs_measure=clock.needs_measure,
        words=clock.words,
    )


def time_left(respond_by: datetime, now: datetime) -> str:
    """'剩 5 小时' / '超时 2 天 3 小时', for lists and the file (in the reader's language)."""
    seconds = int((respond_by - now).total_seconds())
    span = abs(seconds)
    days, hours = span // 86400, (span % 86400) // 3600
    text = (gettext("%(days)s 天 ") % {"days": days} if days else "") + gettext(
        "%(hours)s 小时"
    ) % {"hours": hours}
    if span < 3600:
        text = gettext("%(minutes)s 分钟") % {"minutes": span // 60}
    return (gettext("剩 %(left)s") if seconds >= 0 else gettext("超时 %(left)s")) % {"left": text}

"""The daily care run: materialise due items around today, then remind carers and staff.

Called by the background task (tasks.py) and by `guanai care remind` (cron), the same way.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import unscoped
from guanai.care.due import Materialised, due_items_materialise
from guanai.care.models import DueItem, DueStatus
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send

CHUNK = 5000


@dataclass
class DailyResult:
    materialised: Materialised
    carer_notices: int = 0
    staff_notices: int = 0


def remind_days() -> int:
    return int(getattr(settings, "CARE_REMIND_DAYS", 3))


def _carer_notices(on: date) -> int:
    soon = on + timedelta(days=remind_days())
    rows = (
        unscoped(
            DueItem.objects.filter(status=DueStatus.OPEN, due_date__lte=soon), purpose="reminders"
        )
        .values("carer_id")
        .annotate(
            due_soon=Count("id", filter=Q(due_date__gte=on)),
            overdue=Count("id", filter=Q(due_date__lt=on)),
        )
        .order_by("carer_id")
    )
    url = reverse("care:my_week")
    made, batch = 0, []
    for row in rows.iterator(chunk_size=CHUNK):
        parts = []
        if row["due_soon"]:
            parts.append(f"{row['due_soon']} 项将在 {remind_days()} 天内到期")
        if row["overdue"]:
            parts.append(f"{row['overdue']} 项已逾期")
        batch.append(
            Notice(
                user_id=row["carer_id"],
                kind=NoticeKind.OVERDUE if row["overdue"] else NoticeKind.REMINDER,
                key=f"remind:{on:%Y-%m-%d}",
                title="关爱任务提醒",
                body="您有" + ",".join(parts) + "。请及时走访、谈心并填写记录。",
                url=url,
            )
        )
        if len(batch) >= CHUNK:
            made += len(notices_send(batch))
            batch = []
    return made + len(notices_send(batch))


def _staff_notices(on: date) -> int:
    """Each village director and township supervisor: how many duties are overdue in the area."""
    staff = User.objects.filter(
        is_active=True, role__in=[Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR]
    ).select_related("division")
    lengths = {Role.CHILD_DIRECTOR: 12, Role.CHILD_SUPERVISOR: 9}
    overdue: dict[str, int] = {}
    for length in set(lengths.values()):
        rows = (
            unscoped(
                DueItem.objects.filter(status=DueStatus.OPEN, due_date__lt=on),
                purpose="reminders",
            )
            .values(area=Substr("division_code", 1, length))
            .annotate(n=Count("id"))
        )
        overdue.update({row["area"]: row["n"] for row in rows})
    url = reverse("care:overdue_list")
    notices = [
        Notice(
            user=user,
            kind=NoticeKind.OVERDUE,
            key=f"overdue:{on:%Y-%m-%d}",
            title="辖区关爱任务逾期",
            body=f"{user.division.name}有 {overdue[user.division.prefix]} 项关爱任务已逾期,请督促落实。",
            url=url,
        )
        for user in staff
        if user.division is not None and overdue.get(user.division.prefix)
    ]
    return len(notices_send(notices))


def care_daily(*, on: date | None = None) -> DailyResult:
    on = on or timezone.localdate()
    window_start = (on.replace(day=1) - timedelta(days=1)).replace(day=1)
    materialised = due_items_materialise(start=window_start, end=on + timedelta(days=35))
    return DailyResult(
        materialised=materialised,
        carer_notices=_carer_notices(on),
        staff_notices=_staff_notices(on),
    )

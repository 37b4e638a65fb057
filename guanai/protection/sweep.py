"""The clock sweep: what lapsed since the last run, and who must hear of it.

Run every minute by `guanai worker` (and `guanai protection sweep` from cron). Each pass is a
few indexed range queries over the open cases plus one bulk insert of notices: a case whose
response deadline passed unanswered is marked lapsed and its township supervisors and
assignee told; past the escalation deadline the county protection officers are told; an
overdue plan task tells its owner and the case's assignee; a follow-up visit that falls due
tells the assignee. Each fact is recorded once (`lapsed_at`, `escalated_at`,
`overdue_noticed_at`, `follow_up_noticed_on`), so running again sends nothing new. A user
told more than DIGEST_OVER things of one kind at once gets one notice counting them
(notices.digest).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.notices.digest import Digest, told_notices
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.protection.choices import Grade
from guanai.protection.selectors import (
    awaiting_response,
    follow_ups_due,
    tasks_overdue,
)

GRADE_WORDS = dict(Grade.choices)


@dataclass
class SweepResult:
    lapsed: int = 0
    escalated: int = 0
    tasks_overdue: int = 0
    follow_ups: int = 0
    notices: int = 0


def _staff_by_node(role: str, codes: set[str]) -> dict[str, list[int]]:
    users = User.objects.filter(is_active=True, role=role, division__code__in=codes)
    found: dict[str, list[int]] = defaultdict(list)
    for user_id, code in users.values_list("id", "division__code"):
        found[code].append(user_id)
    return found


def _officers_by_county(codes: set[str]) -> dict[str, list[int]]:
    """Each county's protection officers; where none is named, its civil-affairs staff."""
    staff = User.objects.filter(is_active=True, role=Role.CIVIL_AFFAIRS, division__code__in=codes)
    named: dict[str, list[int]] = defaultdict(list)
    every: dict[str, list[int]] = defaultdict(list)
    for user in staff.select_related("division"):
        code = user.division.code if user.division else ""
        every[code].append(user.pk)
        if user.has_perm("protection.officer"):
            named[code].append(user.pk)
    return {code: named.get(code) or every[code] for code in every}


def _case_url(pk: int) -> str:
    # reverse() costs about a millisecond here (the API's many routes); a sweep asks thousands.
    return _case_url_pattern().replace("/0/", f"/{pk}/")


@cache
def _case_url_pattern() -> str:
    return reverse("protection:case_detail", args=[0])


# What each user must hear, by kind: (user id, kind) -> rows, each (pk, case number, ...).
# Rows are worded only for users told few things; the rest get one digest (DIGEST_OVER).
Told = dict[tuple[int, str], list[tuple]]


def _tell(told: Told, user_ids, kind: str, row: tuple) -> None:
    for user_id in user_ids:
        told[(user_id, kind)].append(row)


DIGEST_TITLES: dict[str, str] = {
    NoticeKind.LAPSE: "{n} 件个案超过响应时限",
    NoticeKind.ESCALATION: "{n} 件个案超时未响应,上报县级",
    NoticeKind.OVERDUE: "{n} 项个案任务已逾期",
    NoticeKind.REMINDER: "{n} 件个案应回访",
}
# kind -> row -> (key, title, body, case pk)
WORDING: dict[str, Callable[..., tuple[str, str, str, int]]] = {
    NoticeKind.LAPSE: lambda pk, number, grade: (
        f"case:{pk}:lapse",
        f"个案 {number} 超过响应时限",
        f"{GRADE_WORDS[grade]}个案超过响应时限仍未到场核实,请立即处置",
        pk,
    ),
    NoticeKind.ESCALATION: lambda pk, number, grade: (
        f"case:{pk}:escalation",
        f"个案 {number} 超时未响应,上报县级",
        f"{GRADE_WORDS[grade]}个案超过响应时限和上报时限仍未到场核实",
        pk,
    ),
    NoticeKind.OVERDUE: lambda task_pk, number, title, case_pk: (
        f"case-task:{task_pk}:overdue",
        f"个案 {number} 的任务已逾期",
        title[:500],
        case_pk,
    ),
    NoticeKind.REMINDER: lambda pk, number, on: (
        f"case:{pk}:follow-up:{on:%Y%m%d}",
        f"个案 {number} 应回访",
        f"按帮扶计划,{on:%Y-%m-%d} 应回访",
        pk,
    ),
}


def _lapse(now: datetime, result: SweepResult, told: Told) -> None:
    due = awaiting_response(now).filter(respond_by__lte=now, lapsed_at__isnull=True)
    rows = list(due.values_list("pk", "number", "division_code", "grade", "assignee_id"))
    if not rows:
        return
    supervisors = _staff_by_node(Role.CHILD_SUPERVISOR, {r[2][:9] for r in rows})
    for pk, number, code, grade, assignee_id in rows:
        users = {*supervisors.get(code[:9], []), *([assignee_id] if assignee_id else [])}
        _tell(told, users, NoticeKind.LAPSE, (pk, number, grade))
    result.lapsed = due.filter(pk__in=[r[0] for r in rows]).update(lapsed_at=now)


def _escalate(now: datetime, result: SweepResult, told: Told) -> None:
    due = awaiting_response(now).filter(escalate_by__lte=now, escalated_at__isnull=True)
    rows = list(due.values_list("pk", "number", "division_code", "grade"))
    if not rows:
        return
    officers = _officers_by_county({r[2][:6] for r in rows})
    for pk, number, code, grade in rows:
        _tell(told, officers.get(code[:6], []), NoticeKind.ESCALATION, (pk, number, grade))
    result.escalated = due.filter(pk__in=[r[0] for r in rows]).update(escalated_at=now)


def _overdue_tasks(now: datetime, result: SweepResult, told: Told) -> None:
    due = tasks_overdue(timezone.localdate(now))
    rows = list(
        due.values_list("pk", "title", "owner_id", "case_id", "case__number", "case__assignee_id")
    )
    for pk, title, owner_id, case_id, number, assignee_id in rows:
        users = {owner_id, *([assignee_id] if assignee_id else [])}
        _tell(told, users, NoticeKind.OVERDUE, (pk, number, title, case_id))
    result.tasks_overdue = due.filter(pk__in=[r[0] for r in rows]).update(overdue_noticed_at=now)


def _follow_ups(now: datetime, result: SweepResult, told: Told) -> None:
    today = timezone.localdate(now)
    due = follow_ups_due(today)
    rows = list(
        due.values_list("pk", "number", "division_code", "assignee_id", "next_follow_up_on")
    )
    supervisors = _staff_by_node(Role.CHILD_SUPERVISOR, {r[2][:9] for r in rows if not r[3]})
    for pk, number, code, assignee_id, on in rows:
        users = [assignee_id] if assignee_id else supervisors.get(code[:9], [])
        _tell(told, users, NoticeKind.REMINDER, (pk, number, on))
    result.follow_ups = due.filter(pk__in=[r[0] for r in rows]).update(follow_up_noticed_on=today)


def _worded(user_id: int, kind: str, row: tuple) -> Notice:
    key, title, body, case_pk = WORDING[kind](*row)
    return Notice(
        user_id=user_id, kind=kind, key=key, title=title, body=body, url=_case_url(case_pk)
    )


@cache
def _digest_url(kind: str) -> str:
    lapsed = kind in (NoticeKind.LAPSE, NoticeKind.ESCALATION)
    return reverse("protection:case_list") + ("?lapsed=1" if lapsed else "")


# A user told more than DIGEST_OVER of a kind: one notice counting them (row[1]: the number).
DIGEST = Digest(
    titles=DIGEST_TITLES, key="digest", where="个案列表", url=_digest_url, label=lambda row: row[1]
)


@transaction.atomic
def clock_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    told: Told = defaultdict(list)
    for collect in (_lapse, _escalate, _overdue_tasks, _follow_ups):
        collect(now, result, told)
    result.notices = len(notices_send(told_notices(told, now, DIGEST, _worded)))
    return result

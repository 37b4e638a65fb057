"""The clock sweep: what lapsed since the last run, and who must hear of it.

Run every minute by `guanai worker` (and `guanai protection sweep` from cron). Each pass is a
few indexed range queries over the open cases plus one bulk insert of notices: a case whose
response deadline passed unanswered is marked lapsed and its township supervisors and
assignee told; past the escalation deadline the county protection officers are told; an
overdue plan task tells its owner and the case's assignee; a follow-up visit that falls due
tells the assignee. Each fact is recorded once (`lapsed_at`, `escalated_at`,
`overdue_noticed_at`, `follow_up_noticed_on`), so running again sends nothing new.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Role, User
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
        every[user.division.code].append(user.pk)
        if user.has_perm("protection.officer"):
            named[user.division.code].append(user.pk)
    return {code: named.get(code) or every[code] for code in every}


def _case_url(pk: int) -> str:
    # reverse() costs about a millisecond here (the API's many routes); a sweep asks thousands.
    return _case_url_pattern().replace("/0/", f"/{pk}/")


@cache
def _case_url_pattern() -> str:
    return reverse("protection:case_detail", args=[0])


def _lapse(now: datetime, result: SweepResult) -> list[Notice]:
    due = awaiting_response(now).filter(respond_by__lte=now, lapsed_at__isnull=True)
    rows = list(due.values_list("pk", "number", "division_code", "grade", "assignee_id"))
    if not rows:
        return []
    supervisors = _staff_by_node(Role.CHILD_SUPERVISOR, {r[2][:9] for r in rows})
    notices = []
    for pk, number, code, grade, assignee_id in rows:
        title = f"个案 {number} 超过响应时限"
        body = f"{GRADE_WORDS[grade]}个案超过响应时限仍未到场核实,请立即处置"
        for user_id in {*supervisors.get(code[:9], []), *([assignee_id] if assignee_id else [])}:
            notices.append(
                Notice(
                    user_id=user_id,
                    kind=NoticeKind.LAPSE,
                    key=f"case:{pk}:lapse",
                    title=title,
                    body=body,
                    url=_case_url(pk),
                )
            )
    result.lapsed = due.filter(pk__in=[r[0] for r in rows]).update(lapsed_at=now)
    return notices


def _escalate(now: datetime, result: SweepResult) -> list[Notice]:
    due = awaiting_response(now).filter(escalate_by__lte=now, escalated_at__isnull=True)
    rows = list(due.values_list("pk", "number", "division_code", "grade"))
    if not rows:
        return []
    officers = _officers_by_county({r[2][:6] for r in rows})
    notices = [
        Notice(
            user_id=user_id,
            kind=NoticeKind.ESCALATION,
            key=f"case:{pk}:escalation",
            title=f"个案 {number} 超时未响应,上报县级",
            body=f"{GRADE_WORDS[grade]}个案超过响应时限和上报时限仍未到场核实",
            url=_case_url(pk),
        )
        for pk, number, code, grade in rows
        for user_id in officers.get(code[:6], [])
    ]
    result.escalated = due.filter(pk__in=[r[0] for r in rows]).update(escalated_at=now)
    return notices


def _overdue_tasks(now: datetime, result: SweepResult) -> list[Notice]:
    today = timezone.localdate(now)
    due = tasks_overdue(today)
    rows = list(
        due.values_list("pk", "title", "owner_id", "case_id", "case__number", "case__assignee_id")
    )
    notices = [
        Notice(
            user_id=user_id,
            kind=NoticeKind.OVERDUE,
            key=f"case-task:{pk}:overdue",
            title=f"个案 {number} 的任务已逾期",
            body=title[:500],
            url=_case_url(case_id),
        )
        for pk, title, owner_id, case_id, number, assignee_id in rows
        for user_id in {owner_id, *([assignee_id] if assignee_id else [])}
    ]
    result.tasks_overdue = due.filter(pk__in=[r[0] for r in rows]).update(overdue_noticed_at=now)
    return notices


def _follow_ups(now: datetime, result: SweepResult) -> list[Notice]:
    today = timezone.localdate(now)
    due = follow_ups_due(today)
    rows = list(
        due.values_list("pk", "number", "division_code", "assignee_id", "next_follow_up_on")
    )
    supervisors = _staff_by_node(Role.CHILD_SUPERVISOR, {r[2][:9] for r in rows if not r[3]})
    notices = [
        Notice(
            user_id=user_id,
            kind=NoticeKind.REMINDER,
            key=f"case:{pk}:follow-up:{on:%Y%m%d}",
            title=f"个案 {number} 应回访",
            body=f"按帮扶计划,{on:%Y-%m-%d} 应回访",
            url=_case_url(pk),
        )
        for pk, number, code, assignee_id, on in rows
        for user_id in ([assignee_id] if assignee_id else supervisors.get(code[:9], []))
    ]
    result.follow_ups = due.filter(pk__in=[r[0] for r in rows]).update(follow_up_noticed_on=today)
    return notices


@transaction.atomic
def clock_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    notices = (
        _lapse(now, result)
        + _escalate(now, result)
        + _overdue_tasks(now, result)
        + _follow_ups(now, result)
    )
    result.notices = len(notices_send(notices))
    return result

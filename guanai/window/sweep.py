"""The referrals' clock sweep: what lapsed since the last run, and who must hear of it.

Run every minute by `guanai worker` (CLOCK_SWEEPS) and by `guanai window sweep` from cron. A
running referral whose last day (`due_on`) has passed is marked lapsed and its department's
users and the township supervisors told; past `escalate_on` the county's civil affairs is
told. Each fact is recorded once (`lapsed_at`, `escalated_at`), so running again sends
nothing new; a user told of more than DIGEST_OVER at once gets one notice counting them.
A referral waiting for documents (clock paused) does not lapse.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Department, Role, User
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.window.selectors import awaiting_escalation, awaiting_lapse, referrals_mark

DIGEST_OVER = 5
DIGEST_TITLES: dict[str, str] = {
    NoticeKind.LAPSE: "{n} 件转办超过办理时限",
    NoticeKind.ESCALATION: "{n} 件转办超时未办结,上报县级",
}


@dataclass
class SweepResult:
    lapsed: int = 0
    escalated: int = 0
    notices: int = 0


class Told(NamedTuple):
    """One referral one user must hear of; worded only if it is not counted in a digest."""

    user_id: int
    kind: str
    pk: int
    number: str
    department: str
    due_on: date


WORDING: dict[str, tuple[str, str, str]] = {
    NoticeKind.LAPSE: ("lapse", "转办 {n} 超过办理时限", "{d}承办,期限 {due},尚未办结"),
    NoticeKind.ESCALATION: (
        "escalation",
        "转办 {n} 超时未办结,上报县级",
        "{d}承办,期限 {due},超时仍未办结",
    ),
}


@cache
def _detail_pattern() -> str:
    return reverse("window:referral_detail", args=[0])


def _url(pk: int) -> str:
    return _detail_pattern().replace("/0/", f"/{pk}/")


def _desks(counties: set[str]) -> dict[tuple[str, str], list[int]]:
    """(county, department) → the users keeping that desk (civil affairs: the county's staff)."""
    users = User.objects.filter(
        Q(role=Role.DEPARTMENT) | Q(role=Role.CIVIL_AFFAIRS),
        is_active=True,
        division__code__in=counties,
    ).values_list("id", "role", "department", "division__code")
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for user_id, role, department, code in users:
        desk = Department.CIVIL_AFFAIRS if role == Role.CIVIL_AFFAIRS else department
        if desk:
            found[(code, desk)].append(user_id)
    return found


def _staff(role: str, codes: set[str]) -> dict[str, list[int]]:
    users = User.objects.filter(is_active=True, role=role, division__code__in=codes)
    found: dict[str, list[int]] = defaultdict(list)
    for user_id, code in users.values_list("id", "division__code"):
        found[code].append(user_id)
    return found


def _lapse(now: datetime, result: SweepResult) -> list[Told]:
    due = awaiting_lapse(timezone.localdate(now))
    rows = list(due.values_list("pk", "number", "division_code", "department", "due_on"))
    if not rows:
        return []
    desks = _desks({r[2][:6] for r in rows})
    supervisors = _staff(Role.CHILD_SUPERVISOR, {r[2][:9] for r in rows})
    told = [
        Told(user_id, NoticeKind.LAPSE, pk, number, department, due_on)
        for pk, number, code, department, due_on in rows
        for user_id in {*desks.get((code[:6], department), []), *supervisors.get(code[:9], [])}
    ]
    result.lapsed = referrals_mark([r[0] for r in rows], lapsed_at=now)
    return told


def _escalate(now: datetime, result: SweepResult) -> list[Told]:
    due = awaiting_escalation(timezone.localdate(now))
    rows = list(due.values_list("pk", "number", "division_code", "department", "due_on"))
    if not rows:
        return []
    county = _staff(Role.CIVIL_AFFAIRS, {r[2][:6] for r in rows})
    told = [
        Told(user_id, NoticeKind.ESCALATION, pk, number, department, due_on)
        for pk, number, code, department, due_on in rows
        for user_id in county.get(code[:6], [])
    ]
    result.escalated = referrals_mark([r[0] for r in rows], escalated_at=now)
    return told


def _worded(item: Told, labels: dict[str, str]) -> Notice:
    key, title, body = WORDING[item.kind]
    return Notice(
        user_id=item.user_id,
        kind=item.kind,
        key=f"referral:{item.pk}:{key}",
        title=title.format(n=item.number),
        body=body.format(d=labels[item.department], due=f"{item.due_on:%Y-%m-%d}"),
        url=_url(item.pk),
    )


def _notices(told: list[Told], now: datetime) -> list[Notice]:
    by_user: dict[tuple[int, str], list[Told]] = defaultdict(list)
    for item in told:
        by_user[(item.user_id, item.kind)].append(item)
    notices = []
    labels = {code: str(label) for code, label in Department.choices}
    for (user_id, kind), items in by_user.items():
        if len(items) > DIGEST_OVER:
            shown = "、".join(i.number for i in heapq.nsmallest(5, items, key=lambda i: i.pk))
            notices.append(
                Notice(
                    user_id=user_id,
                    kind=kind,
                    key=f"referral-digest:{kind}:{now:%Y%m%d%H%M%S}",
                    title=DIGEST_TITLES[kind].format(n=len(items)),
                    body=f"{shown} 等,请在转办列表中逐一处理",
                    url=_list_url(),
                )
            )
            continue
        notices += [_worded(i, labels) for i in items]
    return notices


@cache
def _list_url() -> str:
    return reverse("window:referral_list") + "?lapsed=1"


@transaction.atomic
def referral_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    told = _lapse(now, result) + _escalate(now, result)
    result.notices = len(notices_send(_notices(told, now)))
    return result

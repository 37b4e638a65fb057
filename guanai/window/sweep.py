"""The referrals' clock sweep: what lapsed since the last run, and who must hear of it.

Run every minute by `guanai worker` (CLOCK_SWEEPS) and by `guanai window sweep` from cron. A
running referral whose last day (`due_on`) has passed is marked lapsed and its department's
heads (负责人, named by the county; all its users where none is) and the township supervisors
told; past `escalate_on` the county's civil affairs is
told. Each fact is recorded once (`lapsed_at`, `escalated_at`), so running again sends
nothing new; a user told of more than DIGEST_OVER at once gets one notice counting them
(notices.digest). Each kind is one set-based UPDATE … RETURNING: a referral that lapses past
its escalation day (the worker was down) is marked both at once, so it is rewritten once.
A referral waiting for documents (clock paused) does not lapse.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import Department, Role, User
from guanai.core.errors import in_record
from guanai.notices.digest import Digest, told_notices
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.window.selectors import Found, referrals_escalate, referrals_lapse

DIGEST_TITLES: dict[str, str] = {
    NoticeKind.LAPSE: "{n} 件转办超过办理时限",
    NoticeKind.ESCALATION: "{n} 件转办超时未办结,上报县级",
}


@dataclass
class SweepResult:
    lapsed: int = 0
    escalated: int = 0
    notices: int = 0


# (user id, kind) → the referrals the user must hear of.
ToldMap = dict[tuple[int, str], list[Found]]


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


def _heads(counties: set[str]) -> dict[tuple[str, str], list[int]]:
    """(county, department) → the heads (负责人) of that desk; where the county named none,
    every user keeping it (civil affairs: the county's staff)."""
    users = User.objects.filter(
        Q(role=Role.DEPARTMENT) | Q(role=Role.CIVIL_AFFAIRS),
        is_active=True,
        division__code__in=counties,
    ).values_list("id", "role", "department", "division__code", "is_department_head")
    every: dict[tuple[str, str], list[int]] = defaultdict(list)
    heads: dict[tuple[str, str], list[int]] = defaultdict(list)
    for user_id, role, department, code, head in users:
        desk = Department.CIVIL_AFFAIRS if role == Role.CIVIL_AFFAIRS else department
        if desk:
            every[(code, desk)].append(user_id)
            if head:
                heads[(code, desk)].append(user_id)
    return {key: heads.get(key) or desk for key, desk in every.items()}


def _staff(role: str, codes: set[str]) -> dict[str, list[int]]:
    users = User.objects.filter(is_active=True, role=role, division__code__in=codes)
    found: dict[str, list[int]] = defaultdict(list)
    for user_id, code in users.values_list("id", "division__code"):
        found[code].append(user_id)
    return found


def _lapse(now: datetime, result: SweepResult, told: ToldMap) -> None:
    found = referrals_lapse(now)
    result.lapsed = len(found)
    if not found:
        return
    desks = _heads({r.division_code[:6] for r in found})
    supervisors = _staff(Role.CHILD_SUPERVISOR, {r.division_code[:9] for r in found})
    for row in found:
        code = row.division_code
        users = {*desks.get((code[:6], row.department), []), *supervisors.get(code[:9], [])}
        for user_id in users:
            told[(user_id, NoticeKind.LAPSE)].append(row)
    _escalated(now, [r for r in found if r.escalated], result, told)


def _escalated(now: datetime, found: list[Found], result: SweepResult, told: ToldMap) -> None:
    result.escalated += len(found)
    if not found:
        return
    county = _staff(Role.CIVIL_AFFAIRS, {r.division_code[:6] for r in found})
    for row in found:
        for user_id in county.get(row.division_code[:6], []):
            told[(user_id, NoticeKind.ESCALATION)].append(row)


def _worded(user_id: int, kind: str, row: Found) -> Notice:
    key, title, body = WORDING[kind]
    return Notice(
        user_id=user_id,
        kind=kind,
        key=f"referral:{row.pk}:{key}",
        title=title.format(n=row.number),
        body=body.format(d=_labels()[row.department], due=f"{row.due_on:%Y-%m-%d}"),
        url=_url(row.pk),
    )


@cache
def _labels() -> dict[str, str]:
    return {code: in_record(label) for code, label in Department.choices}  # notices: Chinese


@cache
def _list_url(kind: str = "") -> str:
    return reverse("window:referral_list") + "?lapsed=1"


# A user told of more than DIGEST_OVER at once: one notice counting them.
DIGEST = Digest(
    titles=DIGEST_TITLES,
    key="referral-digest",
    where="转办列表",
    url=_list_url,
    label=lambda row: row.number,
)


@transaction.atomic
def referral_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    told: ToldMap = defaultdict(list)
    _lapse(now, result, told)  # first: what lapses past its escalation day is escalated at once
    _escalated(now, referrals_escalate(now), result, told)
    result.notices = len(notices_send(told_notices(told, now, DIGEST, _worded)))
    return result

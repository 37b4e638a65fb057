"""Reads of protection cases, always through the gate, and then narrower than the file.

Three degrees of access (`Access`): FULL — the case, its steps and notes, its tasks — for the
assigned worker, the township supervisors over the case's village and the county protection
officer; TASKS — the case's header and one's own tasks — for a task's owner (a department
user, a teacher); RECEIPT — that a case exists, its number, state and whom to contact — for
the reporter and for the staff who may open the child's file. Anyone else: nothing (404).
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from statistics import median

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import Area, scope, unscoped, within
from guanai.core.errors import AccessDenied
from guanai.protection.choices import CaseStatus, StepKind
from guanai.protection.models import CaseStep, CaseTask, GradeChange, ProtectionCase
from guanai.protection.permissions import is_officer, is_supervisor
from guanai.registry.models import Child


class Access(IntEnum):
    NONE = 0
    RECEIPT = 1
    TASKS = 2
    FULL = 3


@dataclass(frozen=True)
class CaseView:
    case: ProtectionCase
    access: Access

    @property
    def full(self) -> bool:
        return self.access == Access.FULL


def cases_for(user: User) -> QuerySet[ProtectionCase]:
    """The cases in the user's jurisdiction (whether they may read them is `access_to`)."""
    return scope(user, ProtectionCase.objects.all())


def _full_q(user: User) -> Q:
    if is_officer(user) or is_supervisor(user):
        return Q(pk__isnull=False)
    return Q(assignee_id=user.pk)


def _own_tasks_q(user: User) -> Q:
    return Q(pk__in=CaseTask.objects.filter(owner_id=user.pk).values("case_id"))


def full_cases_for(user: User) -> QuerySet[ProtectionCase]:
    return cases_for(user).filter(_full_q(user))


def case_list_for(user: User) -> QuerySet[ProtectionCase]:
    """The cases the user works on or reported: the worker's and the township's list."""
    return (
        cases_for(user)
        .filter(_full_q(user) | Q(reported_by_id=user.pk) | _own_tasks_q(user))
        .select_related("child", "assignee")
    )


def access_to(user: User, case: ProtectionCase) -> Access:
    """How much of a case (already reached through the gate) the user may read."""
    if is_officer(user) or is_supervisor(user) or case.assignee_id == user.pk:
        return Access.FULL
    if CaseTask.objects.filter(case_id=case.pk, owner_id=user.pk).exists():
        return Access.TASKS
    if case.reported_by_id == user.pk:
        return Access.RECEIPT
    if user.role in (Role.CHILD_DIRECTOR, Role.CIVIL_AFFAIRS):
        return Access.RECEIPT  # they may open the child's file
    return Access.NONE


def case_get_for(user: User, pk: int, at_least: Access = Access.RECEIPT) -> CaseView:
    case = (
        cases_for(user)
        .select_related("child", "assignee", "reported_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    access = access_to(user, case) if case is not None else Access.NONE
    if case is None or access < at_least:
        raise AccessDenied(_("没有找到该个案,或您无权查看"))
    return CaseView(case, access)


def steps_for(view: CaseView) -> QuerySet[CaseStep]:
    if not view.full:
        return CaseStep.objects.none()
    return CaseStep.objects.filter(case_id=view.case.pk).select_related("recorded_by")


def grade_changes_for(view: CaseView) -> QuerySet[GradeChange]:
    if not view.full:
        return GradeChange.objects.none()
    return GradeChange.objects.filter(case_id=view.case.pk).select_related("changed_by")


def tasks_for_case(user: User, view: CaseView) -> QuerySet[CaseTask]:
    tasks = CaseTask.objects.filter(case_id=view.case.pk).select_related("owner")
    if view.full:
        return tasks
    if view.access == Access.TASKS:
        return tasks.filter(owner_id=user.pk)
    return tasks.none()


def my_tasks(user: User) -> QuerySet[CaseTask]:
    """The user's open tasks of open cases, soonest first."""
    return (
        scope(user, CaseTask.objects.all())
        .filter(owner_id=user.pk, done_at__isnull=True, case__status=CaseStatus.OPEN)
        .select_related("case", "case__child")
        .order_by("due_on", "id")
    )


def task_get_for(user: User, pk: int) -> CaseTask:
    task = scope(user, CaseTask.objects.select_related("case")).filter(pk=pk).first()
    if task is None or (task.owner_id != user.pk and access_to(user, task.case) < Access.FULL):
        raise AccessDenied(_("没有找到该任务,或您无权查看"))
    return task


def step_get_for(user: User, pk: int) -> CaseStep:
    step = scope(user, CaseStep.objects.select_related("case")).filter(pk=pk).first()
    if step is None or access_to(user, step.case) < Access.FULL:
        raise AccessDenied(_("没有找到该记录,或您无权查看"))
    return step


def closure_missing(case: ProtectionCase) -> list[str]:
    """The steps a case still lacks before it may be closed, in words."""
    kinds = set(CaseStep.objects.filter(case_id=case.pk).values_list("kind", flat=True))
    missing = []
    if case.verified_at is None:
        missing.append(str(StepKind.VERIFY.label))
    if case.needs_measure and case.measure_decided_at is None:
        missing.append(str(StepKind.MEASURE.label))
    for kind in (StepKind.ASSESSMENT, StepKind.PLAN):
        if kind not in kinds:
            missing.append(str(kind.label))
    open_tasks = CaseTask.objects.filter(case_id=case.pk, done_at__isnull=True).count()
    if open_tasks:
        missing.append(f"未完成的帮扶任务 {open_tasks} 项")
    return missing


def case_notices_for_child(user: User, child: Child) -> list[CaseView]:
    """The child's cases as the file page shows them: each with what the viewer may read."""
    views = [CaseView(c, access_to(user, c)) for c in cases_for(user).filter(child_id=child.pk)]
    return [v for v in views if v.access > Access.NONE]


def children_with_cases(status: str | None) -> QuerySet:
    """The ids of children with a case (in a state): a condition of the children list, which
    is itself scoped; it shows no case."""
    cases = unscoped(ProtectionCase.objects.all(), purpose="children list filter")
    return (cases.filter(status=status) if status else cases).values("child_id")


def case_from_flag(user: User, flag_id: int) -> ProtectionCase | None:
    return cases_for(user).filter(source_flag_id=flag_id).first()


def case_workers(case: ProtectionCase) -> QuerySet[User]:
    """Who may be assigned the case: active staff whose jurisdiction covers its village."""
    code = case.division_code
    return (
        User.objects.filter(
            is_active=True,
            role__in=[Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS],
            division__code__in=[code, code[:9], code[:6]],
        )
        | User.objects.filter(is_active=True, role=Role.DEPARTMENT, division__code=code[:6])
    ).order_by("role", "username")


def supervisors_of(division_code: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role=Role.CHILD_SUPERVISOR, division__code=division_code[:9]
    )


def county_officers(county_code: str) -> list[User]:
    """The county's protection officers; where none is named yet, every civil-affairs user."""
    staff = list(
        User.objects.filter(is_active=True, role=Role.CIVIL_AFFAIRS, division__code=county_code)
    )
    officers = [u for u in staff if u.has_perm("protection.officer")]
    return officers or staff


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class ResponseTimes:
    division_code: str
    cases: int
    answered: int
    median_hours: float | None
    p90_hours: float | None
    breaches: int  # answered late, or not answered and past the deadline


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def response_times(area: Area, since: datetime, now: datetime) -> list[ResponseTimes]:
    """Per township of the area: hours from intake to response of the cases received since."""
    rows = within(area, ProtectionCase.objects.filter(received_at__gte=since)).values_list(
        "division_code", "received_at", "responded_at", "respond_by"
    )
    by_township: dict[str, list[tuple]] = {}
    for code, received, responded, respond_by in rows:
        by_township.setdefault(code[:9], []).append((received, responded, respond_by))
    result = []
    for code, cases in sorted(by_township.items()):
        hours = [(r - s).total_seconds() / 3600 for s, r, _ in cases if r is not None]
        breaches = sum(1 for _, r, by in cases if (r or now) > by)
        result.append(
            ResponseTimes(
                division_code=code,
                cases=len(cases),
                answered=len(hours),
                median_hours=round(median(hours), 1) if hours else None,
                p90_hours=round(p90, 1) if (p90 := _percentile(hours, 0.9)) is not None else None,
                breaches=breaches,
            )
        )
    return result


def cases_per_worker(area: Area) -> list[dict]:
    """Open cases per assigned worker under the area, busiest first."""
    return list(
        within(area, ProtectionCase.objects.filter(status=CaseStatus.OPEN))
        .values("assignee_id", "assignee__full_name", "assignee__username")
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases", "assignee__username")
    )


def awaiting_response(now: datetime) -> QuerySet[ProtectionCase]:
    """Open cases nobody has answered yet (the sweep's candidates), every county."""
    return unscoped(
        ProtectionCase.objects.filter(status=CaseStatus.OPEN, responded_at__isnull=True),
        purpose="protection clocks",
    )


def follow_ups_due(today: date) -> QuerySet[ProtectionCase]:
    return unscoped(
        ProtectionCase.objects.filter(status=CaseStatus.OPEN, next_follow_up_on__lte=today),
        purpose="protection clocks",
    ).filter(
        Q(follow_up_noticed_on__isnull=True) | Q(follow_up_noticed_on__lt=F("next_follow_up_on"))
    )


def tasks_overdue(today: date) -> QuerySet[CaseTask]:
    return unscoped(
        CaseTask.objects.filter(
            done_at__isnull=True,
            due_on__lt=today,
            overdue_noticed_at__isnull=True,
            case__status=CaseStatus.OPEN,
        ),
        purpose="protection clocks",
    )

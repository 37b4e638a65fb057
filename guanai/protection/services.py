"""Writes for protection cases: report, grade, assign, record steps, plan tasks, close and
reopen. Atomic, checked against the gate and the case's own access, audited; the people who
must act are told by notices (guanai/notices)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import division_visible, scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.care.models import Flag
from guanai.core.counters import next_number
from guanai.core.errors import AccessDenied, DomainError, Message, listed, recorded
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.protection import permissions
from guanai.protection.assessment import assessment_scores, suggested_grade
from guanai.protection.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    Grade,
    InterventionKind,
    MeasureKind,
    Source,
    StepKind,
)
from guanai.protection.clocks import deadlines
from guanai.protection.models import CaseStep, CaseTask, GradeChange, ProtectionCase
from guanai.protection.selectors import (
    Access,
    case_get_for,
    closure_missing,
    county_officers,
    supervisors_of,
)
from guanai.registry.extensions import file_changed
from guanai.registry.models import Child

DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
CASE_SERIES = "protection.case"  # a county's case numbers of a year (core.Counter)
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Report:
    """What a report says (the intake form, a hotline call typed by staff)."""

    kind: str = ""
    description: str = ""
    source: str = ""
    reporter_name: str = ""
    channel: str = Channel.REPORT
    happened_at: datetime | None = None
    place: str = ""
    reporter_institution: str = ""
    reporter_contact: str = ""
    grade: str = Grade.YELLOW  # the reporter's first judgement; the supervisor grades


def _required(value: str, message: Message, field: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, field=field)
    return value.strip()


def _not_future(when: datetime | None, field: str, after: datetime | None = None) -> None:
    if when is None:
        return
    if when > timezone.now():
        raise DomainError(_("时间不能晚于现在"), field=field)
    # Forms give minutes: a visit typed for the minute of intake is not before it.
    if after is not None and when < after.replace(second=0, microsecond=0):
        raise DomainError(_("时间不能早于受理时间"), field=field)


def _next_number(county_code: str, year: int) -> str:
    return f"{county_code}-{year}-{next_number(CASE_SERIES, county_code, year):05d}"


def _case_url(case: ProtectionCase) -> str:
    return reverse("protection:case_detail", args=[case.pk])


def _notify(users, case: ProtectionCase, kind: str, key: str, title: str, body: str) -> None:
    notices_send(
        [
            Notice(user=u, kind=kind, key=key, title=title, body=body[:500], url=_case_url(case))
            for u in users
            if u is not None and u.is_active
        ]
    )


def _full(actor: User, case: ProtectionCase) -> ProtectionCase:
    """The case again, locked, if the actor may work on it in full (the gate, then the case)."""
    view = case_get_for(actor, case.pk, at_least=Access.FULL)
    return scope(actor, ProtectionCase.objects.select_for_update()).get(pk=view.case.pk)


def _directing(actor: User, case: ProtectionCase) -> ProtectionCase:
    if not permissions.can_direct(actor):
        raise AccessDenied(_("只有乡镇督导员和县级未成年人保护专干可以办理此项"))
    return _full(actor, case)


@recorded
@transaction.atomic
def case_report(
    *, actor: User, child: Child | None, report: Report, flag: Flag | None = None
) -> ProtectionCase:
    """File a report: number and intake time fixed now, the response clock started."""
    if not permissions.can_report(actor):
        raise AccessDenied(_("您的角色不能报告保护个案"))
    if child is None:
        raise DomainError(_("请选择儿童(在档案中查找,或先为其建立档案)"), field="child")
    # Through the gate: a carer reaches only the children paired with them today.
    if not scope(actor, Child.objects.filter(pk=child.pk)).exists():
        raise AccessDenied(_("该儿童不在您的管辖范围内"), field="child")
    if report.kind not in CaseKind.values:
        raise DomainError(_("请选择情形"), field="kind")
    description = _required(report.description, _("请填写情况描述"), "description")
    if report.source not in Source.values:
        raise DomainError(_("请选择发现途径"), field="source")
    if report.channel not in Channel.values:
        raise DomainError(_("请选择来源渠道"), field="channel")
    if report.grade not in Grade.values:
        raise DomainError(_("请选择风险等级"), field="grade")
    reporter = _required(report.reporter_name, _("请填写报告人"), "reporter_name")
    _not_future(report.happened_at, "happened_at")
    if flag is not None and (flag.child_id != child.pk or hasattr(flag, "case")):
        raise DomainError(_("该问题上报已转为个案,或不是这名儿童的"), field="flag")
    now = timezone.now()
    clock = deadlines(child.division_code, report.grade, now)
    case = ProtectionCase.objects.create(
        number=_next_number(child.division_code[:6], timezone.localdate(now).year),
        child=child,
        division_code=child.division_code,
        received_at=now,
        channel=report.channel,
        kind=report.kind,
        description=description,
        happened_at=report.happened_at,
        place=report.place.strip(),
        source=report.source,
        reporter_name=reporter,
        reporter_institution=report.reporter_institution.strip(),
        reporter_contact=report.reporter_contact.strip(),
        reported_by=actor,
        source_flag=flag,
        grade=report.grade,
        respond_by=clock.respond_by,
        escalate_by=clock.escalate_by,
        needs_measure=clock.needs_measure,
    )
    GradeChange.objects.create(
        case=case, new_grade=report.grade, reason="报告时初判", changed_by=actor
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=case,
        label=case.number,
        division_code=case.division_code,
        detail=f"报告保护个案({case.get_kind_display()},{case.get_grade_display()})",
    )
    watchers = list(supervisors_of(case.division_code))
    if case.grade == Grade.RED:
        watchers += county_officers(case.division_code[:6])
    _notify(
        watchers,
        case,
        NoticeKind.CASE,
        f"case:{case.pk}:new",
        f"新保护个案 {case.number}({case.get_grade_display()})",
        f"{child.name}:{case.get_kind_display()},{clock.words}",
    )
    file_changed(child)
    return case


@transaction.atomic
def case_grade(*, actor: User, case: ProtectionCase, grade: str, reason: str) -> ProtectionCase:
    """Raise or lower the grade with a reason; the clock is reset from the intake time."""
    case = _directing(actor, case)
    if grade not in Grade.values:
        raise DomainError(_("请选择风险等级"), field="grade")
    reason = _required(reason, _("请填写调整等级的理由"), "reason")
    if not case.is_open:
        raise DomainError(_("个案已结案,请先重新打开"), field="grade")
    old = case.grade
    clock = deadlines(case.division_code, grade, case.received_at)
    case.grade, case.graded_at = grade, timezone.now()
    case.respond_by, case.escalate_by = clock.respond_by, clock.escalate_by
    case.needs_measure = clock.needs_measure
    _respond_if_done(case)
    case.save()
    GradeChange.objects.create(
        case=case, old_grade=old, new_grade=grade, reason=reason, changed_by=actor
    )
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        label=case.number,
        division_code=case.division_code,
        changes={"grade": (old, grade)},
        detail=f"调整等级:{reason}"[:500],
    )
    if grade == Grade.RED and old != Grade.RED:
        _notify(
            county_officers(case.division_code[:6]) + [case.assignee],
            case,
            NoticeKind.CASE,
            f"case:{case.pk}:red:{case.grades.count()}",
            f"个案 {case.number} 定为红色",
            f"{case.child.name}:{clock.words}",
        )
    return case


@recorded
@transaction.atomic
def case_assign(*, actor: User, case: ProtectionCase, assignee: User) -> ProtectionCase:
    case = _directing(actor, case)
    if not permissions.may_work_cases(assignee) or not division_visible(
        assignee, case.division_code
    ):
        raise DomainError(_("承办人须是辖区覆盖该儿童所在村的工作人员"), field="assignee")
    old = case.assignee
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        label=case.number,
        division_code=case.division_code,
        changes={"assignee": (old.username if old else "", assignee.username)},
        detail="指定承办人",
    )
    _notify(
        [assignee],
        case,
        NoticeKind.CASE,
        f"case:{case.pk}:assigned:{assignee.pk}",
        f"您承办保护个案 {case.number}",
        f"{case.get_grade_display()},{case.get_kind_display()};请在时限内到场核实",
    )
    return case


def _respond_if_done(case: ProtectionCase) -> None:
    """The clock stops at the first contact, and for a grade that needs a measure once one is
    also decided."""
    if case.verified_at is None or (case.needs_measure and case.measure_decided_at is None):
        return
    done = max(t for t in (case.verified_at, case.measure_decided_at) if t is not None)
    case.responded_at = case.responded_at or done


def _check_document(document: UploadedFile | None) -> None:
    if document is None:
        return
    if document.content_type not in DOCUMENT_TYPES:
        raise DomainError(_("文书只能是 PDF、JPEG 或 PNG"), field="document")
    if document.size and document.size > DOCUMENT_MAX_BYTES:
        raise DomainError(_("文书不能超过 10 MB"), field="document")


@recorded
@transaction.atomic
def step_record(
    *,
    actor: User,
    case: ProtectionCase,
    kind: str,
    done_at: datetime | None,
    text: str = "",
    measure: str = "",
    intervention: str = "",
    institution: str = "",
    start_on: date | None = None,
    end_on: date | None = None,
    scores: dict | None = None,
    follow_up_days: int | None = None,
    document: UploadedFile | None = None,
) -> CaseStep:
    """Record one step of the workflow (who: the actor; when: `done_at`; what: the rest)."""
    case = _full(actor, case)
    if not case.is_open:
        raise DomainError(_("个案已结案,请先重新打开"), field="kind")
    if kind not in StepKind.values:
        raise DomainError(_("请选择步骤"), field="kind")
    if done_at is None:
        raise DomainError(_("请填写时间"), field="done_at")
    _not_future(done_at, "done_at", after=case.received_at)
    details: dict = {}
    if kind == StepKind.MEASURE:
        if measure not in MeasureKind.values:
            raise DomainError(_("请选择应急措施"), field="measure")
        if measure == MeasureKind.TEMPORARY_CARE and not institution.strip():
            raise DomainError(_("临时监护照料请填写机构"), field="institution")
    elif kind == StepKind.INTERVENTION:
        if intervention not in InterventionKind.values:
            raise DomainError(_("请选择干预措施"), field="intervention")
    elif kind == StepKind.ASSESSMENT:
        checked = assessment_scores(scores or {})
        grade, why = suggested_grade(checked)
        details = {"scores": checked, "suggested": str(grade), "why": why}
    elif kind in (StepKind.VERIFY, StepKind.PLAN, StepKind.FOLLOW_UP, StepKind.NOTE):
        _required(text, _("请填写情况"), "text")
    if start_on and end_on and end_on < start_on:
        raise DomainError(_("结束日期不能早于起始日期"), field="end_on")
    if kind == StepKind.PLAN and follow_up_days is not None and not 1 <= follow_up_days <= 180:
        raise DomainError(_("回访间隔应在 1 至 180 天之间"), field="follow_up_days")
    _check_document(document)
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        done_at=done_at,
        recorded_by=actor,
        text=text.strip(),
        measure=measure if kind == StepKind.MEASURE else "",
        intervention=intervention if kind == StepKind.INTERVENTION else "",
        institution=institution.strip(),
        start_on=start_on,
        end_on=end_on,
        details=details,
        **({"document": document} if document is not None else {}),
    )
    if kind == StepKind.VERIFY and case.verified_at is None:
        case.verified_at = done_at
    if kind == StepKind.MEASURE and case.measure_decided_at is None:
        case.measure_decided_at = done_at
    if kind == StepKind.PLAN and follow_up_days:
        case.follow_up_days = follow_up_days
        case.next_follow_up_on = timezone.localdate(done_at) + timedelta(days=follow_up_days)
    if kind == StepKind.FOLLOW_UP and case.follow_up_days:
        case.next_follow_up_on = timezone.localdate(done_at) + timedelta(days=case.follow_up_days)
    _respond_if_done(case)
    case.save()
    audit(
        actor=actor,
        action=Action.CREATE,
        target=step,
        object_type="protection.casestep",
        label=case.number,
        division_code=case.division_code,
        detail=f"个案 {case.number}:{step.get_kind_display()}",
    )
    return step


@transaction.atomic
def task_add(
    *, actor: User, case: ProtectionCase, title: str, owner: User, due_on: date | None
) -> CaseTask:
    """A task of the assistance plan for anyone whose jurisdiction covers the child."""
    case = _full(actor, case)
    title = _required(title, _("请填写任务"), "title")
    if due_on is None:
        raise DomainError(_("请填写完成期限"), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(_("完成期限不能早于今天"), field="due_on")
    if not permissions.may_work_cases(owner) or not division_visible(owner, case.division_code):
        raise DomainError(_("责任人须是辖区覆盖该儿童所在村的工作人员"), field="owner")
    task = CaseTask.objects.create(
        case=case, title=title, owner=owner, due_on=due_on, created_by=actor
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=task,
        label=case.number,
        division_code=case.division_code,
        detail=f"个案 {case.number} 帮扶任务:{title}"[:500],
    )
    notices_send(
        [
            Notice(
                user=owner,
                kind=NoticeKind.CASE,
                key=f"case-task:{task.pk}",
                title=f"保护个案 {case.number} 的任务",
                body=f"{title},{due_on:%Y-%m-%d} 前完成"[:500],
                url=reverse("protection:my_tasks"),
            )
        ]
    )
    return task


@transaction.atomic
def task_done(*, actor: User, task: CaseTask, note: str) -> CaseTask:
    if task.owner_id != actor.pk:
        _full(actor, task.case)
    else:
        case_get_for(actor, task.case_id, at_least=Access.TASKS)
    task = scope(actor, CaseTask.objects.select_for_update()).get(pk=task.pk)
    if task.done_at is not None:
        raise DomainError(_("该任务已完成"), field="note")
    task.done_note = _required(note, _("请填写完成情况"), "note")
    task.done_at = timezone.now()
    task.save(update_fields=["done_note", "done_at"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=task,
        division_code=task.case.division_code,
        label=task.case.number,
        detail=f"完成帮扶任务:{task.title}"[:500],
    )
    return task


@transaction.atomic
def case_close(*, actor: User, case: ProtectionCase, review: str) -> ProtectionCase:
    """Close after the supervisor's review; refused, with the steps named, while any is missing."""
    case = _directing(actor, case)
    if not case.is_open:
        raise DomainError(_("个案已结案"), field="review")
    review = _required(review, _("请填写结案审核意见"), "review")
    missing = closure_missing(case)
    if missing:
        raise DomainError(
            _("还不能结案,缺少:%(missing)s"), field="review", missing=listed(missing, "、")
        )
    case.status, case.closed_at, case.closed_by = CaseStatus.CLOSED, timezone.now(), actor
    case.closing_review = review
    case.save()
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        label=case.number,
        division_code=case.division_code,
        changes={"status": (CaseStatus.OPEN, CaseStatus.CLOSED)},
        detail=f"结案:{review}"[:500],
    )
    file_changed(case.child)
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: ProtectionCase, reason: str) -> ProtectionCase:
    case = _directing(actor, case)
    if case.is_open:
        raise DomainError(_("个案尚未结案"), field="reason")
    reason = _required(reason, _("请填写重新打开的理由"), "reason")
    case.status, case.closed_at, case.closed_by = CaseStatus.OPEN, None, None
    case.reopened_times += 1
    case.save()
    CaseStep.objects.create(
        case=case,
        kind=StepKind.NOTE,
        done_at=timezone.now(),
        recorded_by=actor,
        text=f"重新打开:{reason}",
    )
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        label=case.number,
        division_code=case.division_code,
        changes={"status": (CaseStatus.CLOSED, CaseStatus.OPEN)},
        detail=f"重新打开:{reason}"[:500],
    )
    file_changed(case.child)
    return case


def case_opened(*, actor: User, case: ProtectionCase, access: Access) -> None:
    """Every read of a case is audited, with how much of it was shown."""
    audit(
        actor=actor,
        action=Action.VIEW,
        target=case,
        label=case.number,
        division_code=case.division_code,
        detail=f"查看保护个案({access.name.lower()})",
    )


def document_downloaded(*, actor: User, step: CaseStep) -> None:
    audit(
        actor=actor,
        action=Action.VIEW,
        target=step,
        label=step.case.number,
        division_code=step.case.division_code,
        detail="下载个案文书",
    )

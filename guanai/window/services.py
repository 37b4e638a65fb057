"""Writes of the window: receive an application, route referrals, and the department's
answers (accept, ask for documents, reject, complete), revoke and reassign. Atomic, checked
against the gate and the actor's desk, audited; the people who must act are told by notices."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanai.accounts.models import Department, User
from guanai.accounts.scoping import require_division, scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.benefits import services as benefits_services
from guanai.care.models import CareRecord
from guanai.core.counters import next_number
from guanai.core.errors import AccessDenied, DomainError, Message, recorded
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.protection import services as protection_services
from guanai.protection.models import CaseTask
from guanai.registry.extensions import file_changed
from guanai.registry.models import Child
from guanai.rules.choices import Benefit
from guanai.window import permissions
from guanai.window.choices import OPEN, RUNNING, ApplicationStatus, ReferralStatus
from guanai.window.models import (
    Application,
    ApplicationDocument,
    HolidayCalendar,
    Referral,
)
from guanai.window.selectors import department_users, help_kind_get, supervisors_of
from guanai.window.workdays import days_between, due_date

DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
LIMIT_MAX = 60  # working days
ESCALATE_AFTER = 3  # working days past the limit before the county is told
# The number series (core.Counter) of a county's applications (…-S序号) and referrals (…-Z序号).
APPLICATIONS = "window.application"
REFERRALS = "window.referral"


@dataclass
class Intake:
    """What the window records of an application (the intake form)."""

    kind_id: int | None = None
    applicant_name: str = ""
    applicant_contact: str = ""
    note: str = ""
    # uploads by requirement id (0: a document of no checklist line)
    documents: dict[int, UploadedFile] = field(default_factory=dict)


def _required(value: str, message: Message, name: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, field=name)
    return value.strip()


def document_check(document: UploadedFile, name: str = "documents") -> None:
    if document.content_type not in DOCUMENT_TYPES:
        raise DomainError(
            gettext_lazy("材料“%(name)s”只能是 PDF、JPEG 或 PNG"), field=name, name=document.name
        )
    if document.size and document.size > DOCUMENT_MAX_BYTES:
        raise DomainError(gettext_lazy("材料“%(name)s”超过 10 MB"), field=name, name=document.name)


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def _notify(users: Iterable[User | None], key: str, title: str, body: str, url: str) -> None:
    notices_send(
        [
            Notice(
                user=u,
                kind=NoticeKind.REMINDER,
                key=key,
                title=title[:100],
                body=body[:500],
                url=url,
            )
            for u in {u for u in users if u is not None and u.is_active}
        ]
    )


@transaction.atomic
def application_receive(*, actor: User, child: Child | None, intake: Intake) -> Application:
    """Receive an application at the window: a receipt number and the promised date now."""
    if not permissions.can_use_window(actor):
        raise AccessDenied(gettext_lazy("只有乡镇和县级工作人员可以受理申请"))
    if child is None:
        raise DomainError(gettext_lazy("请选择儿童"), field="child")
    if not scope(actor, Child.objects.filter(pk=child.pk)).exists():
        raise AccessDenied(gettext_lazy("该儿童不在您的管辖范围内"), field="child")
    kind = help_kind_get(child.division_code, intake.kind_id)
    if kind is None:
        raise DomainError(gettext_lazy("请选择申请事项"), field="kind")
    applicant = _required(intake.applicant_name, gettext_lazy("请填写申请人"), "applicant_name")
    requirements = {r.pk: r for r in kind.requirements.all()}
    missing = [r.name for r in requirements.values() if r.required and r.pk not in intake.documents]
    if missing:
        raise DomainError(
            gettext_lazy("缺少必交材料:%(missing)s"), field="documents", missing="、".join(missing)
        )
    for document in intake.documents.values():
        document_check(document)
    now = timezone.now()
    today = timezone.localdate(now)
    county = child.division_code[:6]
    application = Application.objects.create(
        number=f"{county}-{today.year}-S{next_number(APPLICATIONS, county, today.year):05d}",
        child=child,
        division_code=child.division_code,
        kind=kind,
        applicant_name=applicant,
        applicant_contact=intake.applicant_contact.strip(),
        note=intake.note.strip(),
        received_by=actor,
        received_at=now,
        promised_by=due_date(child.division_code, today, kind.limit_days),
    )
    for requirement_id, document in intake.documents.items():
        requirement = requirements.get(requirement_id)
        ApplicationDocument.objects.create(
            application=application,
            requirement=requirement,
            name=requirement.name if requirement else (document.name or "材料")[:100],
            file=document,
            content_type=document.content_type or "",
            size=document.size or 0,
            uploaded_by=actor,
        )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=application,
        label=application.number,
        division_code=application.division_code,
        detail=f"一门受理:{kind.name},承诺 {application.promised_by:%Y-%m-%d} 前办结",
    )
    file_changed(child)
    return application


def _reach(scoped, pk: int):
    """The row of a queryset through the gate, or a refusal (as for a row that is not there)."""
    found = scoped.filter(pk=pk).first()
    if found is None:
        raise AccessDenied(gettext_lazy("不在您的管辖范围内"), field="source")
    return found


def _window_checked(actor: User, division_code: str) -> None:
    if not permissions.can_use_window(actor):
        raise AccessDenied(gettext_lazy("只有乡镇和县级工作人员可以转办"))
    require_division(actor, division_code)


def _number(county: str, year: int) -> str:
    return f"{county}-{year}-Z{next_number(REFERRALS, county, year):05d}"


@transaction.atomic
def referral_send(
    *,
    actor: User,
    department: str,
    limit_days: int | None,
    request: str,
    application: Application | None = None,
    case_task: CaseTask | None = None,
    care_record: CareRecord | None = None,
) -> Referral:
    """Route a piece of work to a department with a limit in working days."""
    sources = [s for s in (application, case_task, care_record) if s is not None]
    if len(sources) != 1:
        raise DomainError(gettext_lazy("请选择转办的申请、个案任务或关爱记录"), field="source")
    if department not in Department.values:
        raise DomainError(gettext_lazy("请选择承办部门"), field="department")
    if not limit_days:
        raise DomainError(gettext_lazy("请填写办理时限(工作日)"), field="limit_days")
    if not 1 <= limit_days <= LIMIT_MAX:
        raise DomainError(
            gettext_lazy("办理时限应在 1 至 %(limit_max)s 个工作日之间"),
            field="limit_days",
            limit_max=LIMIT_MAX,
        )
    request = _required(request, gettext_lazy("请填写转办事项"), "request")
    if application is not None:
        application = _reach(scope(actor, Application.objects.select_for_update()), application.pk)
        child_id, code = application.child_id, application.division_code
        if application.status not in (ApplicationStatus.RECEIVED, ApplicationStatus.REFERRED):
            raise DomainError(gettext_lazy("该申请已办结"), field="source")
    elif case_task is not None:
        case_task = _reach(scope(actor, CaseTask.objects.select_related("case")), case_task.pk)
        child_id, code = case_task.case.child_id, case_task.case.division_code
        if case_task.done_at is not None:
            raise DomainError(gettext_lazy("该任务已完成"), field="source")
    else:
        assert care_record is not None
        care_record = _reach(scope(actor, CareRecord.objects.all()), care_record.pk)
        child_id, code = care_record.child_id, care_record.division_code
    _window_checked(actor, code)
    now = timezone.now()
    today = timezone.localdate(now)
    due_on = due_date(code, today, limit_days)
    referral = Referral.objects.create(
        number=_number(code[:6], today.year),
        child_id=child_id,
        division_code=code,
        application=application,
        case_task=case_task,
        care_record=care_record,
        department=department,
        request=request,
        limit_days=limit_days,
        sent_by=actor,
        sent_at=now,
        due_on=due_on,
        escalate_on=due_date(code, due_on, ESCALATE_AFTER),
    )
    if application is not None and application.status == ApplicationStatus.RECEIVED:
        application.status = ApplicationStatus.REFERRED
        application.save(update_fields=["status"])
    label = Department(department).label
    audit(
        actor=actor,
        action=Action.CREATE,
        target=referral,
        label=referral.number,
        division_code=code,
        detail=f"转办{label}:{request}"[:500],
    )
    _notify(
        department_users(department, code[:6]),
        f"referral:{referral.pk}:sent:{department}",
        f"新转办 {referral.number}",
        f"{request},{limit_days} 个工作日内({due_on:%Y-%m-%d} 前)办结",
        _url("window:referral_detail", referral.pk),
    )
    return referral


def _desk(actor: User, referral: Referral, states: Iterable[str]) -> Referral:
    """The referral again, locked, if the actor keeps its department's desk, in a state."""
    if permissions.desk_of(actor) != referral.department and not actor.is_superuser:
        raise AccessDenied(gettext_lazy("该转办不是您部门的"))
    locked = scope(actor, Referral.objects.select_for_update()).filter(pk=referral.pk).first()
    if locked is None:
        raise AccessDenied(gettext_lazy("没有找到该转办,或您无权办理"))
    if locked.status not in states:
        raise DomainError(
            gettext_lazy("该转办%(status)s,不能办理此项"),
            field="status",
            status=locked.get_status_display(),
        )
    return locked


def _audit(actor: User, referral: Referral, old: str, detail: str) -> None:
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=referral,
        label=referral.number,
        division_code=referral.division_code,
        changes={"status": (old, referral.status)} if old != referral.status else None,
        detail=detail[:500],
    )


def _tell_sender(referral: Referral, key: str, title: str, body: str) -> None:
    _notify(
        [referral.sent_by, *supervisors_of(referral.division_code)],
        f"referral:{referral.pk}:{key}",
        title,
        body,
        _url("window:referral_detail", referral.pk),
    )


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    referral = _desk(actor, referral, [ReferralStatus.SENT])
    referral.status = ReferralStatus.ACCEPTED
    referral.accepted_at, referral.accepted_by = timezone.now(), actor
    referral.save(update_fields=["status", "accepted_at", "accepted_by"])
    _audit(actor, referral, ReferralStatus.SENT, "接收转办")
    return referral


@recorded
@transaction.atomic
def referral_ask_documents(*, actor: User, referral: Referral, documents: str) -> Referral:
    """Ask for more documents: the clock pauses until they arrive."""
    referral = _desk(actor, referral, RUNNING)
    documents = _required(documents, gettext_lazy("请填写需补充的材料"), "documents")
    old = referral.status
    if referral.accepted_at is None:
        referral.accepted_at, referral.accepted_by = timezone.now(), actor
    referral.status = ReferralStatus.MORE_DOCS
    referral.paused_on = timezone.localdate()
    referral.documents_asked = documents
    referral.save()
    _audit(actor, referral, old, f"要求补充材料:{documents}")
    _tell_sender(
        referral,
        f"docs:{referral.paused_on:%Y%m%d}",
        f"转办 {referral.number} 需补材料",
        f"{referral.get_department_display()}要求补充:{documents}",
    )
    return referral


@transaction.atomic
def referral_documents_received(*, actor: User, referral: Referral) -> Referral:
    """The documents arrived: the clock resumes, the dates move by the paused working days."""
    if not (permissions.can_use_window(actor) or permissions.desk_of(actor) == referral.department):
        raise AccessDenied(gettext_lazy("您不能办理此项"))
    locked = scope(actor, Referral.objects.select_for_update()).filter(pk=referral.pk).first()
    if locked is None:
        raise AccessDenied(gettext_lazy("没有找到该转办,或您无权办理"))
    if locked.status != ReferralStatus.MORE_DOCS or locked.paused_on is None:
        raise DomainError(gettext_lazy("该转办未在等待补充材料"), field="status")
    referral, paused_on = locked, locked.paused_on
    today = timezone.localdate()
    paused = days_between(referral.division_code, paused_on, today)
    referral.paused_days += paused
    referral.due_on = due_date(referral.division_code, referral.due_on, paused)
    referral.escalate_on = due_date(referral.division_code, referral.due_on, ESCALATE_AFTER)
    referral.status = ReferralStatus.ACCEPTED
    referral.paused_on = None
    referral.save()
    _audit(
        actor,
        referral,
        ReferralStatus.MORE_DOCS,
        f"材料已补齐,恢复计时(暂停 {paused} 个工作日,期限 {referral.due_on:%Y-%m-%d})",
    )
    _notify(
        department_users(referral.department, referral.division_code[:6]),
        f"referral:{referral.pk}:resumed:{today:%Y%m%d}",
        f"转办 {referral.number} 材料已补齐",
        f"恢复计时,{referral.due_on:%Y-%m-%d} 前办结",
        _url("window:referral_detail", referral.pk),
    )
    return referral


def _finish(referral: Referral, actor: User, status: str) -> None:
    now = timezone.now()
    referral.status, referral.closed_at, referral.closed_by = status, now, actor
    today = timezone.localdate(now)
    start = timezone.localdate(referral.sent_at)
    referral.handling_days = max(
        0, days_between(referral.division_code, start, today) - referral.paused_days
    )
    referral.on_time = today <= referral.due_on


@transaction.atomic
def referral_reject(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _desk(actor, referral, OPEN)
    reason = _required(reason, gettext_lazy("请填写退回理由"), "reason")
    old = referral.status
    _finish(referral, actor, ReferralStatus.REJECTED)
    referral.on_time = None
    referral.reason = reason
    referral.save()
    _audit(actor, referral, old, f"退回:{reason}")
    _tell_sender(referral, "rejected", f"转办 {referral.number} 被退回", reason)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """Complete with an outcome; the application is closed, a protection task marked done."""
    referral = _desk(actor, referral, OPEN)
    outcome = _required(outcome, gettext_lazy("请填写办理结果"), "outcome")
    old = referral.status
    _finish(referral, actor, ReferralStatus.COMPLETED)
    referral.outcome = outcome
    referral.save()
    if referral.application_id is not None:
        application = scope(actor, Application.objects.select_for_update()).get(
            pk=referral.application_id
        )
        if not application.referrals.filter(status__in=OPEN).exists():
            application.status = ApplicationStatus.COMPLETED
            application.closed_at, application.outcome = referral.closed_at, outcome
            application.save(update_fields=["status", "closed_at", "outcome"])
            _benefit_propose(application, outcome)
    if referral.case_task_id is not None:
        _task_done(actor, referral, outcome)
    _audit(actor, referral, old, f"办结:{outcome}")
    _tell_sender(referral, "completed", f"转办 {referral.number} 已办结", outcome)
    file_changed(referral.child)
    return referral


# Kinds of help that are a benefit the rules know: a completed application is proposed to
# the county's decision (benefits), in the name of whoever received it at the window.
BENEFIT_OF_KIND = {
    "orphan_allowance": Benefit.ORPHAN_ALLOWANCE,
    "unsupported_allowance": Benefit.ORPHAN_ALLOWANCE,
    "minimum_living": Benefit.DIBAO,
}


def _benefit_propose(application: Application, outcome: str) -> None:
    benefit = BENEFIT_OF_KIND.get(application.kind.code)
    if benefit is None or application.received_by is None:
        return
    try:
        benefits_services.proposal_create(
            actor=application.received_by,
            child=application.child,
            benefit=benefit,
            note=f"一门受理 {application.number} 办结:{outcome}"[:300],
        )
    except DomainError:
        # Not owed by the file as it stands, or already waiting for the county: the gap list
        # and the proposal queue show it; the application's outcome stands.
        return


@recorded
def _task_done(actor: User, referral: Referral, outcome: str) -> None:
    """Close the protection task through protection's service: as the department user if the
    task is theirs, otherwise as the one who routed it (who works on the case)."""
    task = referral.case_task
    assert task is not None
    if task.done_at is not None:
        return
    note = f"{referral.get_department_display()}办结(转办 {referral.number}):{outcome}"
    who = actor if task.owner_id == actor.pk else referral.sent_by
    protection_services.task_done(actor=who, task=task, note=note[:2000])


def _managing(actor: User, referral: Referral) -> Referral:
    if not permissions.can_manage(actor):
        raise AccessDenied(gettext_lazy("只有乡镇督导员和县级工作人员可以撤回或改派"))
    locked = scope(actor, Referral.objects.select_for_update()).filter(pk=referral.pk).first()
    if locked is None:
        raise AccessDenied(gettext_lazy("没有找到该转办,或您无权办理"))
    if locked.status not in OPEN:
        raise DomainError(gettext_lazy("该转办已结束"), field="status")
    return locked


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _managing(actor, referral)
    reason = _required(reason, gettext_lazy("请填写撤回理由"), "reason")
    old = referral.status
    _finish(referral, actor, ReferralStatus.REVOKED)
    referral.on_time, referral.reason = None, reason
    referral.save()
    _audit(actor, referral, old, f"撤回:{reason}")
    _notify(
        department_users(referral.department, referral.division_code[:6]),
        f"referral:{referral.pk}:revoked",
        f"转办 {referral.number} 已撤回",
        reason,
        _url("window:referral_detail", referral.pk),
    )
    return referral


@transaction.atomic
def referral_reassign(
    *, actor: User, referral: Referral, department: str, limit_days: int | None = None
) -> Referral:
    """Send the open referral to another department: the old one is revoked, a new one sent
    with the same request (and the same limit unless another is given)."""
    old = _managing(actor, referral)
    if department not in Department.values:
        raise DomainError(gettext_lazy("请选择承办部门"), field="department")
    if department == old.department:
        raise DomainError(gettext_lazy("已是该部门承办"), field="department")
    label = Department(department).label
    referral_revoke(actor=actor, referral=old, reason=f"改派{label}")
    return referral_send(
        actor=actor,
        department=department,
        limit_days=limit_days or old.limit_days,
        request=old.request,
        application=old.application,
        case_task=old.case_task,
        care_record=old.care_record,
    )


def document_downloaded(*, actor: User, document: ApplicationDocument) -> None:
    audit(
        actor=actor,
        action=Action.VIEW,
        target=document,
        label=document.application.number,
        division_code=document.application.division_code,
        detail=f"下载申请材料:{document.name}"[:500],
    )


@transaction.atomic
def holiday_set(
    *, actor: User, county_code: str, day: date | None, is_workday: bool, words: str
) -> HolidayCalendar:
    """A county's own row for a day (a local holiday, or a national row overridden)."""
    _county_staff(actor, county_code)
    if day is None:
        raise DomainError(gettext_lazy("请填写日期"), field="day")
    row, _ = HolidayCalendar.objects.update_or_create(
        area=county_code, day=day, defaults={"is_workday": is_workday, "words": words.strip()[:50]}
    )
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=row,
        label=f"{day:%Y-%m-%d}",
        division_code=county_code,
        detail=f"节假日安排:{day:%Y-%m-%d} {'上班' if is_workday else '休息'} {words}"[:500],
    )
    return row


@transaction.atomic
def holiday_remove(*, actor: User, county_code: str, day: date | None) -> int:
    _county_staff(actor, county_code)
    if day is None:
        raise DomainError(gettext_lazy("请填写日期"), field="day")
    removed, _ = HolidayCalendar.objects.filter(area=county_code, day=day).delete()
    if not removed:
        raise DomainError(
            gettext_lazy("本县没有该日的安排(全国安排不能删除,可另设本县安排)"), field="day"
        )
    audit(
        actor=actor,
        action=Action.DELETE,
        object_type="window.holidaycalendar",
        label=f"{day:%Y-%m-%d}",
        division_code=county_code,
        detail=f"删除本县节假日安排:{day:%Y-%m-%d}",
    )
    return removed


def _county_staff(actor: User, county_code: str) -> None:
    if not permissions.can_edit_calendar(actor) or len(county_code) != 6:
        raise AccessDenied(gettext_lazy("只有县级民政工作人员可以修改本县节假日安排"))
    require_division(actor, county_code)

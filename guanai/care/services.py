"""Writes for care work: pairings, terms, care records, flags. Atomic, checked, audited."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import (
    area_for,
    division_visible,
    in_force_q,
    scope,
    unscoped,
    within,
)
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.care import permissions
from guanai.care.due import due_items_fulfil, due_items_reclip
from guanai.care.models import (
    ONE_TO_ONE_KINDS,
    Activity,
    CareRecord,
    CarerKind,
    DueItem,
    DueStatus,
    Flag,
    FlagStatus,
    Pairing,
    Severity,
    Term,
)
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.geo.models import Division, Level
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.registry.choices import AttachmentKind
from guanai.registry.models import Attachment, Child

RECORD_TEXT_FIELDS = [
    "place",
    "present",
    "study",
    "daily_life",
    "mood",
    "friends",
    "health",
    "problems",
    "help_given",
    "follow_up",
]
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def carer_child_limit() -> int:
    return int(getattr(settings, "CARER_CHILD_LIMIT", 2))


@dataclass
class PairingResult:
    pairing: Pairing
    warnings: list[str] = field(default_factory=list)


def carer_load(carer: User, on: date) -> int:
    """How many children a carer looks after one to one on a day."""
    pairings = unscoped(
        Pairing.objects.filter(in_force_q(on), carer=carer, kind__in=ONE_TO_ONE_KINDS),
        purpose="carer load",
    )
    return pairings.values("child_id").distinct().count()


def _check_pairing_dates(start_date: date, end_date: date | None) -> None:
    if start_date is None:
        raise DomainError(_("请填写结对开始日期"), field="start_date")
    if end_date is not None and end_date < start_date:
        raise DomainError(_("结束日期不能早于开始日期"), field="end_date")


@recorded
@transaction.atomic
def pairing_create(
    *,
    actor: User,
    child: Child,
    carer: User,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    note: str = "",
) -> PairingResult:
    """Pair a carer with a child. Over the carer's limit is a warning, not a refusal."""
    if not permissions.can_manage_pairings(actor):
        raise AccessDenied(_("您的角色不能安排结对"))
    if not division_visible(actor, child.division_code):
        raise AccessDenied(_("该儿童不在您的管辖范围内"))
    if not child.is_active:
        raise DomainError(_("该儿童档案已注销,不能结对"), field="child")
    if kind not in CarerKind.values:
        raise DomainError(_("请选择结对类型"), field="kind")
    if (
        not permissions.may_be_carer(carer)
        or carer.division is None
        or not division_visible(actor, carer.division.code)
    ):
        raise DomainError(_("请选择您管辖范围内的爱心人士或儿童主任"), field="carer")
    _check_pairing_dates(start_date, end_date)
    overlapping = scope(actor, Pairing.objects.filter(child=child, carer=carer, kind=kind)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise DomainError(
            _("%(display_name)s 已作为%(label)s与该儿童结对,时间重叠"),
            field="carer",
            display_name=carer.display_name,
            label=CarerKind(kind).label,
        )
    pairing = Pairing.objects.create(
        child=child,
        carer=carer,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
        created_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=pairing,
        division_code=child.division_code,
        detail=f"结对:{CarerKind(kind).label} {carer.display_name}",
    )
    result = PairingResult(pairing)
    limit = carer_child_limit()
    load = carer_load(carer, max(start_date, timezone.localdate()))
    if kind in ONE_TO_ONE_KINDS and load > limit:
        result.warnings.append(
            f"提示:{carer.display_name} 现结对 {load} 名儿童,超过每人 {limit} 名的上限,"
            "请考虑另行安排结对人"
        )
    return result


@transaction.atomic
def pairing_end(*, actor: User, pairing: Pairing, end_date: date, reason: str = "") -> Pairing:
    """End a pairing on a day; its open duties after that day are cancelled or shortened."""
    if not permissions.can_manage_pairings(actor):
        raise AccessDenied(_("您的角色不能结束结对"))
    if not division_visible(actor, pairing.child.division_code):
        raise AccessDenied(_("该结对不在您的管辖范围内"))
    if end_date is None:
        raise DomainError(_("请填写结束日期"), field="end_date")
    if end_date < pairing.start_date:
        raise DomainError(
            _("结束日期不能早于结对开始日期(%(start)s)"),
            field="end_date",
            start=pairing.start_date.isoformat(),
        )
    if pairing.end_date is not None and pairing.end_date < timezone.localdate():
        raise DomainError(_("该结对已结束"), field="end_date")
    old = pairing.end_date
    pairing.end_date = end_date
    pairing.end_reason = reason.strip()
    pairing.save(update_fields=["end_date", "end_reason"])
    due_items_reclip(pairing)
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=pairing,
        division_code=pairing.child.division_code,
        changes={"end_date": (old, end_date)},
        detail=f"结束结对:{pairing.end_reason}"[:500],
    )
    return pairing


def pairings_end_with_file(child: Child) -> int:
    """A closed file ends the child's pairings on its closing day (the registry calls this after
    every save, inside its transaction): the carer's load and 在结对 no longer count the child,
    and duties past that day are cancelled. A reopened file's pairings stay ended."""
    if child.is_active or child.inactive_on is None:
        return 0
    closing = child.inactive_on
    pairings = unscoped(Pairing.objects.filter(child=child), purpose="file closed").filter(
        Q(end_date__isnull=True) | Q(end_date__gt=closing)
    )
    ended = 0
    for pairing in pairings:
        pairing.end_date = max(closing, pairing.start_date)
        pairing.end_reason = "档案注销"
        pairing.save(update_fields=["end_date", "end_reason"])
        due_items_reclip(pairing)
        ended += 1
    return ended


@transaction.atomic
def term_create(*, actor: User | None, county: Division, name: str, start: date, end: date) -> Term:
    """A school term of a county. `actor` None is the system (management command)."""
    if actor is not None and (
        not permissions.can_set_terms(actor) or not division_visible(actor, county.code)
    ):
        raise AccessDenied(_("您不能设置该县(区)的学期"))
    if county.level != Level.COUNTY:
        raise DomainError(_("学期按县(区)设置"), field="county")
    if not name.strip():
        raise DomainError(_("请填写学期名称"), field="name")
    if start is None or end is None or end <= start:
        raise DomainError(_("学期结束日期必须晚于开学日期"), field="end")
    clash = Term.objects.filter(division=county, start__lte=end, end__gte=start).first()
    if clash is not None:
        raise DomainError(_("与已设置的学期“%(name)s”时间重叠"), field="start", name=clash.name)
    term = Term.objects.create(division=county, name=name.strip(), start=start, end=end)
    audit(
        actor=actor,
        action=Action.CREATE,
        target=term,
        division_code=county.code,
        detail=f"设置学期 {term}",
    )
    return term


def standard_terms(year: int) -> list[tuple[str, date, date]]:
    """The usual school calendar, for counties that have not set their own."""
    return [
        (f"{year}年春季学期", date(year, 3, 1), date(year, 7, 10)),
        (f"{year}年秋季学期", date(year, 9, 1), date(year + 1, 1, 20)),
    ]


def terms_set_standard(*, actor: User | None, county: Division, year: int) -> list[Term]:
    made = []
    for name, start, end in standard_terms(year):
        if not Term.objects.filter(division=county, start__lte=end, end__gte=start).exists():
            made.append(term_create(actor=actor, county=county, name=name, start=start, end=end))
    return made


def _record_pairing(actor: User, child: Child, day: date) -> Pairing | None:
    """The actor's pairing that the record falls under; a carer is refused outside it."""
    # Every pairing of the actor's with the child, past ones too (a record may be dated in one).
    own = within(area_for(actor, child.division), Pairing.objects.filter(child=child, carer=actor))
    mine = list(own.order_by("start_date"))
    covering = [p for p in mine if p.covers(day)]
    if actor.role != Role.CARER:
        return covering[0] if covering else None  # staff visit children of their area
    if not any(p.covers(timezone.localdate()) for p in mine):
        raise AccessDenied(_("该儿童不在您的结对名单中"), field="child")
    if covering:
        return covering[0]
    if day < mine[0].start_date:
        raise DomainError(
            _("记录日期早于结对开始日期(%(start)s),请核对日期"),
            field="date",
            start=mine[0].start_date.isoformat(),
        )
    raise DomainError(_("记录日期不在您与该儿童的结对期内,请核对日期"), field="date")


def _check_photos(photos: Sequence[UploadedFile]) -> None:
    for photo in photos:
        if getattr(photo, "content_type", "") not in PHOTO_TYPES:
            raise DomainError(
                _("照片“%(name)s”不是 JPG/PNG/WebP 图片"), field="photos", name=photo.name
            )
        if (photo.size or 0) > PHOTO_MAX_BYTES:
            raise DomainError(
                _("照片“%(name)s”超过 5MB,请压缩后再上传"), field="photos", name=photo.name
            )


@recorded
@transaction.atomic
def care_record_create(
    *,
    actor: User,
    child: Child,
    activity: str,
    day: date,
    data: dict[str, Any] | None = None,
    photos: Sequence[UploadedFile] = (),
    due_item: DueItem | None = None,
) -> CareRecord:
    """Record a visit, talk, letter or call; it fulfils the matching open due items.

    Made for an overdue item (`due_item`, tapped on the week page) and dated after its period,
    it fulfils that item, late, and nothing else: one late talk is not also this month's.
    """
    data = data or {}
    if not permissions.can_record(actor):
        raise AccessDenied(_("您的角色不能填写关爱记录"))
    if not division_visible(actor, child.division_code):
        raise AccessDenied(_("该儿童不在您的结对名单中"), field="child")
    if activity not in Activity.values:
        raise DomainError(_("请选择活动类型"), field="activity")
    if day is None:
        raise DomainError(_("请填写日期"), field="date")
    if day > timezone.localdate():
        raise DomainError(_("记录日期不能晚于今天"), field="date")
    pairing = _record_pairing(actor, child, day)
    severity = data.get("severity") or Severity.NONE
    if severity not in Severity.values:
        raise DomainError(_("请选择问题程度"), field="severity")
    if severity == Severity.SERIOUS and not (data.get("problems") or "").strip():
        raise DomainError(_("问题程度为“严重”时请填写发现的问题"), field="problems")
    _check_photos(photos)
    record = CareRecord.objects.create(
        child=child,
        carer=actor,
        pairing=pairing,
        division_code=child.division_code,
        activity=activity,
        date=day,
        severity=severity,
        follow_up_needed=bool(data.get("follow_up_needed")),
        **{name: (data.get(name) or "").strip() for name in RECORD_TEXT_FIELDS},
    )
    for photo in photos:
        record.photos.add(
            Attachment.objects.create(
                child=child,
                kind=AttachmentKind.PHOTO,
                file=photo,
                caption=f"{record.get_activity_display()} {day:%Y-%m-%d}",
                uploaded_by=actor,
            )
        )
    late = (
        due_item is not None
        and due_item.status == DueStatus.OPEN
        and (due_item.child_id, due_item.carer_id, due_item.activity)
        == (child.pk, actor.pk, activity)
        and day > due_item.period_end
    )
    if late and due_item is not None:
        item = scope(actor, DueItem.objects.filter(pk=due_item.pk, status=DueStatus.OPEN))
        fulfilled = item.update(status=DueStatus.DONE, fulfilled_by=record, done_on=day)
    else:
        fulfilled = due_items_fulfil(record)
    audit(
        actor=actor,
        action=Action.CREATE,
        target=record,
        division_code=child.division_code,
        detail=f"关爱记录,完成任务 {fulfilled} 项",
    )
    if severity == Severity.SERIOUS:
        _flag_raise(actor, record)
    return record


def _flag_raise(actor: User, record: CareRecord) -> Flag:
    child = record.child
    flag = Flag.objects.create(
        child=child,
        record=record,
        division_code=child.division_code,
        raised_by=actor,
        summary=record.problems[:300],
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=flag,
        division_code=child.division_code,
        detail="关爱记录发现严重问题,已上报督导员",
    )
    watchers = User.objects.filter(
        is_active=True,
        role__in=[Role.CHILD_SUPERVISOR, Role.CHILD_DIRECTOR],
        division__code__in=[child.division_code, child.division_code[:9]],
    )
    notices_send(
        [
            Notice(
                user=user,
                kind=NoticeKind.FLAG,
                key=f"flag:{flag.pk}",
                title="关爱记录发现严重问题",
                body=f"{child.name}:{flag.summary}"[:500],
                url=reverse("care:flag_list"),
            )
            for user in watchers
        ]
    )
    return flag


@transaction.atomic
def flag_handle(*, actor: User, flag: Flag, note: str) -> Flag:
    if not permissions.can_handle_flags(actor) or not division_visible(actor, flag.division_code):
        raise AccessDenied(_("您不能处理该问题"))
    if flag.status == FlagStatus.HANDLED:
        raise DomainError(_("该问题已处理"), field="note")
    if not note.strip():
        raise DomainError(_("请填写处理情况"), field="note")
    flag.status = FlagStatus.HANDLED
    flag.handled_by = actor
    flag.handled_at = timezone.now()
    flag.handling_note = note.strip()
    flag.save(update_fields=["status", "handled_by", "handled_at", "handling_note"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=flag,
        division_code=flag.division_code,
        changes={"status": (FlagStatus.OPEN, FlagStatus.HANDLED)},
        detail=f"处理情况:{flag.handling_note}"[:500],
    )
    return flag

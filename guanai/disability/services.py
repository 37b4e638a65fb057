"""Writes for rehabilitation assistance: applications, referrals, institutions, claims, checks
and payment batches. Atomic, checked against the actor's area, audited."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import require_division, scope, unscoped
from guanai.audit.models import Action
from guanai.audit.services import audit, audit_many
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.disability import permissions
from guanai.disability.eligibility import Facts, check
from guanai.disability.models import (
    DEVICE_CATEGORY,
    Claim,
    ClaimStatus,
    Device,
    HomeTeaching,
    Institution,
    Kind,
    PaymentBatch,
    RehabApplication,
    RehabStandard,
    Status,
    TeachingVisit,
)
from guanai.disability.settlement import settle
from guanai.disability.standards import StandardBook, as_standard, standard_for
from guanai.disability.teaching import Visit, compliance
from guanai.geo.models import Division, Level
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.registry.models import Child

MONTHLY_KINDS = (Kind.TRAINING, Kind.EARLY_INTERVENTION)
CLAIMABLE = (Status.REFERRED, Status.IN_SERVICE, Status.DROPPED, Status.CLOSED)
MAX_AMOUNT = Decimal("99999999.99")
AMOUNT_FIELDS = {
    "cost": "总费用",
    "insurance_paid": "基本医保支付",
    "critical_paid": "大病保险支付",
    "supplementary_paid": "补充保险支付",
    "medical_aid_paid": "医疗救助支付",
}


def amount(value: Any, field: str, *, required: bool = False) -> Decimal:
    """A sum of money in yuan from a form or a caller; refusals name the field."""
    label = AMOUNT_FIELDS.get(field, field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DomainError(_("请填写%(label)s"), field=field, label=label)
        return Decimal("0")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(label)s须为数字(元)"), field=field, label=label) from None
    if not number.is_finite():
        raise DomainError(_("%(label)s须为数字(元)"), field=field, label=label)
    if number < 0:
        raise DomainError(_("%(label)s不能为负数"), field=field, label=label)
    if number > MAX_AMOUNT or number != number.quantize(Decimal("0.01")):
        raise DomainError(_("%(label)s须为不超过两位小数的金额"), field=field, label=label)
    return number


def _hukou_in_county(child: Child) -> bool:
    region = child.household.hukou_region_code.strip()
    return not region or region.startswith(child.division_code[:6])


def _category_of(kind: str, category: str, device: str) -> str:
    if kind == Kind.DEVICE and device in DEVICE_CATEGORY and not category:
        return str(DEVICE_CATEGORY[Device(device)])
    return category


@recorded
@transaction.atomic
def application_create(
    *,
    actor: User,
    child: Child,
    kind: str,
    category: str,
    applicant_name: str,
    applicant_relation: str,
    residence: str,
    diagnosis: str,
    applied_on: date,
    device: str = "",
    is_delegate: bool = False,
    applicant_id_number: str = "",
) -> RehabApplication:
    """File an application; one that fails the age or residence rules is refused, rule named."""
    if not permissions.can_apply(actor):
        raise AccessDenied(_("您的角色不能提交康复救助申请"))
    require_division(actor, child.division_code, _("该儿童不在您的管辖范围内"))
    if not child.is_active:
        raise DomainError(_("该儿童档案已注销,不能申请"), field="child")
    if not applicant_name.strip():
        raise DomainError(_("请填写申请人(监护人或受委托人)姓名"), field="applicant_name")
    if not applicant_relation.strip():
        raise DomainError(_("请填写申请人与儿童的关系"), field="applicant_relation")
    if not diagnosis.strip():
        raise DomainError(_("请填写诊断意见(须附诊断证明)"), field="diagnosis")
    if applied_on is None:
        raise DomainError(_("请填写申请日期"), field="applied_on")
    if applied_on > timezone.localdate():
        raise DomainError(_("申请日期不能晚于今天"), field="applied_on")
    category = _category_of(kind, category, device)
    result = check(
        Facts(
            birth_date=child.birth_date,
            category=category,
            kind=kind,
            residence=residence,
            hukou_in_county=_hukou_in_county(child),
            device=device if kind == Kind.DEVICE else "",
        ),
        applied_on,
    )
    if not result.eligible:
        raise DomainError(
            _("不符合康复救助条件:%(reason)s"), field=result.field, reason=result.reason
        )
    busy = scope(actor, RehabApplication.objects.filter(child=child, kind=kind)).filter(
        status__in=[Status.APPLIED, Status.ELIGIBLE, Status.REFERRED, Status.IN_SERVICE],
        device=device if kind == Kind.DEVICE else "",
    )
    if kind != Kind.DEVICE:
        busy = busy.filter(category=category)
    if busy.exists():
        raise DomainError(_("该儿童已有同一项目的在办申请"), field="kind")
    application = RehabApplication.objects.create(
        child=child,
        division_code=child.division_code,
        kind=kind,
        category=category,
        device=device if kind == Kind.DEVICE else "",
        applicant_name=applicant_name.strip(),
        applicant_relation=applicant_relation.strip(),
        is_delegate=is_delegate,
        applicant_id_number=applicant_id_number.strip(),
        residence=residence,
        diagnosis=diagnosis.strip(),
        applied_on=applied_on,
        status=Status.ELIGIBLE,
        reason=result.reason,
        created_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=application,
        detail=f"康复救助申请:{application.get_kind_display()};{result.reason}"[:500],
    )
    return application


def _locked(actor: User, application: RehabApplication) -> RehabApplication:
    found = (
        scope(actor, RehabApplication.objects.filter(pk=application.pk)).select_for_update().first()
    )
    if found is None:
        raise AccessDenied(_("该申请不在您的管辖范围内"))
    return found


@transaction.atomic
def application_refer(
    *, actor: User, application: RehabApplication, institution: Institution, on: date
) -> RehabApplication:
    """Refer an eligible child to a designated institution of the county with room for them."""
    if not permissions.can_refer(actor):
        raise AccessDenied(_("您的角色不能转介康复机构"))
    application = _locked(actor, application)
    if application.status != Status.ELIGIBLE:
        raise DomainError(
            _("该申请%(status)s,不能转介"),
            field="institution",
            status=application.get_status_display(),
        )
    found = scope(
        actor, Institution.objects.filter(pk=institution.pk if institution else 0)
    ).first()
    if found is None or not application.division_code.startswith(found.division_code):
        raise DomainError(_("请选择本县的定点康复机构"), field="institution")
    if on is None:
        raise DomainError(_("请填写转介日期"), field="on")
    if (
        not found.is_active
        or (found.agreement_end is not None and found.agreement_end < on)
        or (found.agreement_start is not None and found.agreement_start > on)
    ):
        raise DomainError(
            _("%(name)s在转介日期不在定点协议期内"), field="institution", name=found.name
        )
    serving = scope(
        actor,
        RehabApplication.objects.filter(
            institution=found, status__in=[Status.REFERRED, Status.IN_SERVICE]
        ),
    ).count()
    if found.capacity and serving >= found.capacity:
        raise DomainError(
            _("%(name)s名额已满(%(serving)s/%(capacity)s),请转介其他机构"),
            field="institution",
            name=found.name,
            serving=serving,
            capacity=found.capacity,
        )
    application.status = Status.REFERRED
    application.institution = found
    application.referred_on = on
    application.save(update_fields=["status", "institution", "referred_on"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=application,
        changes={"status": (Status.ELIGIBLE, Status.REFERRED)},
        detail=f"转介至{found.name}",
    )
    return application


ENDINGS = {
    Status.IN_SERVICE: "签订康复协议,开始康复",
    Status.DROPPED: "中途退出",
    Status.CLOSED: "结束",
}


@transaction.atomic
def application_progress(
    *,
    actor: User,
    application: RehabApplication,
    status: str,
    on: date,
    reason: str = "",
    assessment: str = "",
    plan: str = "",
) -> RehabApplication:
    """The institution's agreement signed after its assessment and plan (in service), a
    drop-out reported, or the rehabilitation ended."""
    if not permissions.can_refer(actor):
        raise AccessDenied(_("您的角色不能变更康复状态"))
    application = _locked(actor, application)
    allowed = {
        Status.IN_SERVICE: (Status.REFERRED,),
        Status.DROPPED: (Status.REFERRED, Status.IN_SERVICE),
        Status.CLOSED: (Status.REFERRED, Status.IN_SERVICE),
    }
    if status not in allowed:
        raise DomainError(_("请选择新的状态"), field="status")
    if application.status not in allowed[Status(status)]:
        raise DomainError(
            _("该申请%(status)s,不能改为%(label)s"),
            field="status",
            status=application.get_status_display(),
            label=Status(status).label,
        )
    if on is None:
        raise DomainError(_("请填写日期"), field="on")
    if application.referred_on and on < application.referred_on:
        raise DomainError(_("日期不能早于转介日期"), field="on")
    if status == Status.DROPPED and not reason.strip():
        raise DomainError(_("请填写退出原因"), field="reason")
    if status == Status.IN_SERVICE:
        if not assessment.strip():
            raise DomainError(_("签订康复协议前须填写机构的康复评估"), field="assessment")
        if not plan.strip():
            raise DomainError(_("签订康复协议前须填写康复计划"), field="plan")
        application.agreement_on = on
        application.assessment = assessment.strip()
        application.plan = plan.strip()
    old = application.status
    application.status = status
    if status != Status.IN_SERVICE:
        application.ended_on = on
    if reason.strip():
        application.reason = f"{application.reason};{ENDINGS[Status(status)]}:{reason.strip()}"[
            :500
        ]
    application.save(
        update_fields=["status", "ended_on", "reason", "agreement_on", "assessment", "plan"]
    )
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=application,
        changes={"status": (old, status)},
        detail=f"{ENDINGS[Status(status)]} {reason.strip()}"[:500],
    )
    return application


@transaction.atomic
def institution_create(
    *,
    actor: User,
    county: Division,
    name: str,
    services: str = "",
    prices: str = "",
    capacity: int = 0,
    agreement_start: date | None = None,
    agreement_end: date | None = None,
) -> Institution:
    if not permissions.can_manage_institutions(actor):
        raise AccessDenied(_("您的角色不能设置定点康复机构"))
    if county.level != Level.COUNTY:
        raise DomainError(_("定点康复机构按县(区)设置"), field="county")
    require_division(actor, county.code, _("该县(区)不在您的管辖范围内"))
    if not name.strip():
        raise DomainError(_("请填写机构名称"), field="name")
    if capacity is None or capacity < 0:
        raise DomainError(_("服务能力不能为负数"), field="capacity")
    if agreement_start and agreement_end and agreement_end < agreement_start:
        raise DomainError(_("协议截止日期不能早于起始日期"), field="agreement_end")
    institution = Institution.objects.create(
        name=name.strip(),
        division_code=county.code,
        services=services.strip(),
        prices=prices.strip(),
        capacity=capacity,
        agreement_start=agreement_start,
        agreement_end=agreement_end,
    )
    audit(actor=actor, action=Action.CREATE, target=institution, detail="设置定点康复机构")
    return institution


@dataclass(frozen=True)
class ClaimEntry:
    """One claim as an institution gives it (a form, or a line of its monthly list)."""

    application: RehabApplication
    period_start: date
    period_end: date
    cost: Any
    months: int | None = None
    insurance_paid: Any = None
    critical_paid: Any = None
    supplementary_paid: Any = None
    medical_aid_paid: Any = None
    issued_free: bool = False


@dataclass
class _Clean:
    months: int | None
    cost: Decimal
    paid: dict[str, Decimal]
    issued_free: bool

    @property
    def paid_first(self) -> Decimal:
        return sum(self.paid.values(), Decimal("0"))


def _claim_clean(application: RehabApplication, entry: ClaimEntry) -> _Clean:
    """Every check of a claim that needs no other claim; refusals name the field."""
    if application.status not in CLAIMABLE or application.institution_id is None:
        raise DomainError(_("该申请尚未转介定点康复机构,不能结算"), field="application")
    start, end = entry.period_start, entry.period_end
    if start is None:
        raise DomainError(_("请填写结算期起"), field="period_start")
    if end is None:
        raise DomainError(_("请填写结算期止"), field="period_end")
    if end < start:
        raise DomainError(_("结算期止不能早于结算期起"), field="period_end")
    if application.referred_on and start < application.referred_on:
        raise DomainError(_("结算期不能早于转介日期"), field="period_start")
    paid = {
        "insurance_paid": amount(entry.insurance_paid, "insurance_paid"),
        "critical_paid": amount(entry.critical_paid, "critical_paid"),
        "supplementary_paid": amount(entry.supplementary_paid, "supplementary_paid"),
        "medical_aid_paid": amount(entry.medical_aid_paid, "medical_aid_paid"),
    }
    cost = amount(entry.cost, "cost", required=True)
    for name, value in paid.items():
        if value > cost:
            raise DomainError(
                _("%(amount_fields)s %(value)s 元高于总费用 %(cost)s 元"),
                field=name,
                amount_fields=AMOUNT_FIELDS[name],
                value=value,
                cost=cost,
            )
    clean = _Clean(None, cost, paid, entry.issued_free and application.kind == Kind.DEVICE)
    if clean.paid_first > cost:
        raise DomainError(
            _("医保、大病保险、补充保险和医疗救助合计 %(paid_first)s 元高于总费用 %(cost)s 元"),
            field="insurance_paid",
            paid_first=clean.paid_first,
            cost=cost,
        )
    if application.kind in MONTHLY_KINDS:
        if start.year != end.year:
            raise DomainError(_("训练结算期不能跨年度"), field="period_end")
        months = entry.months
        if months is None:
            raise DomainError(_("康复训练须填写实际训练月数"), field="months")
        span = end.month - start.month + 1
        if months < 1 or months > span:
            raise DomainError(_("实际训练月数须在 1 至 %(span)s 之间"), field="months", span=span)
        clean.months = months
    return clean


def _claim_settled(
    actor: User,
    application: RehabApplication,
    entry: ClaimEntry,
    clean: _Clean,
    row: RehabStandard | None,
    prior: tuple[int, Decimal] | None,
) -> Claim:
    """The unsaved claim with its settlement; `prior` is the year's months and payments so
    far (None: a one-off already settled)."""
    if prior is None:
        raise DomainError(
            _("%(kind)s为一次性救助,已结算过"),
            field="application",
            kind=application.get_kind_display(),
        )
    prior_months, prior_paid = prior
    if clean.months is not None and prior_months + clean.months > 12:
        raise DomainError(
            _("本年已结算 %(prior_months)s 个月,加上本次超过 12 个月"),
            field="months",
            prior_months=prior_months,
        )
    result = settle(
        cost=clean.cost,
        paid_first=clean.paid_first,
        standard=as_standard(row),
        months=clean.months or 0,
        prior_months=prior_months,
        prior_paid=prior_paid,
        issued_free=clean.issued_free,
    )
    return Claim(
        application=application,
        division_code=application.division_code,
        institution_id=cast(int, application.institution_id),  # checked in _claim_clean
        period_start=entry.period_start,
        period_end=entry.period_end,
        months=clean.months,
        cost=clean.cost,
        issued_free=clean.issued_free,
        standard=row.amount if row else None,
        payable=result.payable,
        words=result.words[:500],
        created_by=actor,
        **clean.paid,
    )


@transaction.atomic
def claim_create(
    *,
    actor: User,
    application: RehabApplication,
    period_start: date,
    period_end: date,
    cost: Any,
    months: int | None = None,
    insurance_paid: Any = None,
    critical_paid: Any = None,
    supplementary_paid: Any = None,
    medical_aid_paid: Any = None,
    issued_free: bool = False,
) -> Claim:
    """An institution's claim for a referred child, settled by the dated standard in words."""
    if not permissions.can_enter_claims(actor):
        raise AccessDenied(_("您的角色不能录入康复救助结算"))
    application = _locked(actor, application)
    entry = ClaimEntry(
        application,
        period_start,
        period_end,
        cost,
        months,
        insurance_paid,
        critical_paid,
        supplementary_paid,
        medical_aid_paid,
        issued_free,
    )
    clean = _claim_clean(application, entry)
    earlier = scope(actor, Claim.objects.filter(application=application))
    prior: tuple[int, Decimal] | None = (0, Decimal("0"))
    if application.kind in MONTHLY_KINDS:
        totals = earlier.filter(period_start__year=period_start.year).aggregate(
            months=Sum("months"), paid=Sum("payable")
        )
        prior = (int(totals["months"] or 0), Decimal(totals["paid"] or 0))
    elif earlier.exists():
        prior = None
    row = standard_for(application.kind, application.item, application.division_code, period_start)
    claim = _claim_settled(actor, application, entry, clean, row, prior)
    claim.save()
    audit(actor=actor, action=Action.CREATE, target=claim, detail=claim.words)
    return claim


@transaction.atomic
def claims_create_many(*, actor: User, entries: Sequence[ClaimEntry]) -> list[Claim]:
    """An institution's list of claims (a month's, a year's) at once, in its order: the same
    checks and settlement as `claim_create`, the year's standard shared through the list; one
    refusal (naming its line and field) saves none of them."""
    if not permissions.can_enter_claims(actor):
        raise AccessDenied(_("您的角色不能录入康复救助结算"))
    ids = {entry.application.pk for entry in entries}
    applications = {
        a.pk: a
        for a in scope(actor, RehabApplication.objects.filter(pk__in=ids)).select_for_update()
    }
    if len(applications) != len(ids):
        raise AccessDenied(_("有申请不在您的管辖范围内"))
    book = StandardBook()
    earlier = scope(actor, Claim.objects.filter(application_id__in=ids))
    priors: dict[tuple[int, int], tuple[int, Decimal]] = {
        (r["application_id"], r["period_start__year"]): (
            int(r["months"] or 0),
            Decimal(r["paid"] or 0),
        )
        for r in earlier.values("application_id", "period_start__year").annotate(
            months=Sum("months"), paid=Sum("payable")
        )
    }
    settled_once = set(earlier.values_list("application_id", flat=True))
    made = []
    for line, entry in enumerate(entries, start=1):
        application = applications[entry.application.pk]
        try:
            clean = _claim_clean(application, entry)
            key = (application.pk, entry.period_start.year)
            if application.kind in MONTHLY_KINDS:
                prior: tuple[int, Decimal] | None = priors.get(key, (0, Decimal("0")))
            else:
                prior = None if application.pk in settled_once else (0, Decimal("0"))
            row = book.find(
                application.kind, application.item, application.division_code, entry.period_start
            )
            claim = _claim_settled(actor, application, entry, clean, row, prior)
        except DomainError as error:
            raise DomainError(
                _("第 %(line)s 条:%(message_name)s"),
                field=error.field,
                line=line,
                message_name=error.message,
            ) from None
        if prior is not None and application.kind in MONTHLY_KINDS:
            priors[key] = (prior[0] + (clean.months or 0), prior[1] + claim.payable)
        settled_once.add(application.pk)
        made.append(claim)
    Claim.objects.bulk_create(made, batch_size=500)
    audit_many(actor=actor, action=Action.CREATE, targets=made, detail="录入康复救助结算")
    return made


@transaction.atomic
def claim_check(*, actor: User, claim: Claim, checker: str = "") -> Claim:
    """The institution's check first (its checker named), then the federation's."""
    found = scope(actor, Claim.objects.filter(pk=claim.pk)).select_for_update().first()
    if found is None:
        raise AccessDenied(_("该结算不在您的管辖范围内"))
    claim = found
    now = timezone.now()
    old = claim.status
    if claim.status == ClaimStatus.ENTERED:
        if not permissions.can_enter_claims(actor):
            raise AccessDenied(_("您的角色不能登记机构核对"))
        if not checker.strip():
            raise DomainError(_("请填写机构核对人"), field="checker")
        claim.status = ClaimStatus.INSTITUTION_CHECKED
        claim.institution_checker = checker.strip()[:50]
        claim.institution_checked_by = actor
        claim.institution_checked_at = now
        detail = f"机构核对:{claim.institution_checker}"
    elif claim.status == ClaimStatus.INSTITUTION_CHECKED:
        if not permissions.can_check_federation(actor):
            raise AccessDenied(_("只有残联工作人员能审核结算"))
        claim.status = ClaimStatus.FEDERATION_CHECKED
        claim.federation_checked_by = actor
        claim.federation_checked_at = now
        detail = "残联审核通过"
    else:
        raise DomainError(
            _("该结算%(status)s,无需再审核"), field="status", status=claim.get_status_display()
        )
    claim.save()
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=claim,
        changes={"status": (old, claim.status)},
        detail=detail,
    )
    return claim


@transaction.atomic
def batch_create(*, actor: User, county: Division) -> PaymentBatch:
    """Freeze every claim the federation checked in the county into one batch for finance."""
    if not permissions.can_make_batches(actor):
        raise AccessDenied(_("您的角色不能生成拨付批次"))
    if county.level != Level.COUNTY:
        raise DomainError(_("拨付批次按县(区)生成"), field="county")
    require_division(actor, county.code, _("该县(区)不在您的管辖范围内"))
    claims = scope(
        actor,
        Claim.objects.filter(
            status=ClaimStatus.FEDERATION_CHECKED,
            batch__isnull=True,
            division_code__startswith=county.code,
        ),
    ).select_for_update()
    ids = list(claims.values_list("id", flat=True))
    if not ids:
        raise DomainError(_("没有残联已审核、待拨付的结算"), field="county")
    year = timezone.localdate().year
    made = scope(
        actor,
        PaymentBatch.objects.filter(
            division_code=county.code, number__startswith=f"{county.code}-{year}-"
        ),
    ).count()
    batch = PaymentBatch.objects.create(
        number=f"{county.code}-{year}-{made + 1:03d}",
        division_code=county.code,
        created_by=actor,
    )
    chosen = scope(actor, Claim.objects.filter(id__in=ids))
    totals = chosen.aggregate(cost=Sum("cost"), payable=Sum("payable"))
    chosen.update(batch=batch, status=ClaimStatus.BATCHED)
    batch.claim_count = len(ids)
    batch.total_cost = totals["cost"] or 0
    batch.total_payable = totals["payable"] or 0
    batch.save(update_fields=["claim_count", "total_cost", "total_payable"])
    audit(
        actor=actor,
        action=Action.CREATE,
        target=batch,
        detail=f"拨付批次 {batch.number}:{len(ids)} 笔,救助合计 {batch.total_payable} 元",
    )
    audit_many(
        actor=actor,
        action=Action.UPDATE,
        targets=scope(actor, Claim.objects.filter(batch=batch)).only("id", "division_code"),
        detail=f"列入拨付批次 {batch.number}",
    )
    return batch


# ---------- home teaching (送教上门, seed 004 篇4 and 篇8) ----------

MAX_HOURS_A_VISIT = Decimal(12)


@transaction.atomic
def home_teaching_create(
    *,
    actor: User,
    child: Child,
    school_year: int,
    start_date: date,
    end_date: date,
    teacher_name: str,
    guardian_name: str,
    signed_on: date,
    voluntary: bool,
    situation: str,
    plan: str,
    school: str = "",
) -> HomeTeaching:
    """A school year of home teaching, from the agreement the family signed of its own will."""
    if not permissions.can_manage_teaching(actor):
        raise AccessDenied(_("您的角色不能安排送教上门"))
    require_division(actor, child.division_code, _("该儿童不在您的管辖范围内"))
    if not child.is_active:
        raise DomainError(_("该儿童档案已注销"), field="child")
    if not voluntary:
        raise DomainError(_("送教上门须家长自愿并签订协议"), field="voluntary")
    if signed_on is None:
        raise DomainError(_("请填写协议签订日期"), field="signed_on")
    if not guardian_name.strip():
        raise DomainError(_("请填写签订协议的监护人"), field="guardian_name")
    if not teacher_name.strip():
        raise DomainError(_("请填写送教教师"), field="teacher_name")
    if start_date is None or end_date is None or end_date <= start_date:
        raise DomainError(_("送教截止日期须晚于开始日期"), field="end_date")
    if school_year is None or not (start_date.year - 1 <= school_year <= start_date.year):
        raise DomainError(_("学年与送教开始日期不符"), field="school_year")
    if not situation.strip():
        raise DomainError(_("请填写儿童基本情况"), field="situation")
    if not plan.strip():
        raise DomainError(_("请填写个别化教育计划"), field="plan")
    if scope(
        actor, HomeTeaching.objects.filter(child=child, school_year=school_year, ended_on=None)
    ).exists():
        raise DomainError(
            _("该儿童 %(school_year)s 学年已有送教协议"),
            field="school_year",
            school_year=school_year,
        )
    teaching = HomeTeaching.objects.create(
        child=child,
        division_code=child.division_code,
        school_year=school_year,
        start_date=start_date,
        end_date=end_date,
        teacher_name=teacher_name.strip(),
        school=school.strip(),
        guardian_name=guardian_name.strip(),
        signed_on=signed_on,
        situation=situation.strip(),
        plan=plan.strip(),
        created_by=actor,
    )
    audit(actor=actor, action=Action.CREATE, target=teaching, detail="送教上门协议")
    return teaching


def _hours(value: Any) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(_("请填写课时"), field="hours")
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("课时须为数字"), field="hours") from None
    if not hours.is_finite():
        raise DomainError(_("课时须为数字"), field="hours")
    if hours <= 0:
        raise DomainError(_("课时须大于 0"), field="hours")
    if hours > MAX_HOURS_A_VISIT or hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("一次送教不超过 12 课时,最多一位小数"), field="hours")
    return hours


@transaction.atomic
def teaching_visit_record(
    *,
    actor: User,
    teaching: HomeTeaching,
    day: date,
    hours: Any,
    content: str,
    teacher_name: str = "",
) -> TeachingVisit:
    if not permissions.can_manage_teaching(actor):
        raise AccessDenied(_("您的角色不能填写送教记录"))
    found = scope(actor, HomeTeaching.objects.filter(pk=teaching.pk)).select_for_update().first()
    if found is None:
        raise AccessDenied(_("该送教协议不在您的管辖范围内"))
    if day is None:
        raise DomainError(_("请填写送教日期"), field="day")
    if day > timezone.localdate():
        raise DomainError(_("送教日期不能晚于今天"), field="day")
    end = found.ended_on or found.end_date
    if not (found.start_date <= day <= end):
        raise DomainError(
            _("送教日期须在协议期 %(start)s 至 %(end)s 内"),
            field="day",
            start=found.start_date.isoformat(),
            end=end.isoformat(),
        )
    value = _hours(hours)
    if not content.strip():
        raise DomainError(_("请填写教学内容与情况"), field="content")
    visit = TeachingVisit.objects.create(
        teaching=found,
        division_code=found.division_code,
        date=day,
        hours=value,
        teacher_name=(teacher_name.strip() or found.teacher_name)[:50],
        content=content.strip(),
        created_by=actor,
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=visit,
        detail=f"送教 {day:%Y-%m-%d} {value} 课时",
    )
    return visit


@transaction.atomic
def teaching_shortfalls_notify(*, as_of: date) -> int:
    """Monthly: each agreement short of the rule raises a reminder to whoever made it and to
    the village's child directors (a system run; each sees only their own area's child)."""
    teachings = unscoped(
        HomeTeaching.objects.filter(ended_on=None, start_date__lte=as_of).select_related("child"),
        purpose="reminders",
    )
    visits: dict[int, list[Visit]] = {}
    for row in unscoped(
        TeachingVisit.objects.filter(teaching__in=teachings).values_list(
            "teaching_id", "date", "hours"
        ),
        purpose="reminders",
    ):
        visits.setdefault(row[0], []).append(Visit(row[1], row[2]))
    directors: dict[str, list[int]] = {}
    for user_id, code in unscoped(
        User.objects.filter(role=Role.CHILD_DIRECTOR, is_active=True).values_list(
            "id", "division__code"
        ),
        purpose="reminders",
    ):
        directors.setdefault(code, []).append(user_id)
    notices = []
    for teaching in teachings:
        result = compliance(
            teaching.start_date, teaching.end_date, visits.get(teaching.pk, []), as_of
        )
        if result.ok:
            continue
        users = set(directors.get(teaching.division_code, []))
        if teaching.created_by_id:
            users.add(teaching.created_by_id)
        body = f"{teaching.child.name}的送教上门未达标:" + ";".join(result.shortfalls[-3:])
        notices += [
            Notice(
                user_id=user_id,
                kind=NoticeKind.REMINDER,
                key=f"teaching:{teaching.pk}:{as_of:%Y-%m}",
                title="送教上门未达标",
                body=body[:500],
                url=reverse("disability:teaching_detail", args=[teaching.pk]),
            )
            for user_id in sorted(users)
        ]
    return len(notices_send(notices))

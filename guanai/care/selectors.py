"""Reads for care work. Everything goes through jurisdiction scoping first (accounts/scoping)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from guanai.accounts import permissions as account_permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import in_force_q, scope, user_prefix
from guanai.care import permissions
from guanai.care.due import overdue_q
from guanai.care.models import (
    ONE_TO_ONE_KINDS,
    CareRecord,
    DueItem,
    DueStatus,
    Flag,
    FlagStatus,
    Pairing,
    Term,
)
from guanai.care.schedules import Period, week_of
from guanai.care.services import carer_child_limit
from guanai.core.errors import AccessDenied, Message
from guanai.geo.models import Division, code_prefix_q
from guanai.registry.models import Child
from guanai.registry.selectors import children_for


def _prefix(user: User) -> str:
    prefix = user_prefix(user)
    if prefix is None:
        raise AccessDenied(_("没有可查看的范围"))
    return prefix


def _one(queryset: QuerySet, pk: int, message: Message):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise AccessDenied(message)
    return found


# ---------- pairings ----------


def pairings_for(user: User) -> QuerySet[Pairing]:
    return scope(user, Pairing.objects.all())


def pairing_list_for(user: User, *, today: date, current_only: bool = True) -> QuerySet[Pairing]:
    pairings = pairings_for(user).select_related("child", "child__division", "carer")
    if current_only:
        pairings = pairings.filter(in_force_q(today))
    return pairings.order_by("child__division_code", "child__name", "kind", "id")


def pairing_get_for(user: User, pk: int) -> Pairing:
    return _one(
        pairings_for(user).select_related("child", "child__division", "carer", "carer__division"),
        pk,
        _("没有找到该结对,或不在您的管辖范围内"),
    )


def carer_choices_for(user: User, child: Child) -> QuerySet[User]:
    """Who may be paired with the child: carers and directors of its township, in the user's view."""
    prefix = _prefix(user)
    return (
        User.objects.filter(is_active=True, role__in=["carer", "child_director"])
        .filter(division__code__startswith=child.division_code[:9])
        .filter(division__code__startswith=prefix)
        .select_related("division")
        .order_by("division__code", "full_name", "username")
    )


# ---------- a carer's week ----------


@dataclass
class CarerWeek:
    pairings: list[Pairing]
    overdue: list[DueItem]
    this_week: list[DueItem]
    later: list[DueItem]
    week: Period


def due_items_for(user: User) -> QuerySet[DueItem]:
    return scope(user, DueItem.objects.all())


def carer_week(user: User, today: date) -> CarerWeek:
    """What a carer owes: overdue, due by Sunday, and open items of periods already begun."""
    week = week_of(today)
    pairings = list(
        pairings_for(user)
        .filter(carer=user)
        .filter(in_force_q(today))
        .select_related("child")
        .order_by("child__name")
    )
    open_items = list(
        due_items_for(user)
        .filter(carer=user, status=DueStatus.OPEN, period_start__lte=week.end)
        .select_related("child", "template")
        .order_by("due_date", "child__name", "id")[:200]
    )
    return CarerWeek(
        pairings=pairings,
        overdue=[i for i in open_items if i.due_date < today],
        this_week=[i for i in open_items if today <= i.due_date <= week.end],
        later=[i for i in open_items if i.due_date > week.end],
        week=week,
    )


def due_item_get_for(user: User, pk: int) -> DueItem:
    return _one(due_items_for(user).select_related("child", "template"), pk, _("没有找到该任务"))


# ---------- records ----------


def records_for(user: User) -> QuerySet[CareRecord]:
    return scope(user, CareRecord.objects.all())


def record_get_for(user: User, pk: int) -> CareRecord:
    return _one(
        records_for(user).select_related("child", "carer", "pairing"),
        pk,
        _("没有找到该记录,或不在您的管辖范围内"),
    )


@dataclass
class ChildCare:
    pairings: list[Pairing]
    records: list[CareRecord]
    open_items: list[DueItem]
    record_count: int
    can_record: bool
    can_pair: bool
    today: date
    records_shown: bool = True


def child_care_for(user: User, child: Child, today: date) -> ChildCare:
    """The care part of a child's file: pairings, the records timeline, duties still open.

    A role that may not read care narratives (partner departments) gets the pairings only."""
    records_shown = account_permissions.can_see_care_records(user)
    records = records_for(user).filter(child=child)
    if not records_shown:
        records = records.none()
    pairings = list(
        pairings_for(user)
        .filter(child=child)
        .select_related("carer")
        .order_by("end_date", "-start_date")
    )
    mine = [p for p in pairings if p.carer_id == user.pk and p.covers(today)]
    return ChildCare(
        pairings=pairings,
        records=list(
            records.select_related("carer")
            .prefetch_related("photos")
            .order_by("-date", "-id")[:100]
        ),
        open_items=list(
            due_items_for(user)
            .filter(child=child, status=DueStatus.OPEN, period_start__lte=today)
            .select_related("template", "carer")
            .order_by("due_date")[:50]
        ),
        record_count=records.count(),
        can_record=child.is_active
        and permissions.can_record(user)
        and (bool(mine) or user.role != "carer"),
        can_pair=child.is_active and permissions.can_manage_pairings(user),
        today=today,
        records_shown=records_shown,
    )


@dataclass
class ChildCareSummary:
    carers: list[str]  # the carers of the pairings in force
    next_due: DueItem | None  # the open duty due soonest (periods begun)
    open_flags: int | None  # None: the role does not see flags


def child_care_summary_for(user: User, child: Child, today: date) -> ChildCareSummary:
    """The care lines of the file's summary card, in three small queries."""
    pairings = pairings_for(user).filter(in_force_q(today), child=child).select_related("carer")
    next_due = (
        due_items_for(user)
        .filter(child=child, status=DueStatus.OPEN, period_start__lte=today)
        .select_related("template")
        .order_by("due_date", "id")
        .first()
    )
    flags = None
    if permissions.can_see_flags(user):
        flags = flag_list_for(user).filter(child=child, status=FlagStatus.OPEN).count()
    return ChildCareSummary(
        carers=[f"{p.carer.display_name}({p.get_kind_display()})" for p in pairings],
        next_due=next_due,
        open_flags=flags,
    )


# ---------- figures ----------


@dataclass
class FigureRow:
    key: str
    label: str
    total: int = 0
    done: int = 0
    overdue_in_period: int = 0
    overdue_now: int = 0

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


SUMMED = ("total", "done", "overdue_in_period", "overdue_now")


@dataclass
class Figures:
    period: Period
    areas: list[FigureRow]
    carers: list[FigureRow]
    total: FigureRow
    unpaired: int = 0
    over_limit: int = 0
    open_flags: int = 0
    area_title: str = ""


SUB_AREA = {0: 2, 2: 4, 4: 6, 6: 9, 9: 12}
AREA_TITLE = {2: "省", 4: "市", 6: "县(区)", 9: "乡镇(街道)", 12: "村(居)"}


def _counted(items: QuerySet[DueItem], period: Period, today: date, group: dict) -> QuerySet:
    return (
        items.filter(due_date__gte=period.start, due_date__lte=period.end)
        .exclude(status=DueStatus.CANCELLED)
        .values(**group)
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=DueStatus.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by()
    )


def _grouped(items: QuerySet[DueItem], period: Period, today: date, group) -> list[FigureRow]:
    """One row per group key: due in the period, done, overdue in it, and overdue now."""
    now = {
        row["key"]: row["n"]
        for row in items.filter(overdue_q(today))
        .values(key=group)
        .annotate(n=Count("id"))
        .order_by()
    }
    counted = {row["key"]: row for row in _counted(items, period, today, {"key": group})}
    rows = []
    for key in set(counted) | set(now):
        r = counted.get(key, {})
        rows.append(
            FigureRow(
                str(key),
                str(key),
                r.get("total", 0),
                r.get("done", 0),
                r.get("overdue", 0),
                now.get(key, 0),
            )
        )
    return rows


def _busiest_carers(items: QuerySet[DueItem], period: Period, today: date, n: int = 50) -> list:
    """The n carers with most overdue now, topped up with those owing most in the period:
    ranked by the database, so that only their rows are counted in detail."""

    def top(queryset: QuerySet[DueItem]) -> list[int]:
        ranked = queryset.values("carer_id").annotate(n=Count("id")).order_by("-n", "carer_id")
        return [row["carer_id"] for row in ranked[:n]]

    chosen = top(items.filter(overdue_q(today)))
    if len(chosen) < n:
        in_period = items.filter(due_date__gte=period.start, due_date__lte=period.end)
        chosen += [c for c in top(in_period) if c not in chosen][: n - len(chosen)]
    return chosen


def figures_for(user: User, period: Period, today: date) -> Figures:
    """Due, done and overdue per sub-area and per carer, counted by the database."""
    if not permissions.can_see_figures(user):
        raise AccessDenied(_("您的角色不能查看关爱任务统计"))
    prefix = _prefix(user)
    items = due_items_for(user).filter(code_prefix_q("division_code", prefix))
    areas: list[FigureRow] = []
    if len(prefix) < 12:
        areas = sorted(
            _grouped(items, period, today, Substr("division_code", 1, SUB_AREA[len(prefix)])),
            key=lambda r: r.key,
        )
        names = dict(
            Division.objects.filter(code__in=[r.key for r in areas]).values_list("code", "name")
        )
        for row in areas:
            row.label = names.get(row.key, row.key)
    carers = sorted(
        _grouped(
            items.filter(carer_id__in=_busiest_carers(items, period, today)),
            period,
            today,
            F("carer_id"),
        ),
        key=lambda r: (-r.overdue_now, -r.total, int(r.key)),
    )
    names = {str(u.pk): u.display_name for u in User.objects.filter(pk__in=[r.key for r in carers])}
    for row in carers:
        row.label = names.get(row.key, row.key)
    if areas:  # every duty lies in one sub-area: the total is their sum, not a third count
        total = FigureRow("all", "", *(sum(getattr(r, f) for r in areas) for f in SUMMED))
    else:
        total = next(iter(_grouped(items, period, today, Value("all"))), FigureRow("all", ""))
    total.label = "合计"
    return Figures(
        period=period,
        areas=areas,
        carers=carers,
        total=total,
        unpaired=unpaired_children_for(user, today).count(),
        over_limit=_over_limit(user, today).count(),
        open_flags=flag_list_for(user).filter(status=FlagStatus.OPEN).count(),
        area_title=AREA_TITLE.get(SUB_AREA.get(len(prefix), 12), ""),
    )


def overdue_list_for(
    user: User, today: date, *, area: str = "", carer_id: int | None = None
) -> QuerySet[DueItem]:
    if not permissions.can_see_figures(user):
        raise AccessDenied(_("您的角色不能查看逾期任务"))
    prefix = _prefix(user)
    items = due_items_for(user).filter(overdue_q(today), code_prefix_q("division_code", prefix))
    if area and area.startswith(prefix):
        items = items.filter(code_prefix_q("division_code", area))
    if carer_id:
        items = items.filter(carer_id=carer_id)
    return items.select_related("child", "carer", "template").order_by("due_date", "id")


def unpaired_children_for(user: User, today: date) -> QuerySet[Child]:
    """Children in the user's area with no pairing in force today."""
    paired = Pairing.objects.filter(in_force_q(today), child_id=OuterRef("pk"))
    return (
        children_for(user)
        .filter(is_active=True)
        .exclude(Exists(paired))
        .select_related("division")
        .order_by("division_code", "name", "id")
    )


@dataclass
class CarerLoad:
    carer: User
    load: int
    children: list[Child] = field(default_factory=list)


def _over_limit(user: User, today: date) -> QuerySet:
    return (
        pairings_for(user)
        .filter(in_force_q(today), code_prefix_q("child__division_code", _prefix(user)))
        .filter(kind__in=ONE_TO_ONE_KINDS)
        .values("carer_id")
        .annotate(load=Count("child_id", distinct=True))
        .filter(load__gt=carer_child_limit())
        .order_by("-load", "carer_id")
    )


def carers_over_limit_for(user: User, today: date, limit: int = 500) -> list[CarerLoad]:
    """The carers most over the limit (the first `limit`; figures count them all)."""
    loads = {row["carer_id"]: row["load"] for row in _over_limit(user, today)[:limit]}
    carers = User.objects.filter(pk__in=loads).select_related("division")
    return sorted(
        (CarerLoad(carer, loads[carer.pk]) for carer in carers), key=lambda c: (-c.load, c.carer.pk)
    )


# ---------- flags, terms ----------


def flag_list_for(user: User) -> QuerySet[Flag]:
    if not permissions.can_see_flags(user):
        raise AccessDenied(_("您的角色不能查看问题上报"))
    return (
        scope(user, Flag.objects.all())
        .select_related("child", "raised_by", "handled_by", "record")
        .order_by("status", "-raised_at")
    )


def flag_get_for(user: User, pk: int) -> Flag:
    return _one(flag_list_for(user), pk, _("没有找到该问题上报"))


def term_list_for(user: User) -> QuerySet[Term]:
    prefix = _prefix(user)
    terms = Term.objects.select_related("division").order_by("division__code", "-start")
    if len(prefix) >= 6:
        return terms.filter(division__code=prefix[:6])
    return terms.filter(division__code__startswith=prefix)

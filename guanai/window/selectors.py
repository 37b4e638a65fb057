"""Reads of applications and referrals, always through the gate, then narrower for a
department: its users see only the referrals routed to their department in their county (and
the documents of those referrals' applications), not the county's files."""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import NamedTuple

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Department, Role, User
from guanai.accounts.scoping import Area, scope, unscoped, within
from guanai.core.errors import AccessDenied
from guanai.registry.models import Child
from guanai.window.choices import OPEN, RUNNING, ReferralStatus
from guanai.window.models import (
    Application,
    ApplicationDocument,
    HelpKind,
    HolidayCalendar,
    Referral,
)
from guanai.window.permissions import can_use_window, desk_of


def help_kinds(division_code: str) -> list[HelpKind]:
    """The kinds of help of a county: its own rows replace the national ones of the same code."""
    rows = HelpKind.objects.filter(area__in=["", division_code[:6]], active=True)
    best: dict[str, HelpKind] = {}
    for kind in sorted(rows, key=lambda k: len(k.area)):
        best[kind.code] = kind
    return sorted(best.values(), key=lambda k: (k.order, k.code))


def help_kind_get(division_code: str, pk: int | None) -> HelpKind | None:
    return next((k for k in help_kinds(division_code) if k.pk == pk), None)


def applications_for(user: User) -> QuerySet[Application]:
    if not can_use_window(user):
        return Application.objects.none()
    return scope(user, Application.objects.all()).select_related("child", "kind", "received_by")


def application_get_for(user: User, pk: int) -> Application:
    application = applications_for(user).filter(pk=pk).first()
    if application is None:
        raise AccessDenied(_("没有找到该申请,或您无权查看"))
    return application


def referrals_for(user: User) -> QuerySet[Referral]:
    """Window staff: every referral of their jurisdiction; a department: those routed to it."""
    referrals = scope(user, Referral.objects.all()).select_related("child", "application__kind")
    if can_use_window(user):
        return referrals  # the township window and the county oversee every referral
    desk = desk_of(user)
    return referrals.filter(department=desk) if desk else referrals.none()


def work_list(user: User, status: str = "open") -> QuerySet[Referral]:
    """The department's work list: routed to its desk, soonest due first."""
    desk = desk_of(user)
    if not desk:
        return Referral.objects.none()
    referrals = scope(user, Referral.objects.filter(department=desk)).select_related("child")
    if status == "open":
        # `closed_at` (NULL in every row) leads the order so that PostgreSQL reads the desk's
        # index in order: it does not take `IS NULL` as fixing the column, and sorted 40,000
        # rows (197 ms at 200,000 referrals) instead of reading the first page's 30.
        open_ = referrals.filter(closed_at__isnull=True)
        return open_.order_by("closed_at", "due_on", "id")
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    return referrals.order_by("due_on", "id")


def referral_get_for(user: User, pk: int) -> Referral:
    referral = referrals_for(user).filter(pk=pk).first()
    if referral is None:
        raise AccessDenied(_("没有找到该转办,或您无权查看"))
    return referral


def township_list(user: User) -> QuerySet[Referral]:
    if not can_use_window(user):
        return Referral.objects.none()
    return scope(user, Referral.objects.all()).select_related("child").order_by("-sent_at", "-id")


def documents_for(user: User, application: Application) -> QuerySet[ApplicationDocument]:
    return scope(user, ApplicationDocument.objects.filter(application_id=application.pk))


def document_get_for(user: User, pk: int) -> ApplicationDocument:
    """Window staff of the jurisdiction, or a department the application was referred to."""
    document = (
        scope(user, ApplicationDocument.objects.select_related("application")).filter(pk=pk).first()
    )
    allowed = document is not None and (
        can_use_window(user)
        or referrals_for(user).filter(application_id=document.application_id).exists()
    )
    if document is None or not allowed:
        raise AccessDenied(_("没有找到该材料,或您无权查看"))
    return document


@dataclass(frozen=True)
class ChildWindow:
    applications: list[Application]
    referrals: list[Referral]


def child_window(user: User, child: Child) -> ChildWindow:
    """The child's applications and referrals as the file shows them (what the viewer may read)."""
    return ChildWindow(
        applications=list(applications_for(user).filter(child_id=child.pk)),
        referrals=list(referrals_for(user).filter(child_id=child.pk).order_by("-sent_at")),
    )


def department_users(department: str, county_code: str) -> QuerySet[User]:
    """Who keeps a department's desk in a county (civil affairs: the county's own staff)."""
    users = User.objects.filter(is_active=True, division__code=county_code)
    if department == Department.CIVIL_AFFAIRS:
        return users.filter(
            Q(role=Role.CIVIL_AFFAIRS) | Q(role=Role.DEPARTMENT, department=department)
        )
    return users.filter(role=Role.DEPARTMENT, department=department)


def supervisors_of(division_code: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role=Role.CHILD_SUPERVISOR, division__code=division_code[:9]
    )


# ---------------------------------------------------------------- the sweep


def awaiting_lapse(today: date) -> QuerySet[Referral]:
    """Running referrals past their last day, not yet marked (every county)."""
    return unscoped(
        Referral.objects.filter(
            lapsed_at__isnull=True, closed_at__isnull=True, due_on__lt=today, status__in=RUNNING
        ).order_by(),  # no sort of the model's ordering over 100,000 rows
        purpose="window clocks",
    )


def awaiting_escalation(today: date) -> QuerySet[Referral]:
    return unscoped(
        Referral.objects.filter(
            escalated_at__isnull=True,
            closed_at__isnull=True,
            escalate_on__lt=today,
            lapsed_at__isnull=False,
            status__in=RUNNING,
        ).order_by(),
        purpose="window clocks",
    )


class Found(NamedTuple):
    """A referral the sweep marked, as its notices need it."""

    pk: int
    number: str
    division_code: str
    department: str
    due_on: date
    escalated: bool  # marked escalated too (it lapsed past its escalation day at once)


def _mark(due: QuerySet[Referral], assignments: str, params: list) -> list[Found]:
    """Mark the rows the sweep finds in one set-based UPDATE … RETURNING (no id list sent
    back and forth: on PostgreSQL the 241,000 updates of an outage are the sweep's time)."""
    connection = connections[due.db]
    sql, where = due.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Referral._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id IN ({sql}) RETURNING id, number,"
            " division_code, department, due_on, escalated_at",
            [*params, *where],
        )
        rows = cursor.fetchall()
    to_date = date.fromisoformat
    return [
        Found(pk, number, code, desk, on if isinstance(on, date) else to_date(on), up is not None)
        for pk, number, code, desk, on, up in rows
    ]


def referrals_lapse(now: datetime) -> list[Found]:
    """Mark lapsed the running referrals past their last day (every county); those also past
    their escalation day are marked escalated in the same update (one new row version)."""
    connection = connections[Referral.objects.db]
    today = timezone.localdate(now)
    at = connection.ops.adapt_datetimefield_value(now)
    return _mark(
        awaiting_lapse(today),
        "lapsed_at = %s, escalated_at = CASE WHEN escalate_on < %s THEN %s END",
        [at, connection.ops.adapt_datefield_value(today), at],
    )


def referrals_escalate(now: datetime) -> list[Found]:
    """Mark escalated the lapsed referrals still running past their escalation day."""
    connection = connections[Referral.objects.db]
    at = connection.ops.adapt_datetimefield_value(now)
    return _mark(awaiting_escalation(timezone.localdate(now)), "escalated_at = %s", [at])


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class DepartmentTimes:
    department: str
    label: str
    completed: int
    on_time: int
    open: int
    lapsed: int
    escalated: int
    median_days: float | None

    @property
    def on_time_share(self) -> int | None:
        return round(100 * self.on_time / self.completed) if self.completed else None


def department_times(area: Area, department: str = "") -> list[DepartmentTimes]:
    """Per department of the area (or the one given: a desk's own): open, lapsed and
    escalated now; completed, on time and the median working days of handling."""
    referrals = within(area, Referral.objects.exclude(status=ReferralStatus.REVOKED)).order_by()
    if department:
        referrals = referrals.filter(department=department)
    running = Q(status__in=OPEN)
    done = Q(status=ReferralStatus.COMPLETED)
    counts = referrals.values("department").annotate(
        open=Count("id", filter=running),
        lapsed=Count("id", filter=running & Q(lapsed_at__isnull=False)),
        escalated=Count("id", filter=running & Q(escalated_at__isnull=False)),
        completed=Count("id", filter=done),
        on_time=Count("id", filter=done & Q(on_time=True)),
    )
    days: dict[str, list[int]] = {}
    handled = referrals.filter(done, handling_days__isnull=False)
    for desk, n in handled.values_list("department", "handling_days"):
        days.setdefault(desk, []).append(n)
    return [
        DepartmentTimes(
            department=row["department"],
            label=str(Department(row["department"]).label),
            completed=row["completed"],
            on_time=row["on_time"],
            open=row["open"],
            lapsed=row["lapsed"],
            escalated=row["escalated"],
            median_days=float(median(days[row["department"]]))
            if row["department"] in days
            else None,
        )
        for row in sorted(counts, key=lambda r: r["department"])
    ]


def calendar_rows(county_code: str, year: int) -> list[HolidayCalendar]:
    """A year's rows, the county's own beside the national ones (the county's win)."""
    return list(
        HolidayCalendar.objects.filter(area__in=["", county_code], day__year=year).order_by(
            "day", "area"
        )
    )

"""Reads for rehabilitation assistance, always scoped to the user (accounts/scoping.py)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.core.errors import AccessDenied
from guanai.disability.models import (
    Claim,
    ClaimStatus,
    HomeTeaching,
    Institution,
    PaymentBatch,
    RehabApplication,
    Status,
    TeachingVisit,
)
from guanai.disability.teaching import Compliance, TeacherSummary, Visit, by_teacher, compliance

YEARLY_TARGET = 270  # children served a year in a county (seed 004 篇10)
SERVING = (Status.REFERRED, Status.IN_SERVICE)


def application_list_for(user: User) -> QuerySet[RehabApplication]:
    return scope(user, RehabApplication.objects.select_related("child", "institution"))


def application_get_for(user: User, pk: int) -> RehabApplication:
    application = application_list_for(user).filter(pk=pk).first()
    if application is None:
        raise AccessDenied(_("没有找到该康复救助申请,或不在您的管辖范围内"))
    return application


def claim_list_for(user: User) -> QuerySet[Claim]:
    return scope(user, Claim.objects.select_related("application__child", "institution", "batch"))


def claim_get_for(user: User, pk: int) -> Claim:
    claim = claim_list_for(user).filter(pk=pk).first()
    if claim is None:
        raise AccessDenied(_("没有找到该结算,或不在您的管辖范围内"))
    return claim


def institution_list_for(user: User) -> QuerySet[Institution]:
    return scope(user, Institution.objects.all())


def batch_list_for(user: User) -> QuerySet[PaymentBatch]:
    return scope(user, PaymentBatch.objects.select_related("created_by"))


def batch_get_for(user: User, pk: int) -> PaymentBatch:
    batch = batch_list_for(user).filter(pk=pk).first()
    if batch is None:
        raise AccessDenied(_("没有找到该拨付批次,或不在您的管辖范围内"))
    return batch


@dataclass(frozen=True)
class Occupancy:
    institution: Institution
    serving: int

    @property
    def free(self) -> int:
        return max(self.institution.capacity - self.serving, 0)


@dataclass(frozen=True)
class Dashboard:
    year: int
    served: int  # children referred or in service, or with a claim, in the year
    target: int
    waiting: int  # eligible, not yet referred
    occupancy: list[Occupancy]
    claims_open: int
    paid: Decimal


def dashboard_for(user: User, year: int) -> Dashboard:
    """The federation's figures: children served against the yearly target, the waiting list,
    each institution's occupancy, claims not yet in a batch and what the batches pay."""
    applications = application_list_for(user)
    in_year = Q(applied_on__year=year) | Q(claims__period_start__year=year)
    served = (
        applications.filter(in_year, status__in=[*SERVING, Status.DROPPED, Status.CLOSED])
        .values("child_id")
        .distinct()
        .count()
    )
    waiting = applications.filter(status=Status.ELIGIBLE).count()
    serving = dict(
        applications.filter(status__in=SERVING, institution__isnull=False)
        .values_list("institution_id")
        .annotate(n=Count("id"))
    )
    occupancy = [
        Occupancy(institution, serving.get(institution.pk, 0))
        for institution in institution_list_for(user).filter(is_active=True)
    ]
    claims = claim_list_for(user)
    claims_open = claims.exclude(status=ClaimStatus.BATCHED).count()
    paid = claims.filter(status=ClaimStatus.BATCHED, period_start__year=year).aggregate(
        s=Sum("payable")
    )["s"] or Decimal(0)
    return Dashboard(year, served, YEARLY_TARGET, waiting, occupancy, claims_open, paid)


def child_applications(user: User, child_id: int) -> QuerySet[RehabApplication]:
    return application_list_for(user).filter(child_id=child_id).prefetch_related("claims")


# ---------- home teaching ----------


def teaching_list_for(user: User) -> QuerySet[HomeTeaching]:
    return scope(user, HomeTeaching.objects.select_related("child"))


def child_teachings(user: User, child_id: int) -> QuerySet[HomeTeaching]:
    return (
        teaching_list_for(user)
        .filter(child_id=child_id)
        .annotate(visit_count=Count("visits"), hours=Sum("visits__hours"))
    )


def teaching_get_for(user: User, pk: int) -> HomeTeaching:
    teaching = teaching_list_for(user).filter(pk=pk).first()
    if teaching is None:
        raise AccessDenied(_("没有找到该送教协议,或不在您的管辖范围内"))
    return teaching


def visit_list_for(user: User) -> QuerySet[TeachingVisit]:
    return scope(user, TeachingVisit.objects.all())


def teaching_compliance(user: User, teaching: HomeTeaching, as_of: date) -> Compliance:
    rows = visit_list_for(user).filter(teaching=teaching).values_list("date", "hours")
    return compliance(
        teaching.start_date,
        teaching.ended_on or teaching.end_date,
        [Visit(day, hours) for day, hours in rows],
        as_of,
    )


@dataclass(frozen=True)
class TeachingYear:
    """A school year's home teaching in the user's area: each child's compliance and each
    teacher's totals (the yearly summary for the teachers' meeting)."""

    school_year: int
    rows: list[tuple[HomeTeaching, Compliance]]
    teachers: list[TeacherSummary]

    @property
    def children_ok(self) -> int:
        return sum(1 for _, result in self.rows if result.ok)

    @property
    def hours(self) -> Decimal:
        return sum((result.hours for _, result in self.rows), Decimal(0))


def teaching_year_for(user: User, school_year: int, as_of: date) -> TeachingYear:
    teachings = list(teaching_list_for(user).filter(school_year=school_year))
    visits: dict[int, list[Visit]] = {}
    for teaching_id, day, hours, teacher in (
        visit_list_for(user)
        .filter(teaching__in=[t.pk for t in teachings])
        .values_list("teaching_id", "date", "hours", "teacher_name")
    ):
        visits.setdefault(teaching_id, []).append(Visit(day, hours, teacher))
    rows = [
        (t, compliance(t.start_date, t.ended_on or t.end_date, visits.get(t.pk, []), as_of))
        for t in teachings
    ]
    return TeachingYear(school_year, rows, by_teacher((t.teacher_name, c) for t, c in rows))

"""Rehabilitation assistance and home teaching on the dashboards (registered in
contributions.py): counts under a granted area, worded as a section."""

from collections import Counter

from django.db.models import Count, Q

from guanai.accounts.scoping import Area, within
from guanai.disability.models import Claim, HomeTeaching, RehabApplication, Status
from guanai.registry.extensions import (
    CountPeriod,
    Counts,
    Figure,
    FigureLinks,
    FigureSection,
    add_rows,
    grouped,
)


def rehab_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    applications = within(area, RehabApplication.objects.all())
    rows = grouped(applications, length).annotate(
        rehab_serving=Count("id", filter=Q(status__in=[Status.REFERRED, Status.IN_SERVICE])),
        rehab_waiting=Count("id", filter=Q(status=Status.ELIGIBLE)),
    )
    add_rows(counts, rows, ["rehab_serving", "rehab_waiting"])
    claims = within(
        area, Claim.objects.filter(period_start__gte=days.start, period_start__lte=days.end)
    )
    rows = grouped(claims, length).annotate(
        rehab_assisted=Count("application__child_id", distinct=True)
    )
    add_rows(counts, rows, ["rehab_assisted"])
    teachings = within(
        area,
        HomeTeaching.objects.filter(
            start_date__lte=days.end, end_date__gte=days.start, ended_on=None
        ),
    )
    rows = grouped(teachings, length).annotate(home_taught=Count("child_id", distinct=True))
    add_rows(counts, rows, ["home_taught"])


def _figures(counts: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            "rehab_assisted",
            "获康复救助儿童",
            counts["rehab_assisted"],
            "统计期内有康复救助结算的儿童数",
        ),
        Figure(
            "rehab_serving",
            "康复中儿童",
            counts["rehab_serving"],
            "已转介定点机构、尚未结束的申请数",
        ),
        Figure(
            "rehab_waiting",
            "待转介儿童",
            counts["rehab_waiting"],
            "审核通过、尚未转介定点机构的申请数",
        ),
        Figure(
            "home_taught", "送教上门儿童", counts["home_taught"], "统计期内在送教协议期的儿童数"
        ),
    ]


REHAB = FigureSection(key="disability", order=65, title="残疾儿童康复与送教", figures=_figures)

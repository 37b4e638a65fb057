"""The registry's counts, age section and trend of new files for the dashboards (registered in
apps.py; see extensions.py)."""

from collections import Counter
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from guanai.accounts.scoping import Area, within
from guanai.registry.choices import AgeBand
from guanai.registry.extensions import (
    CountPeriod,
    Counts,
    Figure,
    FigureLinks,
    FigureSection,
    MonthlyCounts,
    SectionChart,
    add_rows,
    grouped,
    per_month,
)
from guanai.registry.models import Child, Guardian
from guanai.registry.selectors import age_q


def file_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Files on record: children, with an ID number, by age band, with a guardian, complete."""
    active = within(area, Child.objects.filter(is_active=True))
    ages = {
        f"age:{band.value}": Count("id", filter=age_q(days.as_of, *band.years)) for band in AgeBand
    }
    rows = grouped(active, length).annotate(
        children=Count("id"), with_id=Count("id", filter=Q(id_number__isnull=False)), **ages
    )
    add_rows(counts, rows, ["children", "with_id", *ages])
    # A separate query: EXISTS in WHERE is a semi-join, inside FILTER it runs once per row.
    with_guardian = active.filter(Exists(Guardian.objects.filter(child=OuterRef("pk"))))
    rows = grouped(with_guardian, length).annotate(
        with_guardian=Count("id"), complete=Count("id", filter=Q(id_number__isnull=False))
    )
    add_rows(counts, rows, ["with_guardian", "complete"])


def _ages(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            f"age:{band.value}",
            band.label,
            c[f"age:{band.value}"],
            f"在册儿童中,按统计日周岁计 {band.label}",
            link(age_band=band.value),
        )
        for band in AgeBand
    ]


AGES = FigureSection(
    key="ages",
    order=20,
    title="年龄段",
    figures=_ages,
    chart=SectionChart("年龄段", "在册儿童按统计日周岁", prefix="age:"),
)


def new_files_per_month(area: Area, first: date, last: date) -> dict[str, int]:
    """Files by the month they were opened, closed ones too (from the first day on)."""
    since = timezone.make_aware(datetime.combine(first, time.min))
    return per_month(within(area, Child.objects.filter(created_at__gte=since)), "created_at")


NEW_FILES = MonthlyCounts(
    key="new_files",
    order=10,
    title="每月新建档案",
    definition="按建档时间计的档案数(含其后注销的)",
    count=new_files_per_month,
)

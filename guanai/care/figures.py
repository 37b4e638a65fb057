"""Care's counts, section and trend of the dashboards and reports (registered in
contributions.py)."""

from collections import Counter
from datetime import date

from django.db.models import Count, Q

from guanai.accounts.scoping import Area, in_force_q, within
from guanai.care.due import overdue_q
from guanai.care.models import Activity, CareRecord, DueItem, DueStatus, Flag, Pairing
from guanai.registry.extensions import (
    Column,
    Columns,
    CountPeriod,
    Counts,
    Figure,
    FigureLinks,
    FigureSection,
    MonthlyCounts,
    add_rows,
    counted,
    grouped,
    per_month,
    percent,
)


def care_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Duties due in the period (done, overdue on the day), pairings in force, records and
    problems raised in the period."""
    in_period = Q(due_date__gte=days.start, due_date__lte=days.end)
    # Only the rows counted (a year of a county's items is millions): the indexes serve both.
    due = within(
        area,
        DueItem.objects.exclude(status=DueStatus.CANCELLED).filter(
            in_period | overdue_q(days.as_of)
        ),
    )
    rows = grouped(due, length).annotate(
        due=Count("id", filter=in_period),
        due_done=Count("id", filter=in_period & Q(status=DueStatus.DONE)),
        overdue=Count("id", filter=overdue_q(days.as_of)),
    )
    add_rows(counts, rows, ["due", "due_done", "overdue"])

    pairings = within(area, Pairing.objects.filter(in_force_q(days.as_of)))
    rows = grouped(pairings, length, Pairing.scope_division_field).annotate(pairings=Count("id"))
    add_rows(counts, rows, ["pairings"])

    records = within(area, CareRecord.objects.filter(date__gte=days.start, date__lte=days.end))
    rows = grouped(records, length).annotate(
        records=Count("id"),
        visits=Count("id", filter=Q(activity=Activity.HOME_VISIT)),
        activities=Count("id", filter=Q(activity=Activity.LECTURE)),
    )
    add_rows(counts, rows, ["records", "visits", "activities"])
    flags = within(
        area,
        Flag.objects.filter(raised_at__date__gte=days.start, raised_at__date__lte=days.end),
    )
    add_rows(counts, grouped(flags, length).annotate(problems=Count("id")), ["problems"])


def _care(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            "due_done",
            "本期关爱任务完成",
            c["due_done"],
            "截止日期在统计期内的关爱任务(不含已取消)中已完成的 ÷ 任务总数",
            None,
            total=c["due"],
        ),
        Figure(
            "overdue", "逾期未完成任务", c["overdue"], "截止日期已过、仍未完成的关爱任务数", None
        ),
        Figure(
            "pairings", "在结对", c["pairings"], "统计日有效的结对(爱心妈妈、代理家长等)数", None
        ),
        Figure("records", "本期关爱记录", c["records"], "统计期内填写的关爱记录数", None),
        Figure("visits", "本期走访家庭", c["visits"], "统计期内活动为“走访家庭”的关爱记录数", None),
        Figure(
            "problems", "本期上报问题", c["problems"], "统计期内关爱记录中上报的严重问题数", None
        ),
    ]


CARE = FigureSection(
    key="care",
    order=50,
    title="关爱服务",
    figures=_care,
    breakdown=(
        Column("关爱任务完成", lambda c: f"{c['due_done']} / {c['due']}"),
        counted("当前逾期", "overdue"),
    ),
    quarterly=Columns(
        (
            counted("在结对", "pairings"),
            counted("关爱记录", "records"),
            counted("走访家庭", "visits"),
            counted("讲座等活动", "activities"),
            counted("应完成任务", "due"),
            counted("已完成任务", "due_done"),
            Column("完成率", lambda c: percent(c["due_done"], c["due"])),
            counted("当前逾期", "overdue"),
            counted("上报问题", "problems"),
        ),
        note="在结对为期末日有效的结对数;关爱记录、走访家庭、讲座等活动(记录活动为法制安全心理健康讲座)、"
        "上报问题按期内日期统计;应完成任务为截止日期在期内的关爱任务(不含已取消),"
        "当前逾期为期末日已过截止日期仍未完成的任务。",
    ),
    yearly=Columns(
        (Column("关爱任务完成率", lambda c: percent(c["due_done"], c["due"]), width=12),),
        note="关爱任务完成率按截止日期在年度内的任务计;",
    ),
)


def records_per_month(area: Area, first: date, last: date) -> dict[str, int]:
    return per_month(
        within(area, CareRecord.objects.filter(date__gte=first, date__lte=last)), "date"
    )


RECORDS = MonthlyCounts(
    key="records",
    order=20,
    title="每月关爱记录",
    definition="按记录日期计的关爱记录数",
    count=records_per_month,
)

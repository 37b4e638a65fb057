"""The fixed-format xlsx reports (like the paper forms), written by the registry's formula-safe
xlsx writer: the left-behind roster for the street office, the quarterly work report and the
yearly evaluation summary. Figures come from guanai.stats.figures, never typed."""

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from guanai.accounts.models import User
from guanai.care.schedules import Period
from guanai.geo.models import Division
from guanai.registry import selectors as registry_selectors
from guanai.registry.reports import ROSTER_COLUMNS, local_place_name, roster_rows, xlsx_write
from guanai.rules.choices import DIFFICULTY_CATEGORIES, Category
from guanai.stats.figures import figures_for, quarter_of
from guanai.stats.models import ReportJob, ReportKind

Progress = Callable[[int], None]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def quarterly_columns() -> list[tuple[str, int]]:
    return [
        ("区划", 18),
        ("在册儿童", 10),
        ("留守儿童", 10),
        ("困境儿童(人次)", 14),
        ("在结对", 10),
        ("关爱记录", 10),
        ("走访家庭", 10),
        ("讲座等活动", 10),
        ("应完成任务", 10),
        ("已完成任务", 10),
        ("完成率", 10),
        ("当前逾期", 10),
        ("上报问题", 10),
    ]


def quarterly_row(name: str, c: Counter) -> list[Any]:
    difficulty = sum(c[f"cat:{cat.value}"] for cat in DIFFICULTY_CATEGORIES)
    return [
        name,
        c["children"],
        c[f"cat:{Category.LEFT_BEHIND.value}"],
        difficulty,
        c["pairings"],
        c["records"],
        c["visits"],
        c["activities"],
        c["due"],
        c["due_done"],
        _pct(c["due_done"], c["due"]),
        c["overdue"],
        c["problems"],
    ]


def yearly_columns() -> list[tuple[str, int]]:
    return [
        ("区划", 18),
        ("在册儿童", 10),
        ("应有儿童数", 10),
        ("建档率", 10),
        ("留守儿童", 10),
        ("应有留守儿童数", 12),
        ("留守儿童建档率", 12),
        ("档案完整率", 10),
        ("儿童主任配备", 12),
        ("儿童督导员配备", 12),
        ("关爱任务完成率", 12),
        ("应保已保率", 10),
    ]


def yearly_row(name: str, c: Counter) -> list[Any]:
    return [
        name,
        c["children"],
        c["expected"] or "未填报",
        _pct(c["children_in_base"], c["expected"]),
        c[f"cat:{Category.LEFT_BEHIND.value}"],
        c["lb_expected"] or "未填报",
        _pct(c["lb_in_base"], c["lb_expected"]),
        _pct(c["complete"], c["children"]),
        f"{c['villages_staffed']}/{c['villages']}",
        f"{c['townships_staffed']}/{c['townships']}",
        _pct(c["due_done"], c["due"]),
        _pct(c["receiving"], c["eligible"]),
    ]


QUARTERLY_NOTES = [
    "口径:在册儿童、留守儿童按期末日统计;困境儿童为四类困境认定的人次;在结对为期末日有效的结对数;",
    "关爱记录、走访家庭、讲座等活动(记录活动为法制安全心理健康讲座)、上报问题按期内日期统计;",
    "应完成任务为截止日期在期内的关爱任务(不含已取消),当前逾期为期末日已过截止日期仍未完成的任务。",
]
YEARLY_NOTES = [
    "口径:建档率 = 已填报应有儿童数的村里在册档案数 ÷ 县民政局填报的应有儿童数(未填报的村不计);",
    "档案完整 = 身份证号和监护人都已填写;配备 = 有启用中的儿童主任(村)/儿童督导员(乡镇)账户;",
    "关爱任务完成率按截止日期在年度内的任务计;应保已保率 = 年末日有在享记录的待遇人次 ÷ 规则认定符合的人次。",
]
TABLES = {
    ReportKind.QUARTERLY: ("季度工作报告", quarterly_columns, quarterly_row, QUARTERLY_NOTES),
    ReportKind.YEARLY: ("年度考评汇总", yearly_columns, yearly_row, YEARLY_NOTES),
}


def table_rows(
    viewer: User,
    division: Division,
    period: Period,
    row: Callable[[str, Counter], list[Any]],
    notes: list[str],
    progress: Progress,
) -> Iterator[list[Any]]:
    """One row per node below, the total (the sum of the rows above it), then the definitions."""
    figures = figures_for(viewer, division, period.end, period)
    progress(60)
    for node, counts in figures.breakdown:
        yield row(node.name, counts)
    yield row(f"合计({division.name})", figures.counts)
    yield []
    for note in notes:
        yield [note]


def report_title(job: ReportJob) -> str:
    place = local_place_name(job.division)
    span = f"{job.period_start:%Y年%m月%d日}至{job.period_end:%Y年%m月%d日}"
    return f"{place} {job.get_kind_display()}({span})"


def report_write(job: ReportJob, out, progress: Progress) -> int:
    """Write the job's report into `out`; the number of data rows."""
    title = report_title(job)
    period = Period(job.period_start, job.period_end)
    if job.kind == ReportKind.LEFT_BEHIND_ROSTER:
        filters = registry_selectors.ChildFilters(
            division_code=job.division.code, extra={"category": Category.LEFT_BEHIND}
        )
        total = registry_selectors.child_list_for(job.requested_by, filters).count() or 1

        def rows() -> Iterator[list[Any]]:
            for number, values in enumerate(
                roster_rows(job.requested_by, filters, today=job.period_end), start=1
            ):
                if number % 500 == 0:
                    progress(min(95, 100 * number // total))
                yield values

        return xlsx_write(
            out, sheet_name="留守儿童花名册", title=title, columns=ROSTER_COLUMNS, rows=rows()
        )
    sheet_name, columns, row, notes = TABLES[ReportKind(job.kind)]
    written = xlsx_write(
        out,
        sheet_name=sheet_name,
        title=title,
        columns=columns(),
        rows=table_rows(job.requested_by, job.division, period, row, notes, progress),
    )
    return written - len(notes) - 1  # the blank row and the definitions are not data


def report_filename(job: ReportJob) -> str:
    return f"{job.division.name}{job.get_kind_display()}{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}.xlsx"


def period_default(kind: str, today: date) -> Period:
    if kind == ReportKind.YEARLY:
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == ReportKind.QUARTERLY:
        return quarter_of(today)
    return Period(today, today)

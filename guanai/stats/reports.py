"""The fixed-format xlsx reports (like the paper forms), written by the registry's formula-safe
xlsx writer: the left-behind roster for the street office, the quarterly work report and the
yearly evaluation summary. Figures come from guanai.stats.figures, never typed; the columns and
口径 of the two tables of node counts from each app's figure section (registry/extensions.py),
in the sections' order."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from guanai.accounts.models import User
from guanai.core.dates import DateRange
from guanai.geo.models import Division
from guanai.registry import extensions
from guanai.registry import selectors as registry_selectors
from guanai.registry.extensions import Column, Columns, FigureSection
from guanai.registry.reports import ROSTER_COLUMNS, local_place_name, roster_rows, xlsx_write
from guanai.stats.figures import LEFT_BEHIND, figures_for, quarter_of
from guanai.stats.models import ReportJob, ReportKind

Progress = Callable[[int], None]
NODE_COLUMN = ("区划", 18)
# The tables of node counts: a sheet name, and which columns each section gives the table.
TABLES: dict[str, tuple[str, Callable[[FigureSection], Columns | None]]] = {
    ReportKind.QUARTERLY: ("季度工作报告", lambda section: section.quarterly),
    ReportKind.YEARLY: ("年度考评汇总", lambda section: section.yearly),
}


def table_columns(kind: str) -> tuple[list[Column], list[str]]:
    """The columns of a report of node counts, section by section, and their 口径 lines."""
    columns, notes = [], []
    for section in extensions.figure_sections():
        given = TABLES[kind][1](section)
        if given is not None:
            columns.extend(given.columns)
            if given.note:
                notes.append(given.note)
    return columns, ["口径:" + note if n == 0 else note for n, note in enumerate(notes)]


def table_rows(
    viewer: User,
    division: Division,
    period: DateRange,
    columns: list[Column],
    notes: list[str],
    progress: Progress,
) -> Iterator[list[Any]]:
    """One row per node below, the total (the sum of the rows above it), then the definitions."""
    figures = figures_for(viewer, division, period.end, period)
    progress(60)
    for node, counts in figures.breakdown:
        yield [node.name, *[column.value(counts) for column in columns]]
    yield [f"合计({division.name})", *[column.value(figures.counts) for column in columns]]
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
    period = DateRange(job.period_start, job.period_end)
    if job.kind == ReportKind.LEFT_BEHIND_ROSTER:
        filters = registry_selectors.ChildFilters(
            division_code=job.division.code, extra={"category": LEFT_BEHIND}
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
    columns, notes = table_columns(job.kind)
    written = xlsx_write(
        out,
        sheet_name=TABLES[job.kind][0],
        title=title,
        columns=[NODE_COLUMN, *[(column.label, column.width) for column in columns]],
        rows=table_rows(job.requested_by, job.division, period, columns, notes, progress),
    )
    return written - len(notes) - 1  # the blank row and the definitions are not data


def report_filename(job: ReportJob) -> str:
    return f"{job.division.name}{job.get_kind_display()}{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}.xlsx"


def period_default(kind: str, today: date) -> DateRange:
    if kind == ReportKind.YEARLY:
        return DateRange(date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == ReportKind.QUARTERLY:
        return quarter_of(today)
    return DateRange(today, today)

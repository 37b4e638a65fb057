"""The figures of the dashboards and reports, put together from every app's counts and sections.

`node_counts` counts one node's subtree in a handful of SQL queries, each grouped by the
division-code prefix of the node's children (Substr), so a county costs the same number of
queries as a village. A node's figure is the sum of its groups, which is why a township's
figures equal the sum of its villages' and a county's the sum of its townships'. Each app
counts its own rows and words its own section (registry/extensions.py: NodeCounts,
FigureSection, MonthlyCounts); the statistics count the expected populations (bases) and the
staffing, and word the sections 建档 and 人员配备 (registered in apps.py).
`figures_for(division, as_of)` turns the counts into each section's `Figure`s: value,
definition (口径) and the filter of the children list behind the figure.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import Area, area_for, within
from guanai.core.dates import DateRange
from guanai.geo.models import Division, Level, code_prefix_q
from guanai.registry import extensions
from guanai.registry.extensions import (
    Column,
    Columns,
    CountPeriod,
    Figure,
    FigureLinks,
    FigureSection,
    add_rows,
    counted,
    grouped,
    percent,
)
from guanai.registry.models import Child
from guanai.stats.models import StatisticalBase
from guanai.stats.summary_store import stored_data

CACHE_SECONDS = 300
TREND_MONTHS = 12
FILE_TARGET = 95
LEFT_BEHIND_TARGET = 100
SUB_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}
# The category the county's expected left-behind children are compared with: its code in the
# children list's filter (?category=), which the figure links to and counts, and in the rules'
# counts (cat:<code>).
LEFT_BEHIND = "left_behind"


@dataclass
class NodeFigures:
    division: Division
    as_of: date
    period: DateRange
    sections: list[tuple[str, list[Figure]]]
    breakdown: list[tuple[Division, Counter]] = field(default_factory=list)
    trends: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    counted_at: datetime | None = None  # from the stored summaries: when they were counted

    def figure(self, key: str) -> Figure:
        return next(f for _, figures in self.sections for f in figures if f.key == key)


def quarter_of(day: date) -> DateRange:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return DateRange(start, next_start - timedelta(days=1))


def node_counts(area: Area, length: int, as_of: date, period: DateRange) -> dict[str, Counter]:
    """Every count of the area's subtree, grouped by the first `length` code digits: what each
    app counts of its own rows (registry/extensions.py), then the statistical bases and the
    staffing, which are the statistics' own."""
    counts = extensions.node_counts(area, length, CountPeriod(as_of, period.start, period.end))
    bases = within(area, StatisticalBase.objects.filter(year=as_of.year))
    rows = grouped(bases, length).annotate(
        expected=Sum("children_expected"),
        lb_expected=Sum("left_behind_expected"),
        base_villages=Count("id"),
    )
    add_rows(counts, rows, ["expected", "lb_expected", "base_villages"])
    # Registered children and left-behind children in the villages that entered a base.
    with_base = Exists(bases.filter(division_code=OuterRef("division_code")))
    in_base = within(area, Child.objects.filter(is_active=True)).filter(with_base)
    rows = grouped(in_base, length).annotate(children_in_base=Count("id"))
    add_rows(counts, rows, ["children_in_base"])
    left_behind = in_base.filter(extensions.child_list_condition({"category": LEFT_BEHIND}))
    add_rows(counts, grouped(left_behind, length).annotate(lb_in_base=Count("id")), ["lb_in_base"])

    for level, role, name in [
        (Level.VILLAGE, Role.CHILD_DIRECTOR, "villages"),
        (Level.TOWNSHIP, Role.CHILD_SUPERVISOR, "townships"),
    ]:
        staffed = Exists(User.objects.filter(division=OuterRef("pk"), role=role, is_active=True))
        nodes = Division.objects.filter(code_prefix_q("code", area.prefix), level=level)
        rows = grouped(nodes, length, "code").annotate(
            **{name: Count("id"), f"{name}_staffed": Count("id", filter=Q(staffed))}
        )
        # The node's own row (a township under itself) is grouped by its shorter code.
        add_rows(counts, rows, [name, f"{name}_staffed"])
    return counts


def trends_for(area: Area, as_of: date) -> dict[str, list[tuple[str, int]]]:
    """Each app's monthly counts (registry/extensions.py: new files, care records...), the last
    TREND_MONTHS months up to the day."""
    first = date(as_of.year, as_of.month, 1)
    for _ in range(TREND_MONTHS - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    months = []
    day = first
    while day <= as_of:
        months.append(day.strftime("%Y-%m"))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    trends = {}
    for monthly in extensions.monthly_counts():
        found = monthly.count(area, first, as_of)
        trends[monthly.key] = [(month, found.get(month, 0)) for month in months]
    return trends


def _files(c: Counter, link: FigureLinks) -> list[Figure]:
    base_note = "" if c["expected"] else "未填报应有儿童数"
    partial = (
        f"(仅计已填报应有儿童数的 {c['base_villages']}/{c['villages']} 个村)"
        if c["expected"] and c["base_villages"] < c["villages"]
        else ""
    )
    return [
        Figure(
            "coverage",
            "建档率",
            c["children_in_base"] if c["expected"] else None,
            "已填报应有儿童数的村里,在册儿童档案数 ÷ 县里填报的本年度应有儿童数;目标 ≥95%"
            + partial,
            link(),
            total=c["expected"] or None,
            target=FILE_TARGET,
            missing=base_note,
        ),
        Figure(
            "lb_coverage",
            "留守儿童建档率",
            c["lb_in_base"] if c["lb_expected"] else None,
            "已填报的村里,认定为留守儿童的在册档案数 ÷ 应有留守儿童数;目标 100%" + partial,
            link(category=LEFT_BEHIND),
            total=c["lb_expected"] or None,
            target=LEFT_BEHIND_TARGET,
            missing="" if c["lb_expected"] else "未填报应有留守儿童数",
        ),
        Figure(
            "complete",
            "档案完整",
            c["complete"],
            "在册档案中身份证号和监护人都已填写的份数 ÷ 在册档案数",
            None,
            total=c["children"],
        ),
        Figure(
            "missing_id",
            "缺身份证号",
            c["children"] - c["with_id"],
            "在册档案中没有身份证号的份数",
            link(missing_id="on"),
        ),
        Figure(
            "missing_guardian",
            "缺监护人",
            c["children"] - c["with_guardian"],
            "在册档案中没有登记任何监护人的份数",
            link(missing_guardian="on"),
        ),
    ]


FILES = FigureSection(
    key="files",
    order=30,
    title="建档",
    figures=_files,
    breakdown=(
        counted("档案完整", "complete"),
        Column("应有儿童数", lambda c: c["expected"] or "未填报"),
    ),
    yearly=Columns(
        (
            Column("应有儿童数", lambda c: c["expected"] or "未填报"),
            Column("建档率", lambda c: percent(c["children_in_base"], c["expected"])),
            counted("留守儿童", f"cat:{LEFT_BEHIND}"),
            Column("应有留守儿童数", lambda c: c["lb_expected"] or "未填报", width=12),
            Column("留守儿童建档率", lambda c: percent(c["lb_in_base"], c["lb_expected"]), 12),
            Column("档案完整率", lambda c: percent(c["complete"], c["children"])),
        ),
        note="建档率 = 已填报应有儿童数的村里在册档案数 ÷ 县民政局填报的应有儿童数(未填报的村不计);"
        "档案完整 = 身份证号和监护人都已填写;",
    ),
)


def _staffing(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            "villages_staffed",
            "配备儿童主任的村(居)",
            c["villages_staffed"],
            "有启用中的儿童主任账户的村(居)数 ÷ 村(居)总数;目标 100%",
            None,
            total=c["villages"],
            target=100,
        ),
        Figure(
            "townships_staffed",
            "配备儿童督导员的乡镇(街道)",
            c["townships_staffed"],
            "有启用中的儿童督导员账户的乡镇(街道)数 ÷ 乡镇(街道)总数;目标 100%",
            None,
            total=c["townships"],
            target=100,
        ),
    ]


STAFFING = FigureSection(
    key="staffing",
    order=40,
    title="人员配备",
    figures=_staffing,
    yearly=Columns(
        (
            Column("儿童主任配备", lambda c: f"{c['villages_staffed']}/{c['villages']}", 12),
            Column("儿童督导员配备", lambda c: f"{c['townships_staffed']}/{c['townships']}", 12),
        ),
        note="配备 = 有启用中的儿童主任(村)/儿童督导员(乡镇)账户;",
    ),
)


def _link(division: Division, top: Division | None, **extra: str) -> dict[str, str]:
    """The children list's query: ?division=<pk> unless the node is the viewer's own."""
    query = {} if top is not None and division.pk == top.pk else {"division": str(division.pk)}
    return {**query, **extra}


def sections_for(
    division: Division, c: Counter, top: Division | None
) -> list[tuple[str, list[Figure]]]:
    """Every app's section of figures (registry/extensions.py), in order, worded from the counts."""
    link = lambda **extra: _link(division, top, **extra)  # noqa: E731
    return [(section.title, section.figures(c, link)) for section in extensions.figure_sections()]


def figures_for(
    viewer: User,
    division: Division,
    as_of: date,
    period: DateRange | None = None,
    *,
    viewer_node: Division | None = None,
    use_cache: bool = False,
) -> NodeFigures:
    """The node's figures on the day, care counted over `period` (default: the day's quarter
    up to the day), with one row of counts per child node. The node must be the viewer's."""
    area = area_for(viewer, division)
    period = period or DateRange(quarter_of(as_of).start, as_of)
    key = f"stats:{division.code}:{as_of}:{period.start}:{period.end}"
    length = SUB_LENGTH[len(area.prefix)]
    data = None
    counted_at = None
    if use_cache:
        # The stored summaries (stats/summaries.py) when the county's are fresh, else the cache.
        stored = stored_data(area.prefix, length, as_of, period)
        if stored is not None:
            counts, trends, counted_at = stored
            data = (counts, trends if trends is not None else trends_for(area, as_of))
        else:
            data = cache.get(key)
    if data is None:
        counts = node_counts(area, length, as_of, period)
        data = (dict(counts), trends_for(area, as_of))
        if use_cache:
            cache.set(key, data, CACHE_SECONDS)
    counts, trends = data
    total = sum(counts.values(), Counter())
    breakdown = [
        (node, counts.get(node.code[:length], Counter()))
        for node in division.children.order_by("code")
    ]
    return NodeFigures(
        division=division,
        as_of=as_of,
        period=period,
        sections=sections_for(division, total, viewer_node),
        breakdown=breakdown,
        trends=trends,
        counts=total,
        counted_at=counted_at,
    )

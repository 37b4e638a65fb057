"""Every figure on the dashboards and reports, computed here and nowhere else.

`node_counts` counts one node's subtree in a handful of SQL queries, each grouped by the
division-code prefix of the node's children (Substr), so a county costs the same number of
queries as a village. A node's figure is the sum of its groups, which is why a township's
figures equal the sum of its villages' and a county's the sum of its townships'.
`figures_for(division, as_of)` turns the counts into `Figure`s: value, definition (口径) and
the filter of the children list behind the figure.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import Area, area_for, within
from guanai.care.models import CareRecord
from guanai.care.schedules import Period
from guanai.geo.models import Division, Level, code_prefix_q
from guanai.registry import extensions
from guanai.registry.choices import AgeBand
from guanai.registry.extensions import CountPeriod, add_rows, grouped
from guanai.registry.models import Child
from guanai.rules.choices import Category
from guanai.rules.figures import current_categories
from guanai.stats.models import StatisticalBase

CACHE_SECONDS = 300
TREND_MONTHS = 12
FILE_TARGET = 95
LEFT_BEHIND_TARGET = 100
SUB_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 12}


@dataclass
class Figure:
    key: str
    label: str
    value: int | None
    definition: str
    link: dict[str, str] | None = None  # query of the children list behind the figure
    total: int | None = None  # denominator, where the figure is a share
    target: int | None = None  # percent
    missing: str = ""  # why no value can be given

    @property
    def query(self) -> str:
        return urlencode(self.link or {})

    @property
    def rate(self) -> float | None:
        if self.value is None or not self.total:
            return None
        return round(100 * self.value / self.total, 1)

    @property
    def meets_target(self) -> bool | None:
        rate = self.rate
        return None if rate is None or self.target is None else rate >= self.target


@dataclass
class NodeFigures:
    division: Division
    as_of: date
    period: Period
    sections: list[tuple[str, list[Figure]]]
    breakdown: list[tuple[Division, Counter]] = field(default_factory=list)
    trends: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def figure(self, key: str) -> Figure:
        return next(f for _, figures in self.sections for f in figures if f.key == key)


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return Period(start, next_start - timedelta(days=1))


def node_counts(area: Area, length: int, as_of: date, period: Period) -> dict[str, Counter]:
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
    active = within(area, Child.objects.filter(is_active=True))
    rows = grouped(active.filter(with_base), length).annotate(children_in_base=Count("id"))
    add_rows(counts, rows, ["children_in_base"])
    left_behind = current_categories(area).filter(code=Category.LEFT_BEHIND).filter(with_base)
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
    """New files and care records per month, the last TREND_MONTHS months up to the day."""
    first = date(as_of.year, as_of.month, 1)
    for _ in range(TREND_MONTHS - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    months = []
    day = first
    while day <= as_of:
        months.append(day.strftime("%Y-%m"))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)

    since = timezone.make_aware(datetime.combine(first, time.min))

    def per_month(queryset: QuerySet, field_name: str, start) -> list[tuple[str, int]]:
        rows = (
            queryset.filter(**{f"{field_name}__gte": start})
            .annotate(month=TruncMonth(field_name))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        found = {row["month"].strftime("%Y-%m"): row["n"] for row in rows if row["month"]}
        return [(month, found.get(month, 0)) for month in months]

    return {
        "new_files": per_month(within(area, Child.objects.all()), "created_at", since),
        "records": per_month(
            within(area, CareRecord.objects.filter(date__lte=as_of)), "date", first
        ),
    }


def _link(division: Division, top: Division | None, **extra: str) -> dict[str, str]:
    """The children list's query: ?division=<pk> unless the node is the viewer's own."""
    query = {} if top is not None and division.pk == top.pk else {"division": str(division.pk)}
    return {**query, **extra}


def _figures(
    division: Division, c: Counter, top: Division | None
) -> list[tuple[str, list[Figure]]]:
    link = lambda **extra: _link(division, top, **extra)  # noqa: E731
    children = [
        Figure("children", "在册儿童", c["children"], "在册(未注销)的儿童档案数", link()),
        *[
            Figure(
                f"cat:{cat.value}",
                cat.label,
                c[f"cat:{cat.value}"],
                f"规则当前认定为{cat.label}的在册儿童数;一名儿童可属多个类别",
                link(category=cat.value),
            )
            for cat in Category
        ],
    ]
    ages = []
    for band in AgeBand:
        definition = f"在册儿童中,按统计日周岁计 {band.label}"
        key = f"age:{band.value}"
        ages.append(Figure(key, band.label, c[key], definition, link(age_band=band.value)))
    base_note = "" if c["expected"] else "未填报应有儿童数"
    partial = (
        f"(仅计已填报应有儿童数的 {c['base_villages']}/{c['villages']} 个村)"
        if c["expected"] and c["base_villages"] < c["villages"]
        else ""
    )
    files = [
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
            link(category=Category.LEFT_BEHIND),
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
    staffing = [
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
    care = [
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
    benefits = [
        Figure(
            "receiving",
            "应保已保",
            c["receiving"],
            "规则认定符合的保障待遇(人次)中,统计日有在享记录的 ÷ 符合的人次",
            None,
            total=c["eligible"],
            target=100,
        ),
        Figure(
            "unreceived",
            "应保未保",
            c["eligible"] - c["receiving"],
            "符合保障待遇但统计日没有在享记录的人次(名单见“应保尽保”)",
            None,
        ),
    ]
    return [
        ("儿童", children),
        ("年龄段", ages),
        ("建档", files),
        ("人员配备", staffing),
        ("关爱服务", care),
        ("保障待遇", benefits),
    ]


def figures_for(
    viewer: User,
    division: Division,
    as_of: date,
    period: Period | None = None,
    *,
    viewer_node: Division | None = None,
    use_cache: bool = False,
) -> NodeFigures:
    """The node's figures on the day, care counted over `period` (default: the day's quarter
    up to the day), with one row of counts per child node. The node must be the viewer's."""
    area = area_for(viewer, division)
    period = period or Period(quarter_of(as_of).start, as_of)
    key = f"stats:{division.code}:{as_of}:{period.start}:{period.end}"
    data = cache.get(key) if use_cache else None
    length = SUB_LENGTH[len(area.prefix)]
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
        sections=_figures(division, total, viewer_node),
        breakdown=breakdown,
        trends=trends,
        counts=total,
    )

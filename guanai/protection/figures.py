"""Protection's counts and section of the dashboards and the quarterly report (registered in
contributions.py). Medians and percentiles do not add up across nodes: they are on the
protection figures page (selectors.response_times), per township."""

from collections import Counter

from django.db.models import Count, F, Q

from guanai.accounts.scoping import Area, within
from guanai.protection.choices import GRADE_ORDER, CaseKind, Grade
from guanai.protection.models import ProtectionCase
from guanai.registry.extensions import (
    Column,
    Columns,
    CountPeriod,
    Counts,
    Figure,
    FigureLinks,
    FigureSection,
    SectionChart,
    add_rows,
    counted,
    grouped,
)


def case_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Cases open on the day by grade and kind; received, closed and late in the period."""
    end_of_day = Q(received_at__date__lte=days.as_of)
    open_then = end_of_day & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=days.as_of))
    received = Q(received_at__date__gte=days.start, received_at__date__lte=days.end)
    closed = Q(closed_at__date__gte=days.start, closed_at__date__lte=days.end)
    late = received & (
        Q(responded_at__gt=F("respond_by"))
        | Q(responded_at__isnull=True, respond_by__date__lte=days.as_of)
    )
    cases = within(area, ProtectionCase.objects.filter(open_then | received | closed))
    annotations = {
        "cases_open": Count("id", filter=open_then),
        "cases_received": Count("id", filter=received),
        "cases_closed": Count("id", filter=closed),
        "cases_late": Count("id", filter=late),
        "cases_reopened": Count("id", filter=open_then & Q(reopened_times__gt=0)),
    }
    annotations |= {f"cases_{g}": Count("id", filter=open_then & Q(grade=g)) for g in GRADE_ORDER}
    annotations |= {
        f"cases_kind_{k}": Count("id", filter=open_then & Q(kind=k)) for k in CaseKind.values
    }
    add_rows(counts, grouped(cases, length).annotate(**annotations), list(annotations))


def _figures(c: Counter, link: FigureLinks) -> list[Figure]:
    figures = [
        Figure(
            "cases_open",
            "在办保护个案",
            c["cases_open"],
            "统计日已受理、尚未结案的保护个案数",
            link(case="open"),
        )
    ]
    figures += [
        Figure(f"grade_{g}", f"其中{Grade(g).label}", c[f"cases_{g}"], "统计日在办个案按风险等级")
        for g in GRADE_ORDER
    ]
    figures += [
        Figure("cases_received", "本期受理", c["cases_received"], "受理时间在统计期内的个案数"),
        Figure("cases_closed", "本期结案", c["cases_closed"], "结案时间在统计期内的个案数"),
        Figure(
            "cases_late",
            "本期超时响应",
            c["cases_late"],
            "统计期内受理的个案中,晚于响应时限才到场核实的,或到统计日仍未核实且已过时限的",
            total=c["cases_received"],
        ),
        Figure(
            "cases_reopened", "重新打开", c["cases_reopened"], "统计日在办个案中曾结案后重新打开的"
        ),
    ]
    return figures


PROTECTION = FigureSection(
    key="protection",
    order=70,
    title="未成年人保护",
    figures=_figures,
    chart=SectionChart("在办个案按等级", "统计日在办个案按风险等级(红橙黄蓝)", "grade_"),
    breakdown=(counted("在办个案", "cases_open"), counted("红色", "cases_red")),
    quarterly=Columns(
        (
            counted("在办个案", "cases_open"),
            *(counted(str(Grade(g).label), f"cases_{g}", 6) for g in GRADE_ORDER),
            *(counted(str(CaseKind(k).label), f"cases_kind_{k}", 8) for k in CaseKind.values),
            counted("期内受理", "cases_received"),
            counted("期内结案", "cases_closed"),
            Column("超时响应", lambda c: f"{c['cases_late']} / {c['cases_received']}", width=10),
        ),
        note="在办个案及其等级、情形按期末日统计;受理、结案按期内日期;超时响应为期内受理的个案中"
        "晚于响应时限核实或期末仍未核实且已过时限的(分母为期内受理数)。",
    ),
)

"""The window's counts and section of the dashboards (registered in contributions.py):
referrals open and lapsed on the day, completed in the period and the share of them on time.
Medians do not add up across nodes: they are on the window's figures page, per department."""

from collections import Counter

from django.db.models import Count, Q

from guanai.accounts.scoping import Area, within
from guanai.registry.extensions import (
    Columns,
    CountPeriod,
    Counts,
    Figure,
    FigureLinks,
    FigureSection,
    add_rows,
    counted,
    grouped,
)
from guanai.window.models import Referral


def referral_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    sent_by_then = Q(sent_at__date__lte=days.as_of)
    open_then = sent_by_then & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=days.as_of))
    lapsed_then = open_then & Q(lapsed_at__date__lte=days.as_of)
    completed = Q(
        status="completed", closed_at__date__gte=days.start, closed_at__date__lte=days.end
    )
    referrals = within(area, Referral.objects.filter(sent_by_then))
    annotations = {
        "referrals_open": Count("id", filter=open_then),
        "referrals_lapsed": Count("id", filter=lapsed_then),
        "referrals_completed": Count("id", filter=completed),
        "referrals_on_time": Count("id", filter=completed & Q(on_time=True)),
    }
    add_rows(counts, grouped(referrals, length).annotate(**annotations), list(annotations))


def _figures(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            "referrals_open",
            "在办转办",
            c["referrals_open"],
            "统计日已转办、尚未办结或撤回的转办数",
        ),
        Figure(
            "referrals_lapsed",
            "其中已超时",
            c["referrals_lapsed"],
            "统计日在办转办中已超过办理时限的",
            total=c["referrals_open"],
        ),
        Figure(
            "referrals_on_time",
            "本期按时办结",
            c["referrals_on_time"],
            "统计期内办结的转办中,在办理期限(扣除补材料暂停的工作日)内办结的",
            total=c["referrals_completed"],
        ),
    ]


WINDOW = FigureSection(
    key="window",
    order=75,
    title="一门受理与转办",
    figures=_figures,
    breakdown=(counted("在办转办", "referrals_open"), counted("超时", "referrals_lapsed")),
    quarterly=Columns(
        (
            counted("在办转办", "referrals_open"),
            counted("超时", "referrals_lapsed"),
            counted("期内办结", "referrals_completed"),
            counted("按时办结", "referrals_on_time"),
        ),
        note="在办、超时按期末日统计;办结、按时办结按期内办结日期(期限扣除补材料暂停的工作日)。",
    ),
)

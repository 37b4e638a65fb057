"""The rules' counts and sections of the dashboards and reports: children by category, benefits
owed and received (registered in contributions.py)."""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q

from guanai.accounts.scoping import Area, within
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
    percent,
)
from guanai.rules.choices import DIFFICULTY_CATEGORIES, Category, FindingKind
from guanai.rules.models import BenefitReceipt, ChildFinding


def current_categories(area: Area):
    """The current category findings of the area's children on record."""
    return within(
        area,
        ChildFinding.objects.filter(
            kind=FindingKind.CATEGORY, is_current=True, child__is_active=True
        ),
    )


CONFIRMED = Q(pending_review=False)


def finding_counts(area: Area, length: int, days: CountPeriod, counts: Counts) -> None:
    """Children per category (cat:<code>), found from reviewed facts; apart, the children whose
    findings rest on facts the township has not reviewed yet (review_pending); benefits owed
    and received on the day, from reviewed facts."""
    categories = grouped(current_categories(area), length)
    for row in categories.values("key", "code").annotate(n=Count("id", filter=CONFIRMED)):
        counts[row["key"]][f"cat:{row['code']}"] += row["n"]
    pending = grouped(current_categories(area).filter(pending_review=True), length)
    add_rows(
        counts,
        pending.annotate(review_pending=Count("child_id", distinct=True)),
        ["review_pending"],
    )
    receiving = BenefitReceipt.objects.filter(
        Q(start_on__lte=days.as_of) & (Q(end_on__isnull=True) | Q(end_on__gte=days.as_of)),
        child_id=OuterRef("child_id"),
        benefit=OuterRef("code"),
    )
    eligible = within(
        area,
        ChildFinding.objects.filter(
            kind=FindingKind.BENEFIT, is_current=True, child__is_active=True
        ),
    )
    rows = grouped(eligible, length).annotate(
        eligible=Count("id", filter=CONFIRMED),
        receiving=Count("id", filter=CONFIRMED & Q(Exists(receiving))),
    )
    add_rows(counts, rows, ["eligible", "receiving"])


def _children(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure("children", "在册儿童", c["children"], "在册(未注销)的儿童档案数", link()),
        *[
            Figure(
                f"cat:{cat.value}",
                cat.label,
                c[f"cat:{cat.value}"],
                f"规则当前认定为{cat.label}的在册儿童数,只计依据已审核的;一名儿童可属多个类别",
                link(category=cat.value),
            )
            for cat in Category
        ],
        Figure(
            "review_pending",
            "类别待审核",
            c["review_pending"],
            "依据村(居)录入、乡镇(街道)尚未审核的信息,或按新版本规则新认定、尚待确认的类别所涉在册儿童数,不计入上列各类别",
            None,
        ),
    ]


ON_RECORD = counted("在册儿童", "children")
LEFT_BEHIND = counted("留守儿童", f"cat:{Category.LEFT_BEHIND.value}")
CHILDREN = FigureSection(
    key="children",
    order=10,
    title="儿童",
    figures=_children,
    chart=SectionChart("各类别儿童", "同上“儿童”各项", prefix="cat:"),
    breakdown=(ON_RECORD, LEFT_BEHIND),
    quarterly=Columns(
        (
            ON_RECORD,
            LEFT_BEHIND,
            Column(
                "困境儿童(人次)",
                lambda c: sum(c[f"cat:{cat.value}"] for cat in DIFFICULTY_CATEGORIES),
                width=14,
            ),
        ),
        note="在册儿童、留守儿童按期末日统计;困境儿童为四类困境认定的人次;",
    ),
    yearly=Columns((ON_RECORD,)),
)


def _benefits(c: Counter, link: FigureLinks) -> list[Figure]:
    return [
        Figure(
            "receiving",
            "应保已保",
            c["receiving"],
            "规则依已审核信息认定符合的保障待遇(人次)中,统计日有在享记录的 ÷ 符合的人次",
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


BENEFITS = FigureSection(
    key="benefits",
    order=60,
    title="保障待遇",
    figures=_benefits,
    breakdown=(Column("应保已保", lambda c: f"{c['receiving']} / {c['eligible']}"),),
    yearly=Columns(
        (Column("应保已保率", lambda c: percent(c["receiving"], c["eligible"])),),
        note="应保已保率 = 年末日有在享记录的待遇人次 ÷ 规则认定符合的人次。",
    ),
)

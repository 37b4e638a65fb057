"""Reads of findings, receipts, events and changes: always through jurisdiction scoping."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from guanai.accounts import permissions as account_permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import scope, user_prefix
from guanai.core.errors import AccessDenied, Message
from guanai.geo.models import Division
from guanai.registry.models import Child
from guanai.rules import permissions
from guanai.rules.choices import Category, FindingKind
from guanai.rules.models import (
    BenefitReceipt,
    ChildFinding,
    FindingChange,
    HardshipEvent,
    RuleParameter,
)
from guanai.rules.parameters import area_prefixes


def _need(allowed: bool, message: Message) -> None:
    if not allowed:
        raise AccessDenied(message)


def in_force(on: date) -> Q:
    """Receipts that cover the day."""
    return Q(start_on__lte=on) & (Q(end_on__isnull=True) | Q(end_on__gte=on))


# ---------------------------------------------------------------- one child


def findings_for(user: User, child: Child) -> QuerySet[ChildFinding]:
    return scope(user, ChildFinding.objects.filter(child=child))


def categories_of(user: User, child_ids: list[int]) -> dict[int, list[ChildFinding]]:
    """The current categories of a page of children, in one query (the list's badges)."""
    found: dict[int, list[ChildFinding]] = {}
    rows = scope(
        user,
        ChildFinding.objects.filter(
            child_id__in=child_ids, kind=FindingKind.CATEGORY, is_current=True
        ),
    ).order_by("child_id", "code")
    for finding in rows.only("id", "child_id", "kind", "code"):
        found.setdefault(finding.child_id, []).append(finding)
    return found


def receipts_for(user: User, child: Child) -> QuerySet[BenefitReceipt]:
    return scope(user, BenefitReceipt.objects.filter(child=child)).select_related("recorded_by")


def events_for(user: User, child: Child) -> QuerySet[HardshipEvent]:
    return scope(user, HardshipEvent.objects.filter(child=child)).select_related("recorded_by")


def receipt_get_for(user: User, pk: int) -> BenefitReceipt:
    _need(permissions.can_see_benefits(user), gettext_lazy("没有找到该记录"))
    found = scope(user, BenefitReceipt.objects.select_related("child")).filter(pk=pk).first()
    if found is None:
        raise AccessDenied(gettext_lazy("没有找到该享受待遇记录,或不在您的管辖范围内"))
    return found


def event_get_for(user: User, pk: int) -> HardshipEvent:
    _need(permissions.can_see_benefits(user), gettext_lazy("没有找到该记录"))
    found = scope(user, HardshipEvent.objects.select_related("child")).filter(pk=pk).first()
    if found is None:
        raise AccessDenied(gettext_lazy("没有找到该困境事件,或不在您的管辖范围内"))
    return found


# ---------------------------------------------------------------- the gap list (应保尽保)


@dataclass(frozen=True)
class GapFilters:
    division_code: str = ""
    benefit: str = ""


def _narrowed(queryset: QuerySet, filters: GapFilters, benefit_field: str) -> QuerySet:
    if filters.division_code:
        queryset = queryset.filter(division_code__startswith=filters.division_code)
    if filters.benefit:
        queryset = queryset.filter(**{benefit_field: filters.benefit})
    return queryset


def unreceived_for(user: User, filters: GapFilters, on: date) -> QuerySet[ChildFinding]:
    """Eligible for a benefit and not recorded as receiving it on the day (应保未保)."""
    _need(permissions.can_see_benefits(user), gettext_lazy("您的角色不能查看保障名单"))
    receiving = BenefitReceipt.objects.filter(
        in_force(on), child_id=OuterRef("child_id"), benefit=OuterRef("code")
    )
    eligible = ChildFinding.objects.filter(
        kind=FindingKind.BENEFIT, is_current=True, child__is_active=True
    )
    found = scope(user, _narrowed(eligible, filters, "code")).filter(~Exists(receiving))
    return found.select_related("child", "child__division").order_by(
        "division_code", "child_id", "code"
    )


def unentitled_for(user: User, filters: GapFilters, on: date) -> QuerySet[BenefitReceipt]:
    """Receiving a benefit the file no longer (or never) qualifies for, with when and why it
    ended (a birthday, a parent released or back home, a closed file)."""
    _need(permissions.can_see_benefits(user), gettext_lazy("您的角色不能查看保障名单"))
    eligible = ChildFinding.objects.filter(
        child_id=OuterRef("child_id"), kind=FindingKind.BENEFIT, code=OuterRef("benefit")
    )
    last_ended = eligible.filter(is_current=False).order_by("-ended_on", "-id")
    receipts = scope(
        user, _narrowed(BenefitReceipt.objects.filter(in_force(on)), filters, "benefit")
    )
    return (
        receipts.filter(~Exists(eligible.filter(is_current=True)))
        .annotate(
            ended_on=Subquery(last_ended.values("ended_on")[:1]),
            end_reason=Subquery(last_ended.values("end_reason")[:1]),
            last_reason=Subquery(last_ended.values("reason")[:1]),
        )
        .select_related("child", "child__division")
        .order_by("division_code", "child_id", "benefit")
    )


@dataclass
class NodeTable:
    """Children counted per node below the user's (or the chosen) node, one column per list."""

    columns: list[Message]
    rows: list[tuple[Division, list[tuple[Message, int]]]]  # (node, [(column, children)])


def nodes_below(user: User, division_code: str = "") -> list[Division]:
    """The nodes a summary is broken down into: the children of the chosen or the user's node."""
    top = Division.objects.filter(code=division_code).first() if division_code else user.division
    if top is None:
        return list(Division.objects.filter(parent__isnull=True).order_by("code"))
    below = list(top.children.order_by("code"))
    return below or [top]


def node_table(
    user: User, division_code: str, columns: Sequence[tuple[Message, QuerySet]]
) -> NodeTable:
    """Distinct children of each (label, scoped queryset) per village, added up per node."""
    nodes = nodes_below(user, division_code)
    cells = {node.prefix: [0] * len(columns) for node in nodes}
    for index, (_, queryset) in enumerate(columns):
        per_village = queryset.order_by().values("division_code")
        for row in per_village.annotate(n=Count("child_id", distinct=True)):
            for prefix, counts in cells.items():
                if row["division_code"].startswith(prefix):
                    counts[index] += row["n"]
                    break
    labels = [label for label, _ in columns]
    return NodeTable(labels, [(n, list(zip(labels, cells[n.prefix], strict=True))) for n in nodes])


def gap_summary_for(user: User, filters: GapFilters, on: date) -> NodeTable:
    """Per node: children eligible and not receiving, and receiving and no longer eligible."""
    return node_table(
        user,
        filters.division_code,
        [
            ("应保未保", unreceived_for(user, filters, on)),
            ("已不符合仍在享受", unentitled_for(user, filters, on)),
        ],
    )


def category_summary_for(user: User, division_code: str = "") -> NodeTable:
    """Per node: children in each category today."""
    _need(permissions.can_see_benefits(user), gettext_lazy("您的角色不能查看类别统计"))
    findings = scope(
        user,
        ChildFinding.objects.filter(
            kind=FindingKind.CATEGORY, is_current=True, child__is_active=True
        ),
    )
    if division_code:
        findings = findings.filter(division_code__startswith=division_code)
    columns = [(category.label, findings.filter(code=category.value)) for category in Category]
    return node_table(user, division_code, columns)


# ---------------------------------------------------------------- changes to confirm


def changes_for(user: User, *, division_code: str = "") -> QuerySet[FindingChange]:
    """Starts and ends not yet confirmed, in the user's jurisdiction."""
    _need(permissions.can_confirm_changes(user), gettext_lazy("您的角色不能确认认定变化"))
    changes = scope(user, FindingChange.objects.filter(confirmed_at__isnull=True))
    if division_code:
        changes = changes.filter(division_code__startswith=division_code)
    return changes.select_related("child", "child__division").order_by(
        "division_code", "child_id", "on", "id"
    )


def changes_get_for(user: User, ids: list[int]) -> list[FindingChange]:
    found = list(changes_for(user).filter(pk__in=ids))
    _need(len(found) == len(set(ids)), gettext_lazy("没有找到这些记录,或不在您的管辖范围内"))
    return found


# ---------------------------------------------------------------- parameters


def parameters_for(user: User) -> QuerySet[RuleParameter]:
    """Rows that can apply in the user's jurisdiction: national, above it and inside it."""
    _need(permissions.can_see_benefits(user), gettext_lazy("您的角色不能查看规则参数"))
    prefix = user_prefix(user)
    if prefix is None:
        return RuleParameter.objects.none()
    rows = RuleParameter.objects.all()
    if prefix:
        rows = rows.filter(Q(area_code__in=area_prefixes(prefix)) | Q(area_code__startswith=prefix))
    return rows.order_by("name", "area_code", "-effective_from")


# ---------------------------------------------------------------- the panel on the child's page


@dataclass
class ChildPanel:
    categories: list[ChildFinding]
    benefits: list[tuple[ChildFinding, bool]]  # (finding, recorded as receiving today)
    unentitled: list[BenefitReceipt]  # receiving today without a current finding
    receipts: list[BenefitReceipt]
    events: list[HardshipEvent]
    history: list[ChildFinding]
    show_reasons: bool
    show_benefits: bool
    can_record: bool
    can_propose: bool  # the township proposes a benefit owed and not received (benefits app)


def _covers(receipt: BenefitReceipt, on: date) -> bool:
    return receipt.start_on <= on and (receipt.end_on is None or receipt.end_on >= on)


def child_panel_for(user: User, child: Child, on: date) -> ChildPanel:
    """What the rules found for a child, and what it receives; benefits for the roles that see them.

    Read once per child object, user and day: the file page shows it twice (the summary card
    and the panel)."""
    read = child.__dict__.setdefault("_rules_panels", {})
    key = (user.pk, on)
    if key not in read:
        read[key] = _child_panel(user, child, on)
    return read[key]


def _child_panel(user: User, child: Child, on: date) -> ChildPanel:
    show_benefits = permissions.can_see_benefits(user)
    kinds = [FindingKind.CATEGORY, FindingKind.BENEFIT] if show_benefits else [FindingKind.CATEGORY]
    findings = list(
        findings_for(user, child).filter(kind__in=kinds).order_by("kind", "code", "-started_on")
    )
    current = [f for f in findings if f.is_current]
    receipts = list(receipts_for(user, child)) if show_benefits else []
    in_force_now = [r for r in receipts if _covers(r, on)]
    receiving = {r.benefit for r in in_force_now}
    eligible = {f.code for f in current if f.kind == FindingKind.BENEFIT}
    return ChildPanel(
        categories=[f for f in current if f.kind == FindingKind.CATEGORY],
        benefits=[(f, f.code in receiving) for f in current if f.kind == FindingKind.BENEFIT],
        unentitled=[r for r in in_force_now if r.benefit not in eligible],
        receipts=receipts,
        events=list(events_for(user, child)) if show_benefits else [],
        history=[f for f in findings if not f.is_current],
        show_reasons=permissions.can_see_reasons(user),
        show_benefits=show_benefits,
        can_record=permissions.can_record_benefits(user),
        can_propose=account_permissions.can_propose_benefits(user),
    )


def current_findings(code: str) -> QuerySet[ChildFinding]:
    """Current findings of a category or benefit (for filters on other lists, which scope)."""
    return ChildFinding.objects.filter(code=code, is_current=True)

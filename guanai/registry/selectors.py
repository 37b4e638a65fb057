"""Reads of the child's file. Everything goes through jurisdiction scoping first."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts import permissions
from guanai.accounts.models import Role, User
from guanai.accounts.scoping import area_for, scope
from guanai.core.errors import AccessDenied
from guanai.geo.models import Level, code_prefix_q
from guanai.registry.choices import AgeBand
from guanai.registry.extensions import child_list_condition, grouped, stored_counts
from guanai.registry.idnumber import normalize
from guanai.registry.models import Child, Guardian, Household, Revision, School

FEW_MATCHES = 500
ID_CHARS = re.compile(r"^[0-9Xx]+$")
LATIN = re.compile(r"^[A-Za-z ]+$")


@dataclass(frozen=True)
class ChildFilters:
    text: str = ""
    division_code: str = ""
    school_id: int | None = None
    include_inactive: bool = False
    missing_id: bool = False
    # the list filters other apps add (registry.extensions), by key: {"category": ...}
    extra: dict[str, str] = field(default_factory=dict)
    age_band: str = ""  # an AgeBand value, age on the day of the request
    missing_guardian: bool = False


def children_for(user: User) -> QuerySet[Child]:
    return scope(user, Child.objects.all())


def child_list_for(user: User, filters: ChildFilters | None = None) -> QuerySet[Child]:
    filters = filters or ChildFilters()
    children = children_for(user)
    if not filters.include_inactive:
        children = children.filter(is_active=True)
    if filters.division_code:
        children = children.filter(code_prefix_q("division_code", filters.division_code))
    if filters.school_id:
        children = children.filter(school_id=filters.school_id)
    if filters.missing_id:
        children = children.filter(id_number__isnull=True)
    if filters.missing_guardian:
        children = children.filter(~Exists(Guardian.objects.filter(child=OuterRef("pk"))))
    if filters.age_band in AgeBand.values:
        children = children.filter(age_q(timezone.localdate(), *AgeBand(filters.age_band).years))
    if filters.text:
        children = children.filter(text_query(filters.text))
    if filters.extra:
        children = children.filter(child_list_condition(filters.extra))
    if filters.text:
        # Asked for an ordered first page, the planner walks the list index hoping to meet a
        # match soon; for a rare name that reads the whole county. So look for the matches
        # first, unordered: when there are few, order just those; when there are many, the
        # walk meets them soon enough.
        few = list(children.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(few) <= FEW_MATCHES:
            children = Child.objects.filter(pk__in=few)
    return children.select_related("division", "school").order_by("division_code", "name", "id")


def _years_ago(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_q(on: date, low: int, high: int) -> Q:
    """Children whose age in completed years on the day is within [low, high]."""
    return Q(birth_date__lte=_years_ago(on, low), birth_date__gt=_years_ago(on, high + 1))


def text_query(text: str) -> Q:
    """Name (characters, pinyin, initials) or identity number (whole or its last digits)."""
    text = normalize(text) if ID_CHARS.match(text.strip()) else text.strip()
    if ID_CHARS.match(text):
        if len(text) == 18:
            return Q(id_number=text.upper())
        if len(text) <= 6:
            return Q(id_number_tail__endswith=text.upper())
        return Q(id_number__contains=text.upper())
    if LATIN.match(text):
        latin = text.replace(" ", "").lower()
        return Q(name_pinyin__startswith=latin) | Q(name_initials__startswith=latin)
    # Characters: the full name or the surname (a prefix of the name), or the given name
    # (names.split_name). Each has an index: the given name its b-tree under any collation, the
    # prefix the name b-tree under the C collation and the trigram index otherwise. A substring
    # match of two characters (a given name) has none and read the whole county.
    return Q(name__startswith=text) | Q(given_name=text)


def child_get_for(user: User, pk: int) -> Child:
    """The child if the user's jurisdiction covers it; AccessDenied (shown as 404) otherwise."""
    child = (
        children_for(user)
        .select_related("household", "division", "school", "father", "mother", "created_by")
        .prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.order_by("-is_primary", "id"))
        )
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise AccessDenied(_("没有找到该儿童档案,或不在您的管辖范围内"))
    return child


def school_list_for(user: User) -> QuerySet[School]:
    """Schools that may be put on a file: those of the user's county (all for administrators)."""
    county_prefix = user.division.code[:6] if user.division is not None else ""
    return School.objects.filter(division_code__startswith=county_prefix)


def household_list_for(user: User) -> QuerySet[Household]:
    return scope(user, Household.objects.all())


def household_get_for(user: User, pk: int) -> Household:
    household = household_list_for(user).filter(pk=pk).first()
    if household is None:
        raise AccessDenied(_("没有找到该家庭,或不在您的管辖范围内"))
    return household


def revision_list_for(user: User, child: Child) -> QuerySet[Revision]:
    """The file's past versions, newest first; none for a role that may not see its history."""
    revisions = scope(user, Revision.objects.filter(child=child)).order_by("-number")
    return revisions if permissions.can_see_file_history(user) else revisions.none()


def siblings_of(user: User, child: Child) -> QuerySet[Child]:
    return children_for(user).filter(household_id=child.household_id).exclude(pk=child.pk)


def home_summary(user: User) -> dict:
    """The home page's counts: the user's children and those without an ID number, and the same
    per node below. A county or township reads them from the counts kept ahead (stats' stored
    summaries, at most minutes old, `counted_at` says when) rather than counting its files on
    every visit; a village, a carer, an administrator, or a node with none fresh count live."""
    if user.division is None or user.role == Role.CARER:
        # One pass over the files for both counts.
        return (
            children_for(user)
            .filter(is_active=True)
            .aggregate(
                children=Count("id"), missing_id=Count("id", filter=Q(id_number__isnull=True))
            )
        )
    child_nodes = list(user.division.children.all())
    length = len(child_nodes[0].prefix) if child_nodes else len(user.division.prefix)
    totals: dict[str, dict] = {
        d.prefix: {"division": d, "total": 0, "missing_id": 0} for d in child_nodes
    }
    summary: dict[str, Any] = {"children": 0, "missing_id": 0}
    stored = None
    if user.division.level != Level.VILLAGE:
        stored = stored_counts(area_for(user, user.division), length, ["children", "with_id"])
    if stored is not None:
        counts, summary["counted_at"] = stored
        rows: Iterable[dict[str, Any]] = [
            {"key": key, "total": c["children"], "missing_id": c["children"] - c["with_id"]}
            for key, c in counts.items()
        ]
    else:
        rows = grouped(children_for(user).filter(is_active=True), length).annotate(
            total=Count("id"), missing_id=Count("id", filter=Q(id_number__isnull=True))
        )
    for row in rows:
        summary["children"] += row["total"]
        summary["missing_id"] += row["missing_id"]
        entry = totals.get(str(row["key"]))
        if entry is not None:
            entry["total"] += row["total"]
            entry["missing_id"] += row["missing_id"]
    summary["by_division"] = sorted(totals.values(), key=lambda e: e["division"].code)
    return summary

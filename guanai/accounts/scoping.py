"""Jurisdiction scoping: the one gate between code and the people and records it may reach.

The rule. A user reaches the rows of their own node and below, for reads *and* writes:
pages, exports, the API, imports, merges, review decisions and tasks run for them. A carer
reaches only what hangs off their own pairings in force today. Administrators reach
everything. Nobody else reaches anything. A service never trusts that its caller checked:
it asks the gate itself.

The gate is one family of functions:
- `scope(user, queryset)`: the rows of a queryset the user may reach (filter reads, and
  filter the queryset a write updates or locks, so a write outside cannot happen).
- `scope_acting(actor, queryset)`: the same for services that also run at the command line
  with no user (`guanai import` by the server's administrator).
- `division_visible(user, code)` / `require_division(user, code)`: may the user act in this
  area (before creating a row there, or choosing a node)?
- `area_for(user, division)`: an `Area` for work over one node's whole subtree (figures,
  reports), granted only when the node is the user's; `within(area, queryset)` the rows of it.
- `unscoped(queryset, purpose=...)`: the deliberately unscoped paths — system batch jobs that
  act for nobody (nightly rules, due items, reminders, seeding) and existence checks that
  must see across boundaries without showing what they saw (an ID number already on file
  elsewhere). Every such purpose is listed, with why, in `UNSCOPED` below and nowhere else.

A model opts in by declaring `scope_division_field` (the field holding the 12-digit village
code of the record) and, where carers see records, `scope_pairing_path` (the path to
care.Pairing; "" on Pairing itself). A row about two places (a roster row proposed for a
file) names the other in `scope_also_division_fields`: it is reached only where both are. `guanai/accounts/tests/test_one_gate.py` fails when a
query on such a model appears outside selectors without passing through this gate.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.core.errors import AccessDenied, Message
from guanai.geo.models import Division, code_prefix_q

# The deliberately unscoped paths: purpose -> why it may look past every jurisdiction.
UNSCOPED = {
    "rules batch": "每晚为全部儿童重新认定类别和待遇,不为任何用户行事,结果仍按辖区显示",
    "rules on save": "保存档案后按该儿童本人的事实重新认定(调用方已在辖区内写入该档案)",
    "due items": "按结对和任务模板生成、核销、撤销关爱任务,系统任务,不为任何用户行事",
    "reminders": "每日提醒:通知写给各自的结对人和工作人员,按其辖区生成",
    "seed": "生成合成演示县(guanai seed / demo / rosters),无真实个人数据",
    "carer load": "一名爱心人士已结对几名儿童(不论在哪个村):只用其数目提示超限",
    "duplicate id": "同一身份证号是否已在别处登记:只回答是否存在,不显示那名儿童",
    "protection clocks": "保护个案响应时限、任务逾期和回访到期的定时检查,系统任务;通知只发给个案的承办人、督导员和县级专干",
    "window clocks": "转办办理时限的定时检查(超时、上报县级),系统任务;通知只发给承办部门、乡镇督导员和县级民政",
    "children list filter": "儿童列表按“有保护个案”筛选:只作为条件,列表本身按辖区限定,不显示个案",
    "file closed": "档案注销时结束该儿童的结对:注销已由有权限的用户在辖区内完成,此处只跟随",
    "import cli": "guanai import 未指定用户时由服务器管理员在命令行运行,全县范围",
    "stats summaries": "统计汇总表按县预先计数(只存各村的数目,不含个人信息);仪表盘读取时仍按用户辖区限定节点",
    "review state": "信息审核状态跟随同一档案的写入:调用方已在辖区内写入或审核该档案,此处只更新该档案自身的待审核标记",
}


class NotScopable(TypeError):
    pass


def user_prefix(user: User) -> str | None:
    """The division-code prefix the user sees; '' for administrators, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN or user.is_superuser:
        return ""
    division = user.division
    return None if division is None else division.prefix


def in_force_q(day: date, path: str = "") -> Q:
    """Pairings in force on a day (`path` leads from the queried model to care.Pairing)."""
    p = f"{path}__" if path else ""
    return Q(**{f"{p}start_date__lte": day}) & (
        Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gte": day})
    )


def _division_field(model: type[Model]) -> str:
    division_field = getattr(model, "scope_division_field", None)
    if division_field is None:
        raise NotScopable(f"{model.__name__} declares no scope_division_field")
    return division_field


def scope_filter(user: User, model: type[Model]) -> Q:
    division_field = _division_field(model)
    prefix = user_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    q = code_prefix_q(division_field, prefix)
    for also in getattr(model, "scope_also_division_fields", ()):
        q &= code_prefix_q(also, prefix)
    if user.role == Role.CARER:
        pairing_path = getattr(model, "scope_pairing_path", None)
        if pairing_path is None:
            return Q(pk__in=[])
        p = f"{pairing_path}__" if pairing_path else ""
        paired = Q(**{f"{p}carer_id": user.pk}) & in_force_q(timezone.localdate(), pairing_path)
        # Through a subquery, not a join: a child with two pairings stays one row, and the
        # result can still be updated or locked (DISTINCT cannot).
        q &= Q(pk__in=model._default_manager.filter(paired).values("pk"))
    return q


def scope(user: User, queryset: QuerySet) -> QuerySet:
    """Restrict a queryset of a scoped model to what the user may see and change."""
    return queryset.filter(scope_filter(user, queryset.model))


def scope_acting(actor: User | None, queryset: QuerySet) -> QuerySet:
    """`scope()` for the acting user; no user is `guanai import` run by the server's
    administrator at the command line, over the whole registry."""
    if actor is None:
        return unscoped(queryset, purpose="import cli")
    return scope(actor, queryset)


def division_visible(user: User, code: str) -> bool:
    prefix = user_prefix(user)
    return prefix is not None and code.startswith(prefix)


OUTSIDE = _("不在您的管辖范围内")


def require_division(user: User, code: str, message: Message = OUTSIDE, **values: Any) -> None:
    if not division_visible(user, code):
        raise AccessDenied(message, **values)


@dataclass(frozen=True)
class Area:
    """One node's whole subtree, granted to a user (or to a purpose listed in UNSCOPED)."""

    prefix: str
    granted_to: str


def area_for(user: User, division: Division) -> Area:
    require_division(user, division.code)
    return Area(division.prefix, user.username)


def within(area: Area, queryset: QuerySet) -> QuerySet:
    """The rows of a granted area (figures count every child there, carers' limits aside)."""
    return queryset.filter(code_prefix_q(_division_field(queryset.model), area.prefix))


def _declared(purpose: str) -> None:
    if purpose not in UNSCOPED:
        raise NotScopable(f"“{purpose}” is not a declared unscoped purpose")


def unscoped_area(prefix: str, *, purpose: str) -> Area:
    _declared(purpose)
    return Area(prefix, purpose)


def unscoped(queryset: QuerySet, *, purpose: str) -> QuerySet:
    """Every row, for a purpose declared in UNSCOPED (the one list of such paths)."""
    _declared(purpose)
    return queryset

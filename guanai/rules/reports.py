"""The gap list (应保尽保) as xlsx: rows for each list, written by the registry's xlsx writer
(formula-safe cells: a leading apostrophe before = + - @). Audited."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from guanai.accounts.models import User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied
from guanai.registry.reports import RosterExport, xlsx_export
from guanai.rules import permissions, selectors
from guanai.rules.choices import finding_label

UNRECEIVED_COLUMNS = [
    (gettext_noop("村(居)"), 14),
    (gettext_noop("姓名"), 10),
    (gettext_noop("出生日期"), 12),
    (gettext_noop("保障待遇"), 26),
    (gettext_noop("认定依据"), 70),
    (gettext_noop("符合起始"), 30),
    (gettext_noop("按现有档案截止"), 24),
    (gettext_noop("认定日期"), 12),
]
UNENTITLED_COLUMNS = [
    (gettext_noop("村(居)"), 14),
    (gettext_noop("姓名"), 10),
    (gettext_noop("出生日期"), 12),
    (gettext_noop("保障待遇"), 26),
    (gettext_noop("开始享受"), 12),
    (gettext_noop("月发放金额(元)"), 14),
    (gettext_noop("不再符合自"), 12),
    (gettext_noop("原因"), 70),
]
LISTS = {
    "unreceived": ("应保未保名单", UNRECEIVED_COLUMNS),
    "unentitled": ("已不符合仍在享受名单", UNENTITLED_COLUMNS),
}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def unreceived_rows(findings: QuerySet) -> Iterator[list[Any]]:
    for f in findings.iterator(chunk_size=2000):
        until = f"{_day(f.valid_until)} {f.until_reason}".strip()
        yield [
            f.child.division.name,
            f.child.name,
            _day(f.child.birth_date),
            f.label,
            f.reason + ("(依据待审核)" if f.pending_review else ""),
            f.started_words,
            until,
            _day(f.as_of),
        ]


def unentitled_reason(receipt) -> str:
    """Why a receipt is no longer backed by the file (annotated by the selector)."""
    if receipt.end_reason:
        return f"{receipt.end_reason}(原认定:{receipt.last_reason})"
    return "档案中没有符合该待遇的情况"


def unentitled_rows(receipts: QuerySet) -> Iterator[list[Any]]:
    for r in receipts.iterator(chunk_size=2000):
        amount = "" if r.monthly_amount is None else float(r.monthly_amount)
        yield [
            r.child.division.name,
            r.child.name,
            _day(r.child.birth_date),
            finding_label("benefit", r.benefit),
            _day(r.start_on),
            amount,
            _day(r.ended_on),
            unentitled_reason(r),
        ]


def gap_xlsx(*, actor: User, which: str, filters: selectors.GapFilters) -> RosterExport:
    """One of the two lists, in scope and filter, as xlsx in a temporary file."""
    if not permissions.can_export_gaps(actor):
        raise AccessDenied(_("您的角色不能导出保障名单"))
    today = timezone.localdate()
    name, columns = LISTS[which]
    if which == "unreceived":
        rows = unreceived_rows(selectors.unreceived_for(actor, filters, today))
    else:
        rows = unentitled_rows(selectors.unentitled_for(actor, filters, today))
    benefit = finding_label("benefit", filters.benefit) if filters.benefit else ""
    title = f"{name}{'(' + benefit + ')' if benefit else ''} {today.isoformat()}"
    export = xlsx_export(sheet_name=name, title=title, columns=columns, rows=rows)
    audit(
        actor=actor,
        action=Action.EXPORT,
        object_type="rules.gaplist",
        label=title,
        division_code=filters.division_code or (actor.division.code if actor.division else ""),
        detail=f"导出{name} {export.rows} 条;条件:区划 {filters.division_code or '全部'}、"
        f"保障 {filters.benefit or '全部'}",
    )
    return export

"""A payment batch as xlsx: its claims by institution, each institution's subtotal and the
batch's total, from the frozen amounts (the same file whenever it is downloaded). Written by
the registry's xlsx writer (`xlsx_export`: formula-safe cells, a temporary file)."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from guanai.accounts.models import User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied
from guanai.disability import permissions
from guanai.disability.models import PaymentBatch
from guanai.disability.selectors import claim_list_for
from guanai.registry.reports import RosterExport, xlsx_export

COLUMNS = [
    (gettext_noop("定点康复机构"), 24),
    (gettext_noop("序号"), 6),
    (gettext_noop("儿童姓名"), 10),
    (gettext_noop("村(居)代码"), 14),
    (gettext_noop("救助项目"), 14),
    (gettext_noop("结算期"), 22),
    (gettext_noop("训练月数"), 8),
    (gettext_noop("总费用"), 12),
    (gettext_noop("医保等先行支付"), 14),
    (gettext_noop("适用标准"), 10),
    (gettext_noop("救助金额"), 12),
    (gettext_noop("计算说明"), 60),
]


def batch_rows(user: User, batch: PaymentBatch) -> Iterator[list[Any]]:
    claims = (
        claim_list_for(user)
        .filter(batch=batch)
        .order_by("institution__name", "institution_id", "application__child__name", "id")
    )
    current, number, name = None, 0, ""
    subtotal = [Decimal(0), Decimal(0)]
    total = [Decimal(0), Decimal(0)]
    for claim in claims:
        if claim.institution_id != current:
            if current is not None:
                yield [f"{name} 小计", "", "", "", "", "", "", subtotal[0], "", "", subtotal[1], ""]
            current, number, subtotal = claim.institution_id, 0, [Decimal(0), Decimal(0)]
            name = claim.institution.name
        number += 1
        subtotal[0] += claim.cost
        subtotal[1] += claim.payable
        total[0] += claim.cost
        total[1] += claim.payable
        yield [
            name,
            number,
            claim.application.child.name,
            claim.division_code,
            claim.application.get_kind_display(),
            f"{claim.period_start:%Y-%m-%d}至{claim.period_end:%Y-%m-%d}",
            claim.months if claim.months is not None else "",
            claim.cost,
            claim.paid_first,
            claim.standard if claim.standard is not None else "",
            claim.payable,
            claim.words,
        ]
    if current is not None:
        yield [f"{name} 小计", "", "", "", "", "", "", subtotal[0], "", "", subtotal[1], ""]
    yield ["合计", "", "", "", "", "", "", total[0], "", "", total[1], ""]


def batch_xlsx(*, actor: User, batch: PaymentBatch) -> RosterExport:
    if not permissions.can_make_batches(actor):
        raise AccessDenied(_("您的角色不能导出拨付批次"))
    title = f"康复救助拨付批次 {batch.number}"
    export = xlsx_export(
        sheet_name="拨付明细", title=title, columns=COLUMNS, rows=batch_rows(actor, batch)
    )
    audit(
        actor=actor,
        action=Action.EXPORT,
        target=batch,
        detail=f"导出拨付批次 {batch.number}:{batch.claim_count} 笔",
    )
    return export

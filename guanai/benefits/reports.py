"""A frozen payment list as xlsx for finance: by township, with subtotals and the total."""

from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby

from django.utils.translation import gettext_noop

from guanai.accounts.models import User
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.benefits.models import PaymentList
from guanai.benefits.selectors import payment_lines
from guanai.registry.reports import RosterExport, xlsx_export

COLUMNS = [
    (gettext_noop("乡镇(街道)"), 16),
    (gettext_noop("村(居)"), 16),
    (gettext_noop("姓名"), 10),
    (gettext_noop("身份证号"), 22),
    (gettext_noop("领取人"), 10),
    (gettext_noop("月发放金额(元)"), 14),
    (gettext_noop("开始享受"), 12),
    (gettext_noop("备注"), 30),
]


def _rows(actor: User, payment_list: PaymentList) -> Iterator[list]:
    lines = payment_lines(actor, payment_list).order_by("township", "division_code", "name", "id")
    total = Decimal(0)
    for township, group in groupby(lines, key=lambda line: line.township):
        subtotal = Decimal(0)
        for line in group:
            amount = line.amount or Decimal(0)
            subtotal += amount
            yield [
                line.township,
                line.village,
                line.name,
                line.id_number_masked,
                line.payee_masked,
                amount,
                line.start_on,
                line.reason,
            ]
        total += subtotal
        yield [f"{township} 小计", "", "", "", "", subtotal, "", ""]
    yield ["合计", "", "", "", "", total, "", ""]


def payment_list_xlsx(*, actor: User, payment_list: PaymentList) -> RosterExport:
    title = (
        f"{payment_list.month:%Y年%m月}{payment_list.get_benefit_display()}发放名册"
        f" 第{payment_list.version}版"
    )
    export = xlsx_export(
        sheet_name="发放名册", title=title, columns=COLUMNS, rows=_rows(actor, payment_list)
    )
    audit(actor=actor, action=Action.EXPORT, target=payment_list, detail=f"导出 {title}")
    return export

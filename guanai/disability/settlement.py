"""How much rehabilitation assistance pays on a claim (seed 004 篇10), with the sum in words.

Basic medical insurance, critical-illness insurance, supplementary insurance and medical
assistance pay first. Of the rest: where it is above the standard, the standard is paid; where
it is below, the actual amount. A yearly standard (training, early intervention) is the year's:
claims of one application in one year share it. With at least `min_months` months of training
in the year the whole yearly standard applies; with fewer, at most `monthly_cap` a month. A
device the disabled persons' federation already issued free is paid nothing. Pure: Decimal in,
Decimal and words out.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Standard:
    amount: Decimal
    yearly: bool = False
    min_months: int | None = None
    monthly_cap: Decimal | None = None


@dataclass(frozen=True)
class Settlement:
    payable: Decimal
    rest: Decimal  # what is left after the insurances and medical assistance
    limit: Decimal  # the most the standard allows on this claim
    words: str


def yuan(value: Decimal) -> str:
    """12000 as "12000", 1234.5 as "1234.50"."""
    value = value.quantize(CENT, ROUND_HALF_UP)
    return f"{value:f}".removesuffix(".00")


def limit_for(standard: Standard, months: int, prior_months: int, prior_paid: Decimal) -> Decimal:
    """The most this claim may be paid under the standard, given the year's earlier claims."""
    if not standard.yearly:
        return standard.amount
    total_months = prior_months + months
    year_cap = standard.amount
    short = standard.min_months is not None and total_months < standard.min_months
    if short and standard.monthly_cap is not None:
        year_cap = min(year_cap, standard.monthly_cap * total_months)
    return max(year_cap - prior_paid, ZERO)


def settle(
    *,
    cost: Decimal,
    paid_first: Decimal,
    standard: Standard | None,
    months: int = 0,
    prior_months: int = 0,
    prior_paid: Decimal = ZERO,
    issued_free: bool = False,
) -> Settlement:
    rest = max(cost - paid_first, ZERO).quantize(CENT, ROUND_HALF_UP)
    head = f"总费用 {yuan(cost)} 元,医保等先行支付 {yuan(paid_first)} 元,余额 {yuan(rest)} 元"
    if issued_free:
        return Settlement(ZERO, rest, ZERO, f"{head};该器具已由残联免费发放,不予救助")
    if standard is None:
        return Settlement(ZERO, rest, ZERO, f"{head};无适用的救助标准,不予救助")
    limit = limit_for(standard, months, prior_months, prior_paid).quantize(CENT, ROUND_HALF_UP)
    phrase = _standard_words(standard, months, prior_months, prior_paid, limit)
    if rest > limit:
        payable, words = limit, f"余额 {yuan(rest)} 元高于{phrase},按标准支付"
    else:
        payable, words = rest, f"余额 {yuan(rest)} 元不高于{phrase},按实际支付"
    return Settlement(payable, rest, limit, f"{head};{words} {yuan(payable)} 元")


def _standard_words(
    standard: Standard, months: int, prior_months: int, prior_paid: Decimal, limit: Decimal
) -> str:
    """ "标准 12000 元", or the yearly standard with what the year's months and claims leave."""
    if not standard.yearly:
        return f"标准 {yuan(limit)} 元"
    notes = []
    total = prior_months + months
    if standard.min_months is not None and total < standard.min_months and standard.monthly_cap:
        notes.append(
            f"本年训练 {total} 个月,不足 {standard.min_months} 个月,"
            f"每月不超过 {yuan(standard.monthly_cap)} 元"
        )
    else:
        notes.append(f"每年 {yuan(standard.amount)} 元")
    if prior_paid > 0:
        notes.append(f"本年已付 {yuan(prior_paid)} 元")
    return f"标准 {yuan(limit)} 元({','.join(notes)})"

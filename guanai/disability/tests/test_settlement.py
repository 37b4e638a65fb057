from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guanai.disability.settlement import Standard, settle

ONCE = Standard(amount=Decimal("12000"))
TRAINING = Standard(
    amount=Decimal("17000"), yearly=True, min_months=10, monthly_cap=Decimal("1700")
)


def test_it_pays_the_standard_when_the_rest_is_above_it():
    result = settle(cost=Decimal("25000"), paid_first=Decimal("5000"), standard=ONCE)
    assert result.payable == Decimal("12000")
    assert "余额 20000 元高于标准 12000 元,按标准支付 12000 元" in result.words


def test_it_pays_the_actual_amount_below_the_standard():
    result = settle(cost=Decimal("9000"), paid_first=Decimal("1500.50"), standard=ONCE)
    assert result.payable == Decimal("7499.50")
    assert "余额 7499.50 元不高于标准 12000 元,按实际支付 7499.50 元" in result.words


def test_training_short_of_ten_months_is_capped_by_the_month():
    result = settle(cost=Decimal("20000"), paid_first=Decimal(0), standard=TRAINING, months=6)
    assert result.payable == Decimal("10200")
    assert "本年训练 6 个月,不足 10 个月,每月不超过 1700 元" in result.words


def test_training_of_ten_months_gets_the_yearly_standard():
    result = settle(cost=Decimal("30000"), paid_first=Decimal(0), standard=TRAINING, months=10)
    assert result.payable == Decimal("17000")


def test_the_year_is_shared_by_its_claims():
    result = settle(
        cost=Decimal("9000"),
        paid_first=Decimal(0),
        standard=TRAINING,
        months=4,
        prior_months=8,
        prior_paid=Decimal("13600"),
    )
    assert result.payable == Decimal("3400")  # 17000 for the year, 13600 already paid
    assert "本年已付 13600 元" in result.words


def test_a_device_issued_free_is_paid_nothing():
    result = settle(cost=Decimal("4800"), paid_first=Decimal(0), standard=ONCE, issued_free=True)
    assert result.payable == 0
    assert "已由残联免费发放" in result.words


money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
standards = st.sampled_from(
    [
        ONCE,
        TRAINING,
        Standard(amount=Decimal("1000"), yearly=True),
        Standard(amount=Decimal("24000"), yearly=True, min_months=10, monthly_cap=Decimal("2400")),
    ]
)


@given(
    cost=money,
    paid=money,
    standard=standards,
    months=st.integers(0, 12),
    prior=st.integers(0, 12),
    prior_paid=money,
)
def test_it_never_pays_more_than_the_rest_or_the_standard(
    cost, paid, standard, months, prior, prior_paid
):
    paid_first = min(paid, cost)
    result = settle(
        cost=cost,
        paid_first=paid_first,
        standard=standard,
        months=months,
        prior_months=prior,
        prior_paid=prior_paid,
    )
    assert 0 <= result.payable <= cost - paid_first
    assert result.payable <= standard.amount
    # a yearly standard is shared by the year's claims
    assert (
        not standard.yearly or result.payable == 0 or result.payable + prior_paid <= standard.amount
    )

    assert f"{result.payable:f}".removesuffix(".00") in result.words


@given(
    cost=money, paid=money, standard=standards, months=st.integers(0, 11), prior=st.integers(0, 12)
)
def test_more_months_never_pay_less(cost, paid, standard, months, prior):
    paid_first = min(paid, cost)

    def pay(m):
        return settle(
            cost=cost, paid_first=paid_first, standard=standard, months=m, prior_months=prior
        ).payable

    assert pay(months) <= pay(months + 1)

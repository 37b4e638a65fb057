import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from guanai.core import phones
from guanai.core.phones import PhoneField


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("13800001111", "13800001111"),
        ("１３８００００１１１１", "13800001111"),
        ("138 0000 1111", "13800001111"),
        ("+86 138-0000-1111", "13800001111"),
        ("0791-86123456", "0791-86123456"),
        ("（0791）8612345", "0791-8612345"),
        ("010 62345678", "01062345678"),
        ("0791—86123456转123", "0791-86123456-123"),
        ("", ""),
    ],
)
def test_it_reads_mobiles_and_landlines_as_typed_in_china(typed, stored):
    assert phones.clean(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["' OR 1=1--", "12345", "138000011112", "23800001111", "0791-0612345", "0791-861234", "电话"],
)
def test_it_refuses_what_is_no_mainland_number(typed):
    with pytest.raises(phones.PhoneError, match="应为 11 位手机号或带区号的固定电话"):
        phones.clean(typed)


@given(st.text(max_size=30))
def test_whatever_it_accepts_fits_the_published_pattern(text):
    try:
        number = phones.clean(text)
    except phones.PhoneError:
        return
    assert number == "" or phones.is_valid(number)
    assert phones.clean(number) == number  # normalising twice changes nothing


def test_the_form_field_normalises_then_refuses_with_the_rule():
    field = PhoneField(label="联系电话", required=False)
    assert field.clean("１３９ ０００ ０２２２２") == "13900002222"
    with pytest.raises(ValidationError, match="0791-86123456"):
        field.clean("' OR 1=1--")

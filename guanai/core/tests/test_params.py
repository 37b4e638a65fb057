import pytest

from guanai.core.params import MAX_ID, whole_number


@pytest.mark.parametrize(
    "text", [None, "", "abc", "-1", "1.5", " 1", "²", "٣", "1e3", str(MAX_ID + 1)]
)
def test_anything_but_plain_digits_in_range_is_none(text):
    assert whole_number(text) is None


def test_plain_digits_are_their_number():
    assert whole_number("42") == 42
    assert whole_number(str(MAX_ID)) == MAX_ID
    assert whole_number("2100", maximum=9999) == 2100
    assert whole_number("10000", maximum=9999) is None

"""Phone numbers of mainland China, as typed on pages, sent to the API and found on rosters.

One normaliser and one rule for every way a number comes in: full-width digits (NFKC), spaces
and dashes between groups, a +86 before a mobile number, an area code in brackets. What is
left must be a mobile number (1[3-9] and 9 more digits) or a landline: an area code (010, 02x,
or 0 and three digits), an optional hyphen, a local number of 7 or 8 digits (never starting with
0 or 1), and an optional extension after a hyphen or 转.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError

MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?"
# What a normalised number looks like; the OpenAPI schema publishes it (guanai/api/schemas.py).
PATTERN = rf"^(?:{MOBILE}|{LANDLINE})$"
EXAMPLES = "13800001111、0791-86123456"
MESSAGE = "应为 11 位手机号或带区号的固定电话,如 13800001111、0791-86123456(分机写在“-”后)"

_VALID = re.compile(PATTERN)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff70]")  # ‐ ‑ ‒ – — ― − ー ｰ, as typed
_AREA_IN_BRACKETS = re.compile(r"^\((0\d{2,3})\)-?")
_COUNTRY = re.compile(r"^(?:\+86|0086)-?(?=1)")
_EXTENSION = re.compile(r"(?:转|ext\.?|x)(\d{1,6})$", re.IGNORECASE)


class PhoneError(ValueError):
    def __init__(self, text: str):
        super().__init__(MESSAGE)
        self.text = text
        self.message = MESSAGE


def normalize(text: str) -> str:
    """The number in its plain form: a mobile as 11 digits, a landline as typed but in ASCII,
    without spaces, with one hyphen between its parts. Text that is no number comes back
    normalised but otherwise unchanged, for `clean` to refuse."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text or ""))
    text = "".join(text.split())
    text = _COUNTRY.sub("", text)
    text = _AREA_IN_BRACKETS.sub(r"\1-", text)
    text = _EXTENSION.sub(r"-\1", text)
    digits = text.replace("-", "")
    if re.fullmatch(MOBILE, digits):
        return digits
    return text


def is_valid(text: str) -> bool:
    return bool(_VALID.fullmatch(text))


def clean(text: str) -> str:
    """The normalised number, "" for an empty one; raises PhoneError (Chinese) otherwise."""
    number = normalize(text)
    if number and not is_valid(number):
        raise PhoneError(text)
    return number


class PhoneField(forms.CharField):
    """A form field for one number, cleaned to its normalised form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not is_valid(value):
            raise ValidationError(MESSAGE, code="phone")

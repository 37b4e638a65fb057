"""Whole numbers from query strings and hidden fields (ids, versions, years).

`str.isdigit` is true for "²" and "٣", which `int` refuses or reads, and a 30-digit id overflows
the database's 64-bit integers: both were 500s. Here anything but plain ASCII digits within range
is None, and the caller says what is wrong with it (or that nothing was found).
"""

MAX_ID = 2**63 - 1


def whole_number(text: str | None, *, maximum: int = MAX_ID) -> int | None:
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None

"""Chinese resident identity numbers (GB 11643), wrapped once around stdnum.cn.ric.

Pure Python (stdlib + python-stdnum): the forms, the importer and the synthetic
data generator all go through this module, so it must not import Django.

Policy differences from ``stdnum.cn.ric.validate`` (why they exist is noted inline):

* a region code must exist in stdnum's table, but a code created *after* the birth
  year is accepted: numbers were first issued in 1984-85 with the then-current
  county code, so everyone born earlier carries a "younger" code;
* a code abolished *before* the birth year is rejected (newborns get current codes);
* birth dates before 1900 or after today are rejected (stdnum checks neither);
* failures are reported in Chinese, date and region problems before the check digit,
  so a typo in the date is not misreported as "fix the last digit".
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from guanai.core.errors import Message, worded

__all__ = [
    "IdNumber",
    "PATTERN",
    "IdNumberError",
    "cross_check",
    "from_legacy_15",
    "is_typo_of",
    "known_county_codes",
    "make",
    "mask",
    "normalize",
    "parse",
    "stated_birth_and_sex",
]

MIN_BIRTH_YEAR = 1900

_FORMAT_18 = re.compile(r"[0-9]{17}[0-9X]")
# What a number looks like once normalised (published in the API schema); `parse` checks more.
PATTERN = r"^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$"
_DIGITS = re.compile(r"[0-9]+")

# Names GB/T 2260 uses for grouping rows rather than real places; showing
# "北京市 市辖区 朝阳区" would only add noise.
_PLACEHOLDER_NAMES = frozenset(
    {"市辖区", "县", "省直辖县级行政单位", "省直辖行政单位", "区直辖县级行政单位"}
)

_SEX_CODES = {"M": "M", "F": "F", "m": "M", "f": "F", "男": "M", "女": "F"}
_SEX_LABELS = {"M": gettext_lazy("男"), "F": gettext_lazy("女")}


class IdNumberError(ValueError):
    """Invalid identity number; ``message`` is Chinese and shown to users as is."""

    def __init__(self, message: Message, *, code: str = "invalid", **values: Any) -> None:
        self.message = worded(message, **values)
        super().__init__(self.message)
        # Stable ASCII key (e.g. "checksum") so callers can branch without parsing text.
        self.code = code


# ---------------------------------------------------------------------------
# Region table (stdnum's loc.dat, read through its own numdb parser, once)
# ---------------------------------------------------------------------------

# (first year, last year, name); None means open-ended, as in loc.dat's "[1983-]".
_Period = tuple[int | None, int | None, str]


def _parse_periods(value: str) -> tuple[_Period, ...]:
    # loc.dat spells history as "[1983-2019]桥东区,[2020-]襄都区"; stdnum only
    # answers "valid in year Y or not", but the era policy above needs the spans.
    periods = []
    for part in value.split(","):
        if part.startswith("["):
            span, name = part[1:].split("]", 1)
            start, end = span.split("-")
            periods.append((int(start) if start else None, int(end) if end else None, name))
        else:
            periods.append((None, None, part))
    return tuple(periods)


@cache
def _table() -> dict[str, tuple[str, tuple[_Period, ...]]]:
    """6-digit code -> (province name, county-name periods), from stdnum's table."""
    table: dict[str, tuple[str, tuple[_Period, ...]]] = {}
    for length, low, high, props, children in numdb.get("cn/loc").prefixes:
        province = props.get("province", "")
        for p in range(int(low), int(high) + 1):
            prefix = str(p).zfill(length)
            for c_length, c_low, c_high, c_props, _ in children:
                if "county" not in c_props:
                    continue
                periods = _parse_periods(c_props["county"])
                for c in range(int(c_low), int(c_high) + 1):
                    table[prefix + str(c).zfill(c_length)] = (province, periods)
    return table


@cache
def _last_year() -> dict[str, int | None]:
    """Code -> last year it was in use (None = still in use); make() needs this fast."""
    result: dict[str, int | None] = {}
    for code, (_, periods) in _table().items():
        ends = [end for _, end, _ in periods]
        result[code] = None if None in ends else max(e for e in ends if e is not None)
    return result


def _name_at(periods: tuple[_Period, ...], year: int) -> str | None:
    """Name in use in ``year``, or None."""
    for start, end, name in periods:
        if (start is None or start <= year) and (end is None or year <= end):
            return name
    return None


def _name_in(periods: tuple[_Period, ...], year: int) -> str | None:
    """Name in use in ``year``; else the next one introduced later (see module doc)."""
    # loc.dat has empty spans such as "[1983-1982]郊区"; such names were never in use.
    later = [
        (start, name)
        for start, end, name in periods
        if start is not None and start > year and (end is None or end >= start)
    ]
    return _name_at(periods, year) or (min(later)[1] if later else None)


@cache
def _known_county_codes() -> tuple[str, ...]:
    this_year = date.today().year
    codes = []
    for code, (_, periods) in _table().items():
        if code.endswith("00"):  # province / prefecture rows, not counties
            continue
        name = _name_at(periods, this_year)
        if name is not None and name not in _PLACEHOLDER_NAMES:
            codes.append(code)
    return tuple(sorted(codes))


def known_county_codes() -> list[str]:
    """County-level codes stdnum's table considers valid this year (sorted)."""
    return list(_known_county_codes())


# (region code, birth year) -> names: all that stdnum's slow lookup depends on.
_REGION_NAMES: dict[tuple[str, int], tuple[str, ...]] = {}


def _region_names(number: str, year: int) -> tuple[str, ...]:
    """(province, prefecture, county) names, placeholders and repeats dropped."""
    key = (number[:6], year)
    if key not in _REGION_NAMES:
        _REGION_NAMES[key] = _region_names_looked_up(number, year)
    return _REGION_NAMES[key]


def _region_names_looked_up(number: str, year: int) -> tuple[str, ...]:
    code = number[:6]
    province, periods = _table()[code]
    try:
        county: str | None = ric.get_birth_place(number)["county"]
    except InvalidComponent:
        # stdnum rejects codes created after the birth year; we accept them.
        county = _name_in(periods, year)
    prefecture = None
    if code[2:4] != "00" and code[4:] != "00":
        entry = _table().get(code[:4] + "00")
        if entry is not None:
            prefecture = _name_in(entry[1], year)
    names: list[str] = []
    for name in (province, prefecture, county):
        if name and name not in _PLACEHOLDER_NAMES and name not in names:
            names.append(name)
    return tuple(names)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def normalize(raw: str) -> str:
    """Strip all whitespace, full-width -> ASCII, 'x' -> 'X'. Does not validate."""
    if raw.isascii() and raw.isalnum():  # the usual case, typed or read from a roster
        return raw.replace("x", "X")
    # NFKC folds full-width digits, 'Ｘ'/'ｘ' and the ideographic space to ASCII.
    text = unicodedata.normalize("NFKC", raw)
    # Format characters (zero-width space, BOM) ride along in copy-paste from
    # web pages and Excel and are invisible to the person typing.
    text = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
    return text.replace("x", "X")


def _check_digit(body17: str) -> str:
    # stdnum's calc_check_digit expects the check position present and ignores it.
    return ric.calc_check_digit(body17 + "0")


def from_legacy_15(raw: str) -> str:
    """Convert a 15-digit legacy number (YYMMDD, 19xx) to 18 digits."""
    number = normalize(raw)
    if len(number) != 15:
        raise IdNumberError(gettext_lazy("旧版身份证号长度应为 15 位"), code="length")
    if not _DIGITS.fullmatch(number):
        raise IdNumberError(gettext_lazy("旧版 15 位身份证号只能包含数字"), code="format")
    body = number[:6] + "19" + number[6:]
    return body + _check_digit(body)


@dataclass(frozen=True, repr=False)
class IdNumber:
    """A parsed, valid identity number. Build it with :func:`parse`."""

    number: str
    birth_date: date
    sex: str  # "M" / "F", the values of registry.choices.Sex
    region_code: str
    region_names: tuple[str, ...]
    converted_from_legacy: bool = False

    @property
    def masked(self) -> str:
        return mask(self.number)

    def __repr__(self) -> str:
        # Minors' ID numbers must not leak into logs and tracebacks via repr().
        return (
            f"IdNumber({self.masked!r}, sex={self.sex!r}, "
            f"converted_from_legacy={self.converted_from_legacy!r})"
        )


def parse(raw: str, *, today: date | None = None) -> IdNumber:
    """Normalize and validate an 18- or 15-digit number; raise IdNumberError if invalid."""
    number = normalize(raw)
    if not number:
        raise IdNumberError(gettext_lazy("身份证号为空"), code="empty")
    legacy = len(number) == 15
    if legacy:
        number = from_legacy_15(number)
    elif len(number) != 18:
        raise IdNumberError(gettext_lazy("身份证号长度应为 18 位(或旧版 15 位)"), code="length")
    if not _FORMAT_18.fullmatch(number):
        raise IdNumberError(gettext_lazy("身份证号只能包含数字,最后一位可以是 X"), code="format")

    try:
        # What ric.get_birth_date does once the format is checked, without its cleaning pass
        # (a third of the time of checking a roster's numbers).
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(gettext_lazy("身份证号中的出生日期无效"), code="birth_date") from None
    if birth_date.year < MIN_BIRTH_YEAR:
        raise IdNumberError(
            gettext_lazy("身份证号中的出生日期早于 %(min_birth_year)s 年"),
            code="birth_date_too_early",
            min_birth_year=MIN_BIRTH_YEAR,
        )
    if birth_date > (today or date.today()):
        raise IdNumberError(gettext_lazy("身份证号出生日期晚于今天"), code="birth_date_future")

    region_code = number[:6]
    # Looked up in our copy first: stdnum raises a bare KeyError (not a
    # ValidationError) for an unknown county inside a known province.
    if region_code not in _table():
        raise IdNumberError(
            gettext_lazy("身份证号地区码 %(region_code)s 不存在"),
            code="region_unknown",
            region_code=region_code,
        )
    last_year = _last_year()[region_code]
    if last_year is not None and birth_date.year > last_year:
        raise IdNumberError(
            gettext_lazy(
                "身份证号地区码 %(region_code)s 在 %(year)s 年已停用(最后使用于 %(last_year)s 年)"
            ),
            code="region_retired",
            region_code=region_code,
            year=birth_date.year,
            last_year=last_year,
        )

    expected = _check_digit(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            gettext_lazy("身份证号校验位错误,应为 %(expected)s"), code="checksum", expected=expected
        )

    return IdNumber(
        number=number,
        birth_date=birth_date,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=region_code,
        region_names=_region_names(number, birth_date.year),
        converted_from_legacy=legacy,
    )


def cross_check(idn: IdNumber, *, birth_date: date | None, sex: str | None) -> list[Message]:
    """Messages (lazy) for entered birth date / sex that contradict the number."""
    problems = []
    if isinstance(birth_date, datetime):  # datetime != date even on the same day
        birth_date = birth_date.date()
    if birth_date is not None and birth_date != idn.birth_date:
        problems.append(
            worded(
                gettext_lazy("出生日期与身份证号不一致:填写为 %(entered)s,身份证号为 %(read)s"),
                entered=birth_date.isoformat(),
                read=idn.birth_date.isoformat(),
            )
        )
    entered = _SEX_CODES.get(sex or "")
    if entered is not None and entered != idn.sex:
        problems.append(
            worded(
                gettext_lazy("性别与身份证号不一致:填写为%(entered)s,身份证号为%(read)s"),
                entered=_SEX_LABELS[entered],
                read=_SEX_LABELS[idn.sex],
            )
        )
    return problems


def stated_birth_and_sex(raw: str) -> tuple[date | None, str | None]:
    """The birth date and sex an 18-digit number states even when it is invalid (a typo in
    another digit): (None, None) for what cannot be read."""
    number = normalize(raw)
    if len(number) != 18 or not number[:17].isdigit():
        return None, None
    try:
        birth = ric.get_birth_date(number)
    except InvalidComponent:
        birth = None
    return birth, "M" if int(number[16]) % 2 else "F"


def make(*, region_code: str, birth_date: date, sequence: int, sex: str) -> str:
    """Build a valid 18-digit number; ``sequence`` 0..499 picks the order code."""
    # Hot path for the generator: dict lookups and string formatting only.
    try:
        last_year = _last_year()[region_code]
    except KeyError:
        raise IdNumberError(
            gettext_lazy("身份证号地区码 %(region_code)s 不存在"),
            code="region_unknown",
            region_code=region_code,
        ) from None
    year = birth_date.year
    if last_year is not None and year > last_year:
        raise IdNumberError(
            gettext_lazy(
                "身份证号地区码 %(region_code)s 在 %(year)s 年已停用(最后使用于 %(last_year)s 年)"
            ),
            code="region_retired",
            region_code=region_code,
            year=year,
            last_year=last_year,
        )
    if year < MIN_BIRTH_YEAR:
        raise IdNumberError(
            gettext_lazy("身份证号中的出生日期早于 %(min_birth_year)s 年"),
            code="birth_date_too_early",
            min_birth_year=MIN_BIRTH_YEAR,
        )
    if birth_date > date.today():
        raise IdNumberError(gettext_lazy("身份证号出生日期晚于今天"), code="birth_date_future")
    if not 0 <= sequence <= 499:
        raise ValueError(f"sequence must be 0..499, got {sequence!r}")
    code = _SEX_CODES.get(sex)
    if code is None:
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    # Order code (digits 15-17): odd for men, even for women.
    order = sequence * 2 + (1 if code == "M" else 0)
    body = f"{region_code}{year:04d}{birth_date.month:02d}{birth_date.day:02d}{order:03d}"
    return body + _check_digit(body)


def is_typo_of(a: str, b: str) -> bool:
    """True if two 18-char numbers differ by one character or one adjacent swap."""
    a, b = normalize(a), normalize(b)
    if len(a) != 18 or len(b) != 18:
        return False
    diff = [i for i in range(18) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    if len(diff) == 2:
        i, j = diff
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    return False


def mask(number: str) -> str:
    """Mask for display: '110105********002X'; any string, never shows the middle."""
    text = normalize(number)
    n = len(text)
    # 15 and up (legacy numbers, mistyped 17/19-char values): keep region + last 4.
    head, tail = (6, 4) if n >= 15 else (n // 4, n // 4)
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]

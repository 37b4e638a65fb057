"""Tests for guanai.registry.idnumber: pure Python, no Django or database needed."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from guanai.registry import idnumber
from guanai.registry.idnumber import (
    IdNumber,
    IdNumberError,
    cross_check,
    from_legacy_15,
    is_typo_of,
    known_county_codes,
    make,
    mask,
    normalize,
    parse,
)

# The sample number printed in GB 11643-1999 itself, and stdnum's doctest number.
GB_SAMPLE = "11010519491231002X"
STDNUM_SAMPLE = "360426199101010071"
TODAY = date.today()


def with_check_digit(body17: str) -> str:
    """An 18-digit number with a correct check digit, computed by stdnum (not by us)."""
    return body17 + ric.calc_check_digit(body17 + "0")


# --------------------------------------------------------------------------- valid numbers


@pytest.mark.parametrize(
    ("region_code", "birth_date", "sequence", "sex"),
    [
        ("110105", date(1949, 12, 31), 1, "F"),
        ("110105", date(2015, 2, 28), 0, "F"),
        ("110105", date(2016, 2, 29), 499, "M"),
        ("360426", date(1991, 1, 1), 3, "M"),
        ("130502", date(1990, 6, 1), 250, "M"),  # 邢台 桥东区, [1983-2019]
        ("130502", date(2020, 1, 1), 7, "F"),  # same code, renamed 襄都区 in 2020
        ("440305", date(2012, 12, 12), 42, "F"),
        ("650102", date(1985, 7, 1), 9, "M"),
        ("110105", date(1900, 1, 1), 0, "M"),
    ],
)
def test_make_builds_numbers_stdnum_accepts(region_code, birth_date, sequence, sex):
    number = make(region_code=region_code, birth_date=birth_date, sequence=sequence, sex=sex)
    assert len(number) == 18
    assert ric.is_valid(number)
    assert ric.get_birth_date(number) == birth_date
    idn = parse(number)
    assert (idn.number, idn.birth_date, idn.sex, idn.region_code) == (
        number,
        birth_date,
        sex,
        region_code,
    )
    assert idn.converted_from_legacy is False


def test_make_matches_gb_sample():
    # GB sample: order code 002 (even: female) = sequence 1 for a woman.
    assert make(region_code="110105", birth_date=date(1949, 12, 31), sequence=1, sex="F") == (
        GB_SAMPLE
    )


def test_parse_known_samples():
    idn = parse(GB_SAMPLE)
    assert idn == IdNumber(
        number=GB_SAMPLE,
        birth_date=date(1949, 12, 31),
        sex="F",
        region_code="110105",
        region_names=("北京市", "朝阳区"),  # "市辖区" placeholder dropped
        converted_from_legacy=False,
    )
    idn = parse(STDNUM_SAMPLE)
    assert idn.sex == "M"
    assert idn.region_names == ("江西省", "九江市", "德安县")


def test_region_created_after_birth_is_accepted_unlike_stdnum():
    # 130502 exists from 1983; people born earlier got it when IDs were first issued.
    number = make(region_code="130502", birth_date=date(1960, 1, 1), sequence=5, sex="M")
    assert not ric.is_valid(number)  # stdnum is stricter here, on purpose we are not
    assert parse(number).region_names == ("河北省", "邢台市", "桥东区")


def test_region_names_follow_birth_year():
    old = parse(make(region_code="120110", birth_date=date(1985, 1, 1), sequence=1, sex="M"))
    new = parse(make(region_code="120110", birth_date=date(2005, 1, 1), sequence=1, sex="M"))
    assert old.region_names[-1] == "东郊区"
    assert new.region_names[-1] == "东丽区"


def test_region_names_skip_never_used_spans():
    # loc.dat: 210311 "[1983-1982]郊区,[1983-1995]旧堡区,[1996-]千山区"
    idn = parse(make(region_code="210311", birth_date=date(1970, 1, 1), sequence=1, sex="F"))
    assert idn.region_names[-1] == "旧堡区"


def test_repr_does_not_leak_the_number():
    text = repr(parse(GB_SAMPLE))
    assert GB_SAMPLE not in text
    assert "110105********002X" in text


# --------------------------------------------------------------------------- normalize / input


def test_normalize_full_width_and_whitespace():
    assert normalize(" １１０１０５　１９４９１２３１\t００２ｘ\n") == GB_SAMPLE
    assert normalize("11010519491231002Ｘ") == GB_SAMPLE
    assert normalize("1101 0519 4912 3100 2x") == GB_SAMPLE
    assert normalize("\ufeff110105\u200b19491231002X") == GB_SAMPLE
    assert normalize("abc") == "abc"  # no validation


def test_parse_full_width_input():
    assert parse("１１０１０５　１９４９１２３１００２ｘ").number == GB_SAMPLE


# --------------------------------------------------------------------------- legacy 15 digits


def test_from_legacy_15():
    assert from_legacy_15("110105491231002") == GB_SAMPLE


def test_parse_legacy_15():
    idn = parse("110105491231002")
    assert idn.number == GB_SAMPLE
    assert idn.converted_from_legacy is True
    assert idn.birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("raw", "code"), [("11010549123100", "length"), ("11010549123100X", "format")]
)
def test_from_legacy_15_rejects(raw, code):
    with pytest.raises(IdNumberError) as exc:
        from_legacy_15(raw)
    assert exc.value.code == code


@settings(max_examples=50)
@given(
    birth_date=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequence=st.integers(0, 499),
    sex=st.sampled_from("MF"),
)
def test_legacy_round_trip(birth_date, sequence, sex):
    number = make(region_code="110105", birth_date=birth_date, sequence=sequence, sex=sex)
    legacy = number[:6] + number[8:17]  # drop century and check digit
    assert from_legacy_15(legacy) == number
    assert parse(legacy).number == number


# --------------------------------------------------------------------------- invalid numbers


def test_wrong_check_digit_names_the_right_one():
    with pytest.raises(IdNumberError) as exc:
        parse("110105194912310020")
    assert exc.value.code == "checksum"
    assert exc.value.message == "身份证号校验位错误,应为 X"
    assert str(exc.value) == exc.value.message
    with pytest.raises(IdNumberError, match=r"应为 1$"):
        parse("36042619910101007X")


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("", "empty", "身份证号为空"),
        ("　", "empty", "身份证号为空"),
        ("1101051949", "length", "身份证号长度应为 18 位(或旧版 15 位)"),
        ("11010519491231002X1", "length", "身份证号长度应为 18 位(或旧版 15 位)"),
        ("1101051949123100XX", "format", "身份证号只能包含数字,最后一位可以是 X"),
        ("11010519491231002Y", "format", "身份证号只能包含数字,最后一位可以是 X"),
        (with_check_digit("11010520150230123"), "birth_date", "身份证号中的出生日期无效"),
        (with_check_digit("11010520151301123"), "birth_date", "身份证号中的出生日期无效"),
        (with_check_digit("11010518991231123"), "birth_date_too_early", None),
        (with_check_digit("11999920000101123"), "region_unknown", "身份证号地区码 119999 不存在"),
        (with_check_digit("99010120000101123"), "region_unknown", "身份证号地区码 990101 不存在"),
        (with_check_digit("11010320110101123"), "region_retired", None),  # 崇文区 [-2010]
    ],
)
def test_invalid_numbers(raw, code, message):
    with pytest.raises(IdNumberError) as exc:
        parse(raw)
    assert exc.value.code == code
    if message is not None:
        assert exc.value.message == message


def test_unknown_county_in_known_province_is_a_clean_error():
    # stdnum itself lets a KeyError escape here; we must not.
    number = with_check_digit("11999920000101123")
    with pytest.raises(KeyError):
        ric.is_valid(number)
    with pytest.raises(IdNumberError, match="119999"):
        parse(number)


def test_future_birth_date_relative_to_today():
    number = make(region_code="110105", birth_date=date(2020, 1, 1), sequence=1, sex="M")
    assert parse(number, today=date(2020, 1, 1)).birth_date == date(2020, 1, 1)
    with pytest.raises(IdNumberError, match="身份证号出生日期晚于今天") as exc:
        parse(number, today=date(2019, 12, 31))
    assert exc.value.code == "birth_date_future"


def test_date_error_wins_over_check_digit():
    # A typo in the date must not be reported as "change the last digit to ...".
    with pytest.raises(IdNumberError) as exc:
        parse("110105194902301230")
    assert exc.value.code == "birth_date"


# --------------------------------------------------------------------------- make arguments


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"region_code": "119999"}, IdNumberError),
        ({"region_code": "110103", "birth_date": date(2011, 1, 1)}, IdNumberError),
        ({"birth_date": date(1899, 12, 31)}, IdNumberError),
        ({"birth_date": date(TODAY.year + 1, 1, 1)}, IdNumberError),
        ({"sequence": 500}, ValueError),
        ({"sequence": -1}, ValueError),
        ({"sex": "X"}, ValueError),
    ],
)
def test_make_rejects_bad_arguments(kwargs, error):
    args = {"region_code": "110105", "birth_date": date(2010, 5, 5), "sequence": 1, "sex": "M"}
    with pytest.raises(error):
        make(**(args | kwargs))


# --------------------------------------------------------------------------- cross_check


def test_cross_check():
    idn = parse(GB_SAMPLE)
    assert cross_check(idn, birth_date=date(1949, 12, 31), sex="F") == []
    assert cross_check(idn, birth_date=datetime(1949, 12, 31, 8, 0), sex="女") == []
    assert cross_check(idn, birth_date=None, sex=None) == []
    assert cross_check(idn, birth_date=None, sex="") == []
    assert cross_check(idn, birth_date=date(1949, 12, 30), sex=None) == [
        "出生日期与身份证号不一致:填写为 1949-12-30,身份证号为 1949-12-31"
    ]
    assert cross_check(idn, birth_date=None, sex="M") == [
        "性别与身份证号不一致:填写为男,身份证号为女"
    ]
    assert len(cross_check(idn, birth_date=date(2000, 1, 1), sex="男")) == 2


# --------------------------------------------------------------------------- is_typo_of


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (GB_SAMPLE, "11010519491231003X", True),  # one substitution
        (GB_SAMPLE, "11010519491213002X", True),  # adjacent transposition "31" -> "13"
        (GB_SAMPLE, "11010519491231020X", True),  # "002X" -> "020X": adjacent "02"
        (GB_SAMPLE, "01110519491231002X", False),  # positions 0 and 2: not adjacent
        (GB_SAMPLE, "11010519491231002x", False),  # identical after normalize
        (GB_SAMPLE, GB_SAMPLE, False),
        (GB_SAMPLE, "11010519491231013X", False),  # two substitutions
        (GB_SAMPLE, "21010519491231003X", False),  # two substitutions far apart
        (GB_SAMPLE, "110105491231002", False),  # not 18 characters
        (GB_SAMPLE, "１１０１０５１９４９１２３１００３Ｘ", True),  # full width
    ],
)
def test_is_typo_of(a, b, expected):
    assert is_typo_of(a, b) is expected
    assert is_typo_of(b, a) is expected


# --------------------------------------------------------------------------- mask


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (GB_SAMPLE, "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("12345678", "12****78"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask(raw, expected):
    assert mask(raw) == expected


def test_masked_property():
    assert parse(GB_SAMPLE).masked == "110105********002X"


# --------------------------------------------------------------------------- known_county_codes


def test_known_county_codes():
    codes = known_county_codes()
    assert len(codes) > 2500
    assert codes == sorted(codes)
    assert all(len(c) == 6 and c.isdigit() and not c.endswith("00") for c in codes)
    assert "110105" in codes
    assert "110103" not in codes  # 崇文区, abolished 2010
    assert "130502" in codes  # renamed 桥东区 -> 襄都区 in 2020, code kept
    assert "130101" not in codes  # "市辖区" placeholder
    # stdnum agrees every one of them is valid for someone born today.
    assert all(
        ric.is_valid(make(region_code=c, birth_date=TODAY, sequence=0, sex="M")) for c in codes
    )
    codes.append("bogus")  # callers get a copy; the cache must not change
    assert "bogus" not in known_county_codes()


def test_region_table_is_built_once():
    for sequence in range(100):
        make(region_code="110105", birth_date=date(2010, 5, 5), sequence=sequence, sex="M")
        known_county_codes()
    assert idnumber._table.cache_info().misses == 1
    assert idnumber._last_year.cache_info().misses == 1


# --------------------------------------------------------------------------- properties

valid_numbers = st.builds(
    lambda **kw: (make(**kw), kw),
    region_code=st.sampled_from(known_county_codes()),
    birth_date=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(0, 499),
    sex=st.sampled_from("MF"),
)


@given(valid_numbers)
def test_make_parse_round_trip(case):
    number, kw = case
    idn = parse(number)
    assert idn.number == number
    assert idn.birth_date == kw["birth_date"]
    assert idn.sex == kw["sex"]
    assert idn.region_code == kw["region_code"]
    assert idn.region_names  # every known county has at least a province name


@given(valid_numbers, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_is_invalid(case, position, char):
    number, _ = case
    mutated = number[:position] + char + number[position + 1 :]
    if mutated == number:
        return
    # MOD 11-2 detects every single substitution: stdnum's check digit disagrees ...
    assert not mutated[:17].isdigit() or ric.calc_check_digit(mutated) != mutated[17]
    # ... so parse rejects it, whichever check fires first.
    with pytest.raises(IdNumberError):
        parse(mutated)
    assert is_typo_of(number, mutated)


@given(valid_numbers, st.integers(0, 16))
def test_adjacent_transposition_is_a_typo(case, position):
    number, _ = case
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert is_typo_of(number, swapped) is (swapped != number)


id_like = st.text(alphabet="0123456789X", min_size=18, max_size=18)


@given(id_like, st.data())
def test_is_typo_of_symmetric(a, data):
    # Derive b from a often enough that True cases actually occur.
    b = data.draw(
        st.one_of(
            id_like,
            st.integers(0, 17).flatmap(
                lambda i: st.sampled_from("0123456789X").map(lambda c: a[:i] + c + a[i + 1 :])
            ),
            st.integers(0, 16).map(lambda i: a[:i] + a[i + 1] + a[i] + a[i + 2 :]),
        )
    )
    assert is_typo_of(a, b) == is_typo_of(b, a)

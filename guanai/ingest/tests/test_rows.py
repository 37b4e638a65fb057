from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanai.ingest.rows import RowError, SheetRow, parse_date, resolve_headers
from guanai.ingest.rows import clean_row as clean_sheet_row
from guanai.registry import idnumber


def clean_row(line, cells, cols, formulas=frozenset(), sheet=""):
    return clean_sheet_row(SheetRow(sheet, line, cells, frozenset(formulas)), cols)


ID = idnumber.make(region_code="360426", birth_date=date(2015, 3, 9), sequence=3, sex="M")


def test_it_maps_chinese_headers():
    cols = resolve_headers(["序号", "姓名", "公民身份号码", "监护人", "联系电话"])
    assert cols == {"name": 1, "id_number": 2, "guardian": 3, "phone": 4}


def test_it_names_missing_columns():
    with pytest.raises(ValueError, match="缺少必需的列:姓名"):
        resolve_headers(["身份证号"])
    with pytest.raises(ValueError, match="身份证号或出生日期"):
        resolve_headers(["姓名"])


def test_a_profile_maps_other_headers():
    cols = resolve_headers(["学生", "证号"], {"学生": "name", "证号": "id_number"})
    assert cols == {"name": 0, "id_number": 1}


def test_two_headers_for_one_field_are_refused():
    with pytest.raises(ValueError, match="请只保留一列"):
        resolve_headers(["姓名", "身份证号", "身份证号码"])


def test_a_check_digit_error_is_a_warning_naming_line_and_column():
    bad = ID[:17] + ("0" if ID[17] != "0" else "1")
    cols = resolve_headers(["姓名", "身份证号"])
    row = clean_row(12, ["张三", bad], cols, set())
    assert row.warning == f"第 12 行 身份证号:校验位错误,应为 {ID[17]};号码未采用,按其他信息关联"
    # The number is set aside; what it states about birth and sex is still read.
    assert (row.id_number, row.values["id_number_given"]) == ("", bad)
    assert (row.birth_date, row.sex) == (date(2015, 3, 9), "M")


def test_it_fills_birth_and_sex_from_the_id():
    row = clean_row(2, ["张三", ID.lower()], resolve_headers(["姓名", "身份证号"]), set())
    assert (row.id_number, row.birth_date, row.sex) == (ID, date(2015, 3, 9), "M")


def test_a_birth_date_contradicting_a_valid_number_gives_way_with_a_warning():
    cols = resolve_headers(["姓名", "身份证号", "出生日期"])
    row = clean_row(3, ["张三", ID, "2015-03-10"], cols, set())
    assert row.warning.startswith("第 3 行 身份证号:出生日期与身份证号不一致")
    assert row.warning.endswith(";采用身份证号")
    assert (row.id_number, row.birth_date) == (ID, date(2015, 3, 9))


def test_without_id_birth_and_sex_are_required():
    cols = resolve_headers(["姓名", "出生日期", "性别"])
    with pytest.raises(RowError, match="第 4 行 性别:没有有效的身份证号时必须填写"):
        clean_row(4, ["张三", "2015-03-09", ""], cols, set())


def test_formula_cells_are_errors():
    cols = resolve_headers(["姓名", "出生日期"])
    with pytest.raises(RowError, match="第 5 行 出生日期:单元格是公式"):
        clean_row(5, ["张三", "=TODAY()"], cols, {1})


def test_disability_fields_are_checked():
    cols = resolve_headers(["姓名", "身份证号", "残疾类别", "残疾等级"])
    row = clean_row(2, ["张三", ID, "肢体", "二级"], cols, set())
    assert row.values == {"disability_category": "limb", "disability_grade": "2"}
    with pytest.raises(RowError, match="残疾等级"):
        clean_row(2, ["张三", ID, "肢体", "五级"], cols, set())


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_reads_common_spellings(d):
    for text in (
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d.year}.{d.month:02d}.{d.day:02d}",
    ):
        assert parse_date(text) == d


@given(st.text(max_size=12))
def test_parse_date_never_crashes_otherwise(text):
    try:
        parse_date(text)
    except ValueError as exc:
        assert "日期" in str(exc)


def test_a_full_width_landline_is_read_in_its_normalised_form():
    cols = resolve_headers(["姓名", "身份证号", "联系电话"])
    row = clean_row(6, ["张三", ID, "（０７９１）８６１２ ３４５６"], cols)
    assert row.values["phone"] == "0791-86123456" and row.warning == ""


def test_a_cell_that_is_no_phone_number_is_left_out_with_a_warning_naming_the_column():
    cols = resolve_headers(["姓名", "身份证号", "联系电话"])
    row = clean_row(7, ["张三", ID, "' OR 1=1--"], cols)
    assert "phone" not in row.values
    assert row.warning.startswith("第 7 行 联系电话:“' OR 1=1--”应为 11 位手机号")
    assert row.warning.endswith(";未采用")
    assert (row.id_number, row.name) == (ID, "张三")  # the child comes in all the same

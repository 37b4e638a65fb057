"""Rosters as departments really make them: titles, two-row headers, merged cells, several
sheets, totals and signatures at the foot, numbers typed as numbers, web pages saved as .xls."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from guanai.core import phones
from guanai.ingest.models import SourceRecord
from guanai.ingest.readers import FileRejected, read_table
from guanai.ingest.rows import (
    RowError,
    SheetRow,
    clean_row,
    parse_date,
    parse_disability,
    resolve_headers,
)
from guanai.ingest.services import ImportRejected, roster_import
from guanai.ingest.templatetags.ingest_tags import record_place
from guanai.registry import idnumber
from guanai.registry.choices import DisabilityCategory
from guanai.registry.models import Child


def _id(birth, seq=7, sex="M"):
    return idnumber.make(region_code="360426", birth_date=birth, sequence=seq, sex=sex)


SIS = _id(date(2013, 5, 2), 4, "F")
BRO = _id(date(2016, 8, 9), 5, "M")
OTHER = _id(date(2014, 1, 20), 9, "M")


def _village_roster(ws, village="东风村"):
    """A township's left-behind children ledger as it is printed and signed."""
    ws.append(["蒲亭镇农村留守儿童信息登记表"])
    ws.merge_cells("A1:I1")
    ws.append([f"填报单位:{village}村民委员会", None, None, None, None, "填报日期:2026年11月"])
    ws.append(
        ["序号", "儿童基本信息", None, None, "监护人信息", None, None, "家庭住址", "村(社区)"]
    )
    ws.merge_cells("B3:D3")
    ws.merge_cells("E3:G3")
    for col in "AHI":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([None, "姓名", "性别", "身份证号码", "姓名", "与儿童关系", "联系电话"])
    ws.append([1, "王小红", "女", SIS, "王大山", "祖父", "138-0000-1111", "东风村3组", village])
    # The brother shares the guardian cells, merged down over both rows.
    ws.append([2, "王小军", "男", BRO, None, None, None, "东风村3组", village])
    for col in "EFG":
        ws.merge_cells(f"{col}5:{col}6")
    ws.append([3, "李明", "男", OTHER, "李强", "父亲", "13900002222", "东风村5组", village])
    for n in range(4, 7):  # the template's numbered empty lines
        ws.append([n])
    ws.append(["合计", "3人"])
    ws.append(["填表人:赵六", None, None, "审核人:钱七", None, None, "联系电话:0792-1234567"])


def _save(wb, path):
    wb.save(path)
    return path


def test_a_printed_ledger_is_read_under_its_title_with_a_two_row_header(tmp_path):
    wb = Workbook()
    _village_roster(wb.active)
    table = read_table(_save(wb, tmp_path / "ledger.xlsx"))
    assert table.headers == [
        "序号", "姓名", "性别", "身份证号码", "监护人姓名", "监护人与儿童关系", "监护人联系电话",
        "家庭住址", "村(社区)",
    ]  # fmt: skip
    assert [row.line for row in table.rows] == [5, 6, 7]
    assert table.skipped == 5  # three numbered empty lines, 合计, 填表人
    cols = resolve_headers(table.headers)
    rows = [clean_row(row, cols) for row in table.rows]
    assert [r.name for r in rows] == ["王小红", "王小军", "李明"]
    # The merged guardian cells reach the brother's row.
    assert rows[1].values["guardian"] == "王大山"
    assert rows[1].values["phone"] == "13800001111"
    assert rows[0].village == "东风村"


def test_every_visible_village_sheet_is_read_and_errors_name_the_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["请按村填写,每村一个工作表。身份证号请设为文本格式。"])
    _village_roster(wb.create_sheet("东风村"))
    qs = wb.create_sheet("青石村")
    qs.append(["姓名", "身份证号", "村(居)"])
    qs.append(["陈平", _id(date(2015, 2, 2), 3), "青石村"])
    good = _id(date(2015, 2, 3), 3)
    qs.append(["错号", good[:17] + ("1" if good[17] == "0" else "0"), "青石村"])
    hidden = wb.create_sheet("旧表")
    hidden.append(["姓名", "身份证号"])
    hidden.append(["不该读", _id(date(2012, 2, 2), 3)])
    hidden.sheet_state = "hidden"
    table = read_table(_save(wb, tmp_path / "township.xlsx"))
    assert table.sheets == ("东风村", "青石村")
    assert [(r.sheet, r.line) for r in table.rows] == [
        ("东风村", 5), ("东风村", 6), ("东风村", 7), ("青石村", 2), ("青石村", 3),
    ]  # fmt: skip
    cols = resolve_headers(table.headers)
    chen = clean_row(table.rows[3], cols)
    assert (chen.name, chen.village, chen.sheet) == ("陈平", "青石村", "青石村")
    wrong = clean_row(table.rows[4], cols)
    assert wrong.warning.startswith("工作表“青石村”第 3 行 身份证号:校验位错误")


def test_an_excel_97_workbook_with_merges(tmp_path):
    """data/ledger.xls was written by xlwt 1.3 (BIFF8, as Excel 2003 saves): a 说明 sheet, a title
    merged across, a two-row header, guardian cells merged over two siblings, the brother's ID
    typed as a number, and a 合计 line. Synthetic numbers only."""
    table = read_table(Path(__file__).parent / "data" / "ledger.xls")
    assert table.headers == ["序号", "姓名", "身份证号", "监护人姓名", "监护人联系电话", "村(居)"]
    assert (table.skipped, [r.line for r in table.rows]) == (1, [4, 5])
    cols = resolve_headers(table.headers)
    sister = clean_row(table.rows[0], cols)
    assert sister.values == {"guardian": "王大山", "phone": "13800001111"}
    with pytest.raises(RowError, match="第 5 行 身份证号:被 Excel 存成了数字"):
        clean_row(table.rows[1], cols)


def test_a_sheet_that_starts_further_in_keeps_excel_line_and_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["C3"], ws["D3"] = "姓名", "身份证号"
    ws["C4"], ws["D4"] = "陈平", _id(date(2015, 2, 2))
    ws["C5"], ws["D5"] = "陈安", "=D4"
    table = read_table(_save(wb, tmp_path / "offset.xlsx"))
    assert table.headers == ["", "", "姓名", "身份证号"]
    assert [(r.line, r.formulas) for r in table.rows] == [(4, frozenset()), (5, {3})]


def test_an_id_typed_as_a_number_is_named_as_such(tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["陈平", float(_id(date(2015, 2, 2), 3)[:17] + "0")])
    table = read_table(_save(wb, tmp_path / "number.xlsx"))
    with pytest.raises(RowError, match="第 2 行 身份证号:被 Excel 存成了数字"):
        clean_row(table.rows[0], resolve_headers(table.headers))
    sci = SheetRow("", 7, ["陈平", "3.60426E+17"])
    with pytest.raises(RowError, match="第 7 行 身份证号:被 Excel 存成了数字"):
        clean_row(sci, resolve_headers(["姓名", "身份证号"]))


def test_csv_exports_keep_digits_with_quotes_and_apostrophes(tmp_path):
    number = _id(date(2015, 2, 2), 3)
    text = (
        "姓名,身份证号,出生日期,联系电话(监护人)\n"
        f'陈平,="{number}",2015-02-02 00:00:00,\'13800001111\n'
        f"陈安,'{_id(date(2016, 3, 3), 5)},42432,=A1+1\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_table(path)
    cols = resolve_headers(table.headers)
    first = clean_row(table.rows[0], cols)
    assert (first.id_number, first.birth_date) == (number, date(2015, 2, 2))
    assert first.values["phone"] == "13800001111"
    # 42432 is Excel's day number for 2016-03-03; the phone cell is a formula.
    with pytest.raises(RowError, match="第 3 行 联系电话:单元格是公式"):
        clean_row(table.rows[1], cols)


@pytest.mark.parametrize("span", ["²", "0", "-1", "1000", "9" * 5000])
def test_a_span_that_is_no_small_whole_number_spans_one_cell(tmp_path, span):
    page = f"""<html><body><table>
      <tr><th colspan="{span}">姓名</th><th rowspan="{span}">出生日期</th><th>性别</th></tr>
      <tr><td>王小红</td><td>2015-03-08</td><td>女</td></tr>
    </table></body></html>"""
    path = tmp_path / "export.xls"
    path.write_text(page)
    assert read_table(path).headers == ["姓名", "出生日期", "性别"]


def test_a_web_page_saved_as_xls_is_read_with_its_spans(tmp_path):
    page = f"""<html><head><meta charset="gb2312"></head><body>
    <table border=1>
      <tr><td colspan=4>残疾儿童花名册</td></tr>
      <tr><th rowspan=2>姓名</th><th rowspan=2>残疾证号</th><th colspan=2>监护人</th></tr>
      <tr><th>姓名</th><th>电话</th></tr>
      <tr><td>王小红</td><td>{SIS}42</td><td rowspan=2>王大山</td><td>13800001111</td></tr>
      <tr><td>王小军</td><td>{BRO}51</td><td>13800001111</td></tr>
    </table></body></html>"""
    path = tmp_path / "export.xls"
    path.write_bytes(page.encode("gb18030"))
    table = read_table(path)
    assert table.headers == ["姓名", "残疾证号", "监护人姓名", "监护人电话"]
    cols = resolve_headers(table.headers)
    sister, brother = (clean_row(r, cols) for r in table.rows)
    assert sister.id_number == SIS and sister.values["disability_category"] == "limb"
    assert sister.values["disability_grade"] == "2"
    assert brother.values["guardian"] == "王大山"
    assert brother.values["disability_category"] == "intellectual"


def test_tab_separated_text_saved_as_xls_is_read(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(f"姓名\t身份证号\n王小红\t{SIS}\n".encode("gbk"))
    table = read_table(path)
    assert table.headers == ["姓名", "身份证号"] and table.rows[0].cells == ["王小红", SIS]


def test_excel_2003_xml_saved_as_xls_is_read_with_its_merges(tmp_path):
    xml = f"""<?xml version="1.0" encoding="gb2312"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="花名册"><Table>
  <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">残疾儿童花名册</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="String">姓名</Data></Cell>
   <Cell><Data ss:Type="String">身份证号</Data></Cell>
   <Cell><Data ss:Type="String">出生日期</Data></Cell>
   <Cell><Data ss:Type="String">监护人</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">王小红</Data></Cell>
   <Cell><Data ss:Type="String">{SIS}</Data></Cell>
   <Cell><Data ss:Type="DateTime">2013-05-02T00:00:00.000</Data></Cell>
   <Cell ss:MergeDown="1"><Data ss:Type="String">王大山</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">王小军</Data></Cell>
   <Cell><Data ss:Type="String">{BRO}</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="旧表"><Table><Row><Cell><Data ss:Type="String">姓名</Data></Cell>
  <Cell><Data ss:Type="String">身份证号</Data></Cell></Row></Table>
  <x:WorksheetOptions><x:Visible>SheetHidden</x:Visible></x:WorksheetOptions></Worksheet>
</Workbook>"""
    path = tmp_path / "export.xls"
    path.write_bytes(xml.encode("gb18030"))
    table = read_table(path)
    assert table.headers == ["姓名", "身份证号", "出生日期", "监护人"]
    assert [r.line for r in table.rows] == [4, 5]
    cols = resolve_headers(table.headers)
    sister, brother = (clean_row(r, cols) for r in table.rows)
    assert sister.birth_date == date(2013, 5, 2)
    assert brother.values["guardian"] == "王大山"


def test_the_address_where_the_child_lives_wins_over_the_registered_one():
    cols = resolve_headers(["姓名", "身份证号", "户籍地址", "现住址"])
    assert cols["address"] == 3
    assert resolve_headers(["姓名", "身份证号", "户籍地址"])["address"] == 2
    parents = resolve_headers(["姓名", "身份证号", "父亲联系电话", "母亲联系电话"])
    assert parents["phone"] == 2  # without a family phone, the first parent's will do
    # A profile that names the registered address chooses it.
    chosen = resolve_headers(["姓名", "身份证号", "户籍地址", "现住址"], {"户籍地址": "address"})
    assert chosen["address"] == 2
    assert resolve_headers(
        ["姓名", "身份证号(18位)", "联系电话(监护人)", "身份证号(监护人)", "姓名(父亲)"]
    ) == {"name": 0, "id_number": 1, "phone": 2}


def test_grade_and_class_columns_make_one_class():
    cols = resolve_headers(["学生姓名", "身份证件号", "年级", "班级"])
    row = clean_row(SheetRow("", 2, ["王小红", SIS, "三年级", "2班"]), cols)
    assert row.values["class_name"] == "三年级2班"
    row = clean_row(SheetRow("", 3, ["王小红", SIS, "三年级", "三年级2班"]), cols)
    assert row.values["class_name"] == "三年级2班"
    row = clean_row(SheetRow("", 4, ["王小红", SIS, "三年级", ""]), cols)
    assert row.values["class_name"] == "三年级"


def test_disability_in_one_cell_and_from_the_certificate():
    cols = resolve_headers(["姓名", "身份证号", "残疾类别及等级"])
    multiple = clean_row(SheetRow("", 2, ["王小红", SIS, "智力二级、肢体三级"]), cols)
    assert multiple.values == {"disability_category": "multiple", "disability_grade": "2"}
    with pytest.raises(RowError, match="残疾类别及等级:无法识别"):
        clean_row(SheetRow("", 3, ["王小红", SIS, "很重"]), cols)
    cols = resolve_headers(["姓名", "身份证号", "残疾证号", "残疾类别"])
    with pytest.raises(RowError, match="残疾证号:表示肢体残疾二级,与残疾类别或等级一栏不一致"):
        clean_row(SheetRow("", 4, ["王小红", SIS, SIS + "42", "视力"]), cols)
    with pytest.raises(RowError, match="残疾证号:前 18 位与身份证号不一致"):
        clean_row(SheetRow("", 5, ["王小红", SIS, BRO + "42", ""]), cols)


def test_a_birth_month_is_enough_beside_an_id_number():
    cols = resolve_headers(["姓名", "身份证号", "出生年月", "性别"])
    row = clean_row(SheetRow("", 2, ["王小红", SIS, "2013.05", "女孩"]), cols)
    assert row.birth_date == date(2013, 5, 2)
    row = clean_row(SheetRow("", 3, ["王小红", SIS, "201306", "女"]), cols)
    assert row.warning == "第 3 行 身份证号:出生年月与身份证号不一致;采用身份证号"
    assert row.birth_date == date(2013, 5, 2)
    cols = resolve_headers(["姓名", "出生年月", "性别"])
    with pytest.raises(RowError, match="第 4 行 出生日期:只有年月"):
        clean_row(SheetRow("", 4, ["王小红", "2013-05", "女"]), cols)


def test_excel_day_numbers_and_timestamps_are_dates():
    assert parse_date("42071") == date(2015, 3, 8)
    assert parse_date("2015/3/8 0:00") == date(2015, 3, 8)
    assert parse_date(datetime(2015, 3, 8, 10, 30)) == date(2015, 3, 8)


_NAMES = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=2, max_size=4)
_TITLES = ["德安县农村留守儿童花名册", "填报单位:东风村 填报日期:2026年11月", "单位:人", ""]


@settings(max_examples=40, deadline=None)
@given(
    children=st.lists(
        st.tuples(_NAMES, st.dates(date(2008, 1, 1), date(2025, 12, 31)), st.sampled_from("男女")),
        min_size=1,
        max_size=6,
    ),
    titles=st.lists(st.sampled_from(_TITLES), max_size=3),
    blanks=st.integers(0, 3),
    footer=st.booleans(),
)
def test_a_roster_is_read_whole_under_any_title_and_above_any_foot(
    tmp_path_factory, children, titles, blanks, footer
):
    lines = [*titles, "序号,姓名,出生日期,性别"]
    first = len(lines) + 1
    lines += [f"{n},{name},{born},{sex}" for n, (name, born, sex) in enumerate(children, 1)]
    lines += [str(len(children) + n) for n in range(1, blanks + 1)]
    if footer:
        lines += [f"合 计,{len(children)}人,,", "填表人:赵六,,审核人:钱七,"]
    path = tmp_path_factory.mktemp("roster") / "r.csv"
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")
    table = read_table(path)
    assert table.headers == ["序号", "姓名", "出生日期", "性别"]
    assert [r.line for r in table.rows] == list(range(first, first + len(children)))
    assert [r.cells[1] for r in table.rows] == [name for name, _, _ in children]
    assert table.skipped == blanks + 2 * footer


@given(st.text(max_size=12))
def test_parse_disability_reads_or_says_why(text):
    try:
        category, grade = parse_disability(text)
    except ValueError as exc:
        assert "无法识别" in str(exc)
    else:
        assert category in {c.value for c in DisabilityCategory} and 1 <= grade <= 4


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from([" ", "-", "\u3000"]))
def test_a_mobile_number_written_in_groups_is_its_digits(number, sep):
    grouped = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    assert phones.clean(grouped) == phones.clean(number) == number


# End to end ---------------------------------------------------------------------------------


def test_a_township_workbook_imports_with_village_and_township_names(tmp_path, place):
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["每村一个工作表"])
    _village_roster(wb.create_sheet("东风村"))
    qs = wb.create_sheet("青石村")
    qs.append(["姓名", "身份证号", "乡镇(街道)", "村(居)"])
    qs.append(["陈平", _id(date(2015, 2, 2), 3), "蒲亭", "青石村委会"])
    path = _save(wb, tmp_path / "蒲亭镇.xlsx")
    report = roster_import(actor=None, path=path, source="civil")
    assert (report.rows, report.skipped, report.created) == (4, 5, 4)
    chen = Child.objects.get(name="陈平")
    assert chen.division == place.village_b
    brother = Child.objects.get(id_number=BRO)
    assert brother.division == place.village_a
    record = SourceRecord.objects.get(child=brother)
    assert (record.sheet, record.line, record.place) == ("东风村", 6, "工作表“东风村”第 6 行")
    assert record_place(record) == "蒲亭镇.xlsx 工作表“东风村”第 6 行"
    with translation.override("en"):
        assert record_place(record) == "蒲亭镇.xlsx sheet “东风村” line 6"
    sister = Child.objects.get(id_number=SIS)
    assert sister.household_id == brother.household_id  # the merged guardian and phone


def test_a_village_name_in_another_township_is_refused_with_the_township(tmp_path, place):
    path = tmp_path / "wrong.csv"
    path.write_text(
        f"姓名,身份证号,乡镇,村\n陈平,{_id(date(2015, 2, 2), 3)},聂桥镇,东风村\n", encoding="utf-8"
    )
    with pytest.raises(ImportRejected, match="第 2 行 村\\(居\\):聂桥镇没有“东风村”"):
        roster_import(actor=None, path=path, source="civil")


def test_village_names_are_looked_up_where_the_user_works(tmp_path, place, users):
    path = tmp_path / "names.csv"
    path.write_text(
        f"姓名,身份证号,村\n陈平,{_id(date(2015, 2, 2), 3)},青石\n"
        f"陈安,{_id(date(2016, 2, 2), 5)},河东村\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        roster_import(actor=users["supervisor_1"], path=path, source="civil", dry_run=False)
    assert rejected.value.errors == [
        "第 3 行 村(居):找不到“河东村”(或同名的村不止一个),请填写 12 位区划代码或加一列乡镇(街道)"
    ]


def test_without_a_village_column_the_address_names_the_village(tmp_path, place):
    path = tmp_path / "police.csv"
    path.write_text(
        "姓名,公民身份号码,户籍地址,现住址\n"
        f"陈平,{_id(date(2015, 2, 2), 3)},江西省德安县聂桥镇河东村,德安县 蒲亭镇 青石村 5组\n"
        f"陈安,{_id(date(2016, 2, 2), 5)},,蒲亭镇东风村委会旁\n"
        f"陈宁,{_id(date(2016, 4, 2), 5)},,县城光明路\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        roster_import(actor=None, path=path, source="police")
    assert rejected.value.errors == [
        "第 4 行 村(居):为空,住址“县城光明路”中也找不到唯一的村(居);"
        "请加一列村(居),或导入时指定默认村"
    ]
    path.write_text(path.read_text().rsplit("陈宁", 1)[0], encoding="utf-8")
    roster_import(actor=None, path=path, source="police")
    assert Child.objects.get(name="陈平").division == place.village_b  # where the child lives
    assert Child.objects.get(name="陈安").division == place.village_a


def test_adults_on_a_roster_of_every_age_are_counted_not_imported(tmp_path, place):
    path = tmp_path / "cdpf.csv"
    adult = idnumber.make(region_code="360426", birth_date=date(2008, 11, 1), sequence=3, sex="M")
    turning = idnumber.make(region_code="360426", birth_date=date(2008, 11, 2), sequence=3, sex="F")
    path.write_text(
        f"姓名,残疾证号,村\n大人,{adult}41,东风村\n快满,{turning}51,东风村\n", encoding="utf-8"
    )
    report = roster_import(actor=None, path=path, source="disabled", as_of=date(2026, 11, 1))
    assert (report.rows, report.adults, report.created) == (2, 1, 1)
    assert list(Child.objects.values_list("name", flat=True)) == ["快满"]


def test_township_and_village_in_one_cell(tmp_path, place):
    path = tmp_path / "one.csv"
    path.write_text(
        f"姓名,身份证号,所在村\n陈平,{_id(date(2015, 2, 2), 3)},聂桥镇河东村\n", encoding="utf-8"
    )
    roster_import(actor=None, path=path, source="civil")
    assert Child.objects.get(name="陈平").division == place.village_c


def test_a_file_whose_sheets_hold_no_roster_names_what_is_missing(tmp_path, place):
    wb = Workbook()
    wb.active.append(["本表为汇总表"])
    wb.active.append(["村", "人数"])
    wb.active.append(["东风村", 3])
    with pytest.raises(FileRejected, match="缺少必需的列:姓名"):
        roster_import(actor=None, path=_save(wb, tmp_path / "sum.xlsx"), source="civil")

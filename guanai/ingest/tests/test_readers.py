import zipfile
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from guanai.ingest.readers import FileRejected, decode, read_table
from guanai.ingest.rows import SheetRow

HEAD = ["姓名", "身份证号", "出生日期"]


def _xlsx(path, rows, formula=False):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if formula:
        ws["C2"] = "=TODAY()"
    wb.save(path)
    return path


def test_it_reads_xlsx_with_line_numbers(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [HEAD, ["张三", "", date(2015, 3, 9)], [], ["李四", "", ""]])
    table = read_table(path)
    assert table.headers == HEAD
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells[2] == date(2015, 3, 9)


def test_it_finds_formula_cells(tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [HEAD, ["张三", "", ""]], formula=True)
    assert read_table(path).rows[0].formulas == {2}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_reads_csv_encodings(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes("姓名,出生日期\n张三,2015-03-09\n".encode(encoding))
    table = read_table(path)
    assert table.headers == ["姓名", "出生日期"]
    assert table.rows == [SheetRow("", 2, ["张三", "2015-03-09"])]


def test_it_rejects_undecodable_bytes():
    with pytest.raises(FileRejected, match="编码"):
        decode(b"\xff\xfe\xff\x80\x81\xff")


@given(st.text(alphabet=st.characters(codec="gb18030"), max_size=40))
def test_decode_round_trips_gb18030_and_utf8(text):
    assert decode(text.encode("utf-8")) == text
    encoded = text.encode("gb18030")
    # GB18030 bytes are sometimes valid UTF-8 too (pure ASCII); then both readings agree.
    assert decode(encoded) in {text, encoded.decode("utf-8", "ignore")}


def test_it_rejects_duplicate_headers(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("姓名,姓名\n张三,李四\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="出现了两次"):
        read_table(path)


def test_it_rejects_corrupt_workbook(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04not really a zip at all" * 10)
    with pytest.raises(FileRejected, match="损坏"):
        read_table(path)


def test_it_rejects_password_protected_workbook(tmp_path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(FileRejected, match="密码"):
        read_table(path)


def test_it_rejects_zip_bomb_before_unpacking(tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    with pytest.raises(FileRejected, match="解压后"):
        read_table(path)


def test_it_rejects_a_zip_bomb_by_its_packing_ratio(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(FileRejected, match="解压后"):
        read_table(path)


def test_a_200_mb_file_is_refused_with_the_default_limit(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    with pytest.raises(FileRejected, match="文件过大:200.0 MB,上限为 100 MB"):
        read_table(path)


def test_it_rejects_files_over_the_size_limit(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_text("姓名\n" + "张三\n" * 1000, encoding="utf-8")
    with pytest.raises(FileRejected, match="文件过大"):
        read_table(path)


def test_it_rejects_unknown_file_types(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(FileRejected, match="不支持"):
        read_table(path)

"""Reading a departmental roster file into a header row and value rows.

Everything a user can get wrong about the file itself (size, encoding, a corrupt or
password-protected workbook, a zip bomb, duplicate headers) raises ``FileRejected`` with a
Chinese message before any row is looked at.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings

from guanai.core.errors import DomainError

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(DomainError):
    """The file as a whole cannot be imported; nothing is saved."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (line number in the sheet, cells)
    formula_cells: frozenset[tuple[int, int]] = frozenset()  # (line number, column index)


# A real workbook's XML packs about 5 to 15 times; far beyond that is a zip bomb.
MAX_PACKING_RATIO = 100


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_unpacked_bytes() -> int:
    return settings.IMPORT_MAX_UNPACKED_BYTES


def read_table(path: Path | str) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise FileRejected(
            f"文件过大:{size / MB:.1f} MB,上限为 {max_bytes() / MB:.0f} MB,请拆分后导入"
        )
    if size == 0:
        raise FileRejected("文件是空的")
    with path.open("rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC) and suffix in {".xlsx", ".xlsm"}:
        raise FileRejected("工作簿有密码保护(已加密),请在 Excel 中去掉密码后另存再导入")
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        formulas: frozenset[tuple[int, int]] = frozenset()
        if head.startswith(ZIP_MAGIC):
            formulas = _check_zip(path)
        elif suffix != ".xls":
            raise FileRejected("文件不是有效的 xlsx 工作簿(可能已损坏)")
        return _with_formulas(_read_workbook(path), formulas)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path.read_bytes())
    raise FileRejected(f"不支持的文件类型 {suffix or '(无扩展名)'},请使用 xlsx、xls 或 csv")


def _check_zip(path: Path) -> frozenset[tuple[int, int]]:
    """Refuse zip bombs before unpacking; find formula cells of the first sheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if unpacked > max_unpacked_bytes() or (
                unpacked > 10 * MB and unpacked / packed > MAX_PACKING_RATIO
            ):
                raise FileRejected(
                    f"工作簿解压后达 {unpacked / MB:.0f} MB,超过上限 "
                    f"{max_unpacked_bytes() / MB:.0f} MB,疑似异常文件,未导入"
                )
            if any(i.flag_bits & 0x1 for i in infos):
                raise FileRejected("工作簿有密码保护(已加密),请去掉密码后再导入")
            sheets = sorted(
                n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
            )
            if not sheets:
                raise FileRejected("文件不是有效的 xlsx 工作簿(找不到工作表)")
            return _formula_cells(zf.read(sheets[0]))
    except zipfile.BadZipFile:
        raise FileRejected("工作簿已损坏,无法打开") from None


def _formula_cells(xml: bytes) -> frozenset[tuple[int, int]]:
    if b"<f" not in xml:
        return frozenset()
    import re

    cells = set()
    for m in re.finditer(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?<!/)>(?:(?!</c>).)*?<f[ >/]', xml, re.S):
        col = 0
        for ch in m.group(1).decode():
            col = col * 26 + ord(ch) - 64
        cells.add((int(m.group(2)), col - 1))
    return frozenset(cells)


def _with_formulas(table: Table, formulas: frozenset[tuple[int, int]]) -> Table:
    return Table(table.headers, table.rows, formulas) if formulas else table


def _read_workbook(path: Path) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        # Row by row: a million-row roster is never held twice (as read and as normalised).
        return _table(sheet.iter_rows())
    except FileRejected:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileRejected("工作簿有密码保护(已加密),请去掉密码后再导入") from None
        raise FileRejected("工作簿已损坏或格式无法识别,无法读取") from None


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("无法识别文件编码:请将 CSV 另存为 UTF-8 或 GBK 编码")


def _read_csv(raw: bytes) -> Table:
    text = decode(raw)
    if "\x00" in text:
        raise FileRejected("文件不是文本格式的 CSV(含有二进制内容)")
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    table = _table(csv.reader(io.StringIO(text), dialect))
    formulas = frozenset(
        (line, j)
        for line, row in table.rows
        for j, v in enumerate(row)
        if isinstance(v, str) and v[:1] in {"=", "+", "@"} and len(v) > 1 and not v[1:].isdigit()
    )
    return _with_formulas(table, formulas)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(data: Iterable[list[object]]) -> Table:
    lines = ((n, r) for n, r in enumerate(data, start=1) if any(_cell_text(v) for v in r))
    first = next(lines, None)
    if first is None:
        raise FileRejected("文件中没有数据")
    headers = ["".join(_cell_text(v).split()) for v in first[1]]
    while headers and not headers[-1]:
        headers.pop()
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise FileRejected(f"表头“{h}”出现了两次,请删除或改名其中一列")
        seen.add(h)
    width = len(headers)
    rows = [(n, [_normalise_cell(v) for v in r[:width]]) for n, r in lines]
    return Table(headers, rows)


def _normalise_cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value
    return _cell_text(value)

"""Reading a departmental roster file into a header row and value rows.

Everything a user can get wrong about the file itself (size, encoding, a corrupt or
password-protected workbook, a zip bomb, duplicate headers) raises ``FileRejected`` with a
Chinese message before any row is looked at.

Rosters are made by hand for printing, so the reader looks for the header row under a title
and the 填报单位 line, reads a two-row header (监护人 over 姓名 and 电话), fills a cell merged
down over siblings into each sibling's row, takes every visible sheet that carries a roster
(one per village, often), and leaves out blank template rows, repeated headers and the
合计 / 填表人 lines at the foot. What it leaves out is counted, never silently dropped data:
a row with anything in a mapped column is read.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from html.parser import HTMLParser
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import DomainError
from guanai.core.params import whole_number
from guanai.ingest.rows import SheetRow, header_columns, header_field

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEADER_SCAN = 30  # rows looked at for the header: titles and notes come first
# A run of four digits (a year, an ID, a phone) marks a data or title row, never a header.
_DIGIT_RUN = re.compile(r"\d{4}")
_GROUP_SUFFIX = re.compile(r"(基本)?(情况|信息)$")
# Group headers over the child's own columns ("儿童基本信息" over 姓名, 性别 ...).
_CHILD_GROUPS = frozenset({"", "儿童", "学生", "幼儿", "未成年人", "个人", "本人", "儿童本人"})
_FOOTER = re.compile(
    r"\s*(合\s*计|总\s*计|小\s*计|共\s*计|填表人|填报人|制表人|审核人|负责人|统计人|联系人|"
    r"填表日期|填报日期|制表日期|单位负责人|分管领导|签字|盖章|注\s*[::]|备注[::]|说明[::])"
)
_CSV_FORMULA = re.compile(r"[=@].|[+-][A-Za-z(]")
_CSV_TEXT = re.compile(r'="(.*)"')  # ="4301..." is how exports keep Excel from eating digits
_SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NS_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_NS_WORKBOOK = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class FileRejected(DomainError):
    """The file as a whole cannot be imported; nothing is saved."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[SheetRow]
    skipped: int = 0  # blank template rows, repeated headers, totals and signature lines
    sheets: tuple[str, ...] = ()  # the sheets read, where a workbook has several rosters


# A real workbook's XML packs about 5 to 15 times; far beyond that is a zip bomb.
MAX_PACKING_RATIO = 100


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_unpacked_bytes() -> int:
    return settings.IMPORT_MAX_UNPACKED_BYTES


def read_table(path: Path | str, extra: dict[str, str] | None = None) -> Table:
    """The roster in a file; `extra` is a saved profile's headers, to find the header row."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise FileRejected(
            _("文件过大:%(size).1f MB,上限为 %(most).0f MB,请拆分后导入"),
            size=size / MB,
            most=max_bytes() / MB,
        )
    if size == 0:
        raise FileRejected(_("文件是空的"))
    with path.open("rb") as f:
        head = f.read(2048)
    suffix = path.suffix.lower()
    columns = header_columns(extra)
    if head.startswith(OLE_MAGIC) and suffix in {".xlsx", ".xlsm"}:
        raise FileRejected(_("工作簿有密码保护(已加密),请在 Excel 中去掉密码后另存再导入"))
    if suffix == ".xls" and _is_markup(head):
        # Many departmental systems "export to Excel" as a web page saved with .xls,
        # or as Excel 2003's XML.
        text = decode(path.read_bytes())
        if _SPREADSHEET_ML in head:
            return _read_spreadsheet_ml(text, columns)
        return _read_html(text, columns)
    if suffix == ".xls" and not head.startswith((OLE_MAGIC, ZIP_MAGIC)) and b"\x00" not in head:
        return _read_csv(path.read_bytes(), columns)  # tab-separated text named .xls
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        formulas: dict[str, frozenset[tuple[int, int]]] = {}
        if head.startswith(ZIP_MAGIC):
            formulas = _check_zip(path)
        elif suffix != ".xls":
            raise FileRejected(_("文件不是有效的 xlsx 工作簿(可能已损坏)"))
        return _read_workbook(path, columns, formulas)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path.read_bytes(), columns)
    raise FileRejected(
        _("不支持的文件类型 %(value)s,请使用 xlsx、xls 或 csv"), value=suffix or "(无扩展名)"
    )


def _is_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<html", b"<!doctype", b"<table", b"<meta", b"<head", b"<?xml"))


# Workbooks --------------------------------------------------------------------------------------


def _check_zip(path: Path) -> dict[str, frozenset[tuple[int, int]]]:
    """Refuse zip bombs before unpacking; find each sheet's formula cells (line, column)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if unpacked > max_unpacked_bytes() or (
                unpacked > 10 * MB and unpacked / packed > MAX_PACKING_RATIO
            ):
                raise FileRejected(
                    _("工作簿解压后达 %(size).0f MB,超过上限 %(most).0f MB,疑似异常文件,未导入"),
                    size=unpacked / MB,
                    most=max_unpacked_bytes() / MB,
                )
            if any(i.flag_bits & 0x1 for i in infos):
                raise FileRejected(_("工作簿有密码保护(已加密),请去掉密码后再导入"))
            sheets = _sheet_parts(zf)
            if not sheets:
                raise FileRejected(_("文件不是有效的 xlsx 工作簿(找不到工作表)"))
            return {name: _formula_cells(zf.read(part)) for name, part in sheets.items()}
    except zipfile.BadZipFile:
        raise FileRejected(_("工作簿已损坏,无法打开")) from None


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, through workbook.xml and its relationships."""
    names = set(zf.namelist())
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{_NS_WORKBOOK}sheet"):
        target = targets.get(sheet.get(f"{_NS_RELATIONSHIP}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        if part in names:
            parts[sheet.get("name", "")] = part
    return parts


def _formula_cells(xml: bytes) -> frozenset[tuple[int, int]]:
    if b"<f" not in xml:
        return frozenset()
    cells = set()
    for m in re.finditer(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?<!/)>(?:(?!</c>).)*?<f[ >/]', xml, re.S):
        col = 0
        for ch in m.group(1).decode():
            col = col * 26 + ord(ch) - 64
        cells.add((int(m.group(2)), col - 1))
    return frozenset(cells)


def _read_workbook(
    path: Path, columns: dict[str, str], formulas: dict[str, frozenset[tuple[int, int]]]
) -> Table:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            # Rows come from the sheet's first row, columns from its first used one.
            first_column = (sheet.start or (0, 0))[1]
            rows: Iterable[list[object]] = sheet.iter_rows()
            if first_column:
                rows = ([""] * first_column + r for r in rows)
            sheets.append(
                _Sheet(meta.name, rows, sheet.merged_cell_ranges or [], formulas.get(meta.name))
            )
        return _tables(sheets, columns)
    except FileRejected:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileRejected(_("工作簿有密码保护(已加密),请去掉密码后再导入")) from None
        raise FileRejected(_("工作簿已损坏或格式无法识别,无法读取")) from None


# Text files -------------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(_("无法识别文件编码:请将 CSV 另存为 UTF-8 或 GBK 编码"))


def _read_csv(raw: bytes, columns: dict[str, str]) -> Table:
    text = decode(raw)
    if "\x00" in text:
        raise FileRejected(_("文件不是文本格式的 CSV(含有二进制内容)"))
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    formulas = set()

    def rows() -> Iterator[list[object]]:
        for i, row in enumerate(csv.reader(io.StringIO(text), dialect)):
            for j, value in enumerate(row):
                literal = _CSV_TEXT.fullmatch(value)
                if literal:
                    row[j] = literal[1]
                elif _CSV_FORMULA.match(value):
                    formulas.add((i + 1, j))
            yield row

    cells = list(rows())  # formulas are known once every row is read
    return _tables([_Sheet("", cells, [], frozenset(formulas))], columns)


class _HtmlTable(HTMLParser):
    """The rows of the first table in a web page, with colspan and rowspan laid out."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self._taken: set[tuple[int, int]] = set()  # cells covered by a span from above
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._depth = 0
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "table":
            self._depth += 1
        elif tag == "tr" and self._depth == 1:
            self.rows.append([])
        elif tag in {"td", "th"} and self._depth == 1 and self.rows:
            spans = dict(attrs)
            self._span = (_span(spans.get("rowspan")), _span(spans.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if self._done:
            return
        if tag in {"td", "th"} and self._cell is not None:
            self._place("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._depth -= 1
            self._done = self._depth == 0 and bool(self.rows)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _place(self, text: str) -> None:
        r, row = len(self.rows) - 1, self.rows[-1]
        while (r, len(row)) in self._taken:
            row.append("")
        c = len(row)
        down, across = self._span
        row.extend([text] + [""] * (across - 1))
        for i in range(r, r + down):
            for j in range(c, c + across):
                self._taken.add((i, j))
        if down > 1 or across > 1:
            self.merged.append(((r, c), (r + down - 1, c + across - 1)))


def _span(value: str | None) -> int:
    return whole_number(value, maximum=999) or 1


def _read_html(text: str, columns: dict[str, str]) -> Table:
    parser = _HtmlTable()
    parser.feed(text)
    parser.close()
    if not parser.rows:
        raise FileRejected(_("文件是网页格式,但其中没有表格"))
    return _tables([_Sheet("", parser.rows, parser.merged, frozenset())], columns)


def _read_spreadsheet_ml(text: str, columns: dict[str, str]) -> Table:
    """Excel 2003 XML: worksheets of rows of cells, positions and spans given as attributes."""
    try:
        # Decoded already (GBK included, which expat cannot), so the declaration goes.
        book = ElementTree.fromstring(_XML_DECLARATION.sub("", text, count=1))
    except ElementTree.ParseError:
        raise FileRejected(_("文件是 Excel 2003 XML 格式,但内容已损坏,无法读取")) from None
    sheets = []
    for ws in book.iter(f"{_NS_SS}Worksheet"):
        visible = ws.find(".//{urn:schemas-microsoft-com:office:excel}Visible")
        if visible is not None and (visible.text or "").startswith("Sheet"):
            continue  # SheetHidden, SheetVeryHidden
        rows: list[list[object]] = []
        merged = []
        for row in ws.iter(f"{_NS_SS}Row"):
            at = int(row.get(f"{_NS_SS}Index", len(rows) + 1)) - 1
            rows += [[] for _ in range(at + 1 - len(rows))]
            cells = rows[at]
            for cell in row.iter(f"{_NS_SS}Cell"):
                c = int(cell.get(f"{_NS_SS}Index", len(cells) + 1)) - 1
                cells += [""] * (c + 1 - len(cells))
                data = cell.find(f"{_NS_SS}Data")
                cells[c] = _xml_value(data) if data is not None else ""
                across = int(cell.get(f"{_NS_SS}MergeAcross", 0))
                down = int(cell.get(f"{_NS_SS}MergeDown", 0))
                cells += [""] * across
                if across or down:
                    merged.append(((at, c), (at + down, c + across)))
        sheets.append(_Sheet(ws.get(f"{_NS_SS}Name", ""), rows, merged, frozenset()))
    return _tables(sheets, columns)


def _xml_value(data: ElementTree.Element) -> object:
    text = "".join(data.itertext())
    kind = data.get(f"{_NS_SS}Type")
    try:
        if kind == "Number":
            return float(text)
        if kind == "DateTime":
            return datetime.fromisoformat(text[:19])
    except ValueError:
        pass
    return text


# One sheet's roster ------------------------------------------------------------------------------


class _Sheet:
    """A sheet's rows as read, with its merged cells and formula cells (0-based rows)."""

    def __init__(self, name, rows, merged, formulas):
        self.name, self.rows = name, rows
        self.formulas: dict[int, frozenset[int]] = {}
        for line, col in formulas or ():
            self.formulas[line] = self.formulas.get(line, frozenset()) | {col}
        # A cell merged across columns names a group of columns (header rows); one merged down
        # over rows holds a value each of those rows shares (a guardian over siblings).
        self.across: dict[int, list[tuple[int, int]]] = {}
        self.down: dict[int, list[tuple[int, int]]] = {}  # row -> (column, the value's row)
        for (r1, c1), (r2, c2) in merged:
            if c2 > c1:
                self.across.setdefault(r1, []).append((c1, c2))
            for r in range(r1 + 1, r2 + 1):
                self.down.setdefault(r, []).append((c1, r1))

    def lines(self) -> Iterator[tuple[int, list[object]]]:
        """(0-based row, cells as kept) of the rows with any value, merged-down cells filled."""
        down = self.down
        kept: dict[tuple[int, int], object] = {}  # top cells of merges running down
        for r, raw in enumerate(self.rows):
            if down:
                for c, top in down.get(r, ()):
                    if c >= len(raw):  # rows end at their last value
                        raw += [""] * (c + 1 - len(raw))
                    raw[c] = kept.get((top, c), "")
                for c, top in down.get(r + 1, ()):
                    if top == r and c < len(raw):
                        kept[(r, c)] = raw[c]
            cells = [_normalise_cell(v) for v in raw]
            if any(cells):
                yield r, cells

    def across_filled(self, r: int, cells: list[str]) -> list[str]:
        filled = list(cells)
        for c1, c2 in self.across.get(r, ()):
            for c in range(c1 + 1, min(c2 + 1, len(filled))):
                filled[c] = filled[c1]
        return filled


@dataclass(frozen=True)
class _Found:
    sheet: _Sheet
    headers: list[str]
    mapped: int  # fields the header maps; 0 where no header row was found
    data: Iterator[tuple[int, list[object]]]  # the rows under the header, not read yet


def _tables(sheets: list[_Sheet], columns: dict[str, str]) -> Table:
    found = [f for f in (_sheet_header(s, columns) for s in sheets) if f is not None]
    if not found:
        raise FileRejected(_("文件中没有数据"))
    # Without a header row that names known fields, the first sheet's likeliest row is shown,
    # for the message about missing columns and for a new header profile.
    rosters = [f for f in found if f.mapped] or found[:1]
    if len(rosters) == 1:
        rows, skipped = _rows(rosters[0], "", None, columns)
        return Table(rosters[0].headers, rows, skipped)
    # Several sheets' rows in one column layout: a column per field (under the header it has
    # where first met) and per other header, in order of first use.
    headers: list[str] = []
    at: dict[str, int] = {}
    for f in rosters:
        for h in f.headers:
            key = header_field(h, columns) or h
            if h and key not in at:
                at[key] = len(headers)
                headers.append(h)
    rows, skipped = [], 0
    for f in rosters:
        layout = [at.get(header_field(h, columns) or h) if h else None for h in f.headers]
        sheet_rows, sheet_skipped = _rows(f, f.sheet.name, (layout, len(headers)), columns)
        rows += sheet_rows
        skipped += sheet_skipped
    return Table(headers, rows, skipped, tuple(f.sheet.name for f in rosters))


def _sheet_header(sheet: _Sheet, columns: dict[str, str]) -> _Found | None:
    lines = sheet.lines()
    head = list(islice(lines, HEADER_SCAN))
    if not head:
        return None
    texts = [["".join(_cell_text(v).split()) for v in cells] for _, cells in head]
    at, rows_used, headers, mapped = _header(sheet, head, texts, columns)
    where = f"工作表“{sheet.name}”的" if sheet.name else ""
    while headers and not headers[-1]:
        headers.pop()
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise FileRejected(
                _("%(where)s表头“%(h)s”出现了两次,请删除或改名其中一列"), where=where, h=h
            )
        seen.add(h)
    return _Found(sheet, headers, mapped, chain(head[at + rows_used :], lines))


def _rows(
    found: _Found,
    label: str,
    layout: tuple[list[int | None], int] | None,
    columns: dict[str, str],
) -> tuple[list[SheetRow], int]:
    """The data rows, less those left out; `layout` places them among several sheets' columns."""
    width = len(found.headers)
    fields = [header_field(h, columns) for h in found.headers]
    used = [j for j, f in enumerate(fields) if f] or range(width)
    name_at = fields.index("name") if "name" in fields else None
    name_headers = {h for h, f in columns.items() if f == "name"}
    formulas = found.sheet.formulas
    rows, skipped = [], 0
    for r, raw in found.data:
        cells = raw if len(raw) <= width else raw[:width]
        if _left_out(cells, used, name_at, name_headers):
            skipped += 1
            continue
        in_formula = formulas.get(r + 1, frozenset())
        if layout is not None:
            where, wide = layout
            placed: list[object] = [""] * wide
            for j, v in enumerate(cells):
                if where[j] is not None:
                    placed[where[j]] = v
            cells = placed
            in_formula = frozenset(
                where[j] for j in in_formula if j < width and where[j] is not None
            )
        rows.append(SheetRow(label, r + 1, cells, in_formula))
    return rows, skipped


def _header(
    sheet: _Sheet, head: list[tuple[int, list[object]]], texts: list[list[str]], columns
) -> tuple[int, int, list[str], int]:
    """(index in `head`, header rows, headers, fields mapped) of the best header found."""
    best: tuple[int, int, int, list[str]] | None = None
    for i, row in enumerate(texts):
        options = [(1, row)]
        if i + 1 < len(texts) and _header_like(texts[i + 1]):
            group = sheet.across_filled(head[i][0], row)
            options.append((2, _two_row(row, group, texts[i + 1])))
        for used, headers in options:
            score = _score(headers, columns)
            # A second header row must map more: a note such as 单位:人 above is no group.
            if score and (best is None or (score, -used) > (best[0], -best[2])):
                best = (score, i, used, headers)
    if best is None:
        # No row names the child's name and another known field: the first of the widest rows
        # is likeliest (a title above it is one merged cell).
        widths = [sum(1 for t in row if t) for row in texts]
        at = widths.index(max(widths))
        return at, 1, texts[at], 0
    score, at, used, headers = best
    return at, used, headers, score


def _header_like(texts: list[str]) -> bool:
    return any(texts) and not any(_DIGIT_RUN.search(t) for t in texts)


def _two_row(row: list[str], group: list[str], sub: list[str]) -> list[str]:
    """A group row over a row of headers: 监护人 over 姓名 reads 监护人姓名."""
    headers = []
    for j in range(max(len(group), len(sub))):
        g = group[j] if j < len(group) else ""
        s = sub[j] if j < len(sub) else ""
        if not s or s == g:
            headers.append(row[j] if j < len(row) else "")  # a merged group's tail stays blank
        elif not g:
            headers.append(s)
        else:
            stem = _GROUP_SUFFIX.sub("", g)
            headers.append(s if stem in _CHILD_GROUPS else stem + s)
    return headers


def _score(headers: list[str], columns: dict[str, str]) -> int:
    """Distinct fields a header row maps, less any mapped twice; 0 unless the name is one."""
    mapped = [f for f in (header_field(h, columns) for h in headers if h) if f]
    distinct = set(mapped)
    if "name" not in distinct or len(distinct) < 2:
        return 0
    return max(len(distinct) - (len(mapped) - len(distinct)), 0)


def _left_out(cells: list[object], used, name_at: int | None, name_headers: set[str]) -> bool:
    """A blank template row, a total or signature line, or the header printed again."""
    width = len(cells)
    name = cells[name_at] if name_at is not None and name_at < width else ""
    if not name and not any(cells[j] for j in used if j < width):
        return True
    first = cells[0] or next(v for v in cells if v)
    if type(first) is str and _FOOTER.match(first):
        return True
    return name in name_headers


def _cell_text(value: object) -> str:
    kept = _normalise_cell(value)
    return kept if type(kept) is str else str(kept)


def _normalise_cell(value: object) -> object:
    """Text stripped, whole numbers as their digits, dates as dates (a million rows pass here)."""
    kind = type(value)
    if kind is str:
        text = value.strip()
        # A leading apostrophe is Excel's way of saying "text"; exports sometimes keep it.
        return text[1:].strip() if text[:1] == "'" else text
    if kind is float:
        if abs(value) >= 2**53:
            # Past 2**53 a float has lost digits: an ID number typed as a number. Kept as the
            # float so the row check can say so rather than read a wrong number.
            return value
        return str(int(value)) if value.is_integer() else str(value)
    if kind is datetime:
        return value.date() if value.time() == time(0) else value
    if kind is date:
        return value
    return "" if value is None else str(value).strip()

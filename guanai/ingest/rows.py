"""Header mapping and row validation: every error names the sheet line and the column."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.utils.translation import gettext_noop

from guanai.core import phones
from guanai.core.errors import in_record
from guanai.registry import idnumber
from guanai.registry.choices import DisabilityCategory, DisabilityGrade


@dataclass(frozen=True)
class Field:
    label: str
    spellings: tuple[str, ...]  # headers seen on departmental rosters
    # Headers used only when none of the spellings is there: a police roster may carry both
    # 现住址 and 户籍地址, and the place where the child lives is the one a visit needs.
    fallbacks: tuple[str, ...] = ()


def _field(label: str, spellings: str, fallbacks: str = "") -> Field:
    return Field(label, tuple(spellings.split()), tuple(fallbacks.split()))


# Labels stay Chinese in row errors; pages translate them where they show them (gettext_noop
# puts them in the catalogue).


FIELDS: dict[str, Field] = {
    "name": _field(
        gettext_noop("姓名"), "姓名 儿童姓名 学生姓名 幼儿姓名 孩子姓名 未成年人姓名 名字"
    ),
    "id_number": _field(
        gettext_noop("身份证号"),
        "身份证号 身份证号码 公民身份号码 公民身份证号码 居民身份证号码 身份证件号码 身份证件号 "
        "儿童身份证号 学生身份证号 证件号码 身份证",
    ),
    "birth_date": _field(gettext_noop("出生日期"), "出生日期 出生年月日 出生年月 出生时间 生日"),
    "sex": _field(gettext_noop("性别"), "性别"),
    "guardian": _field(
        gettext_noop("监护人"), "监护人 监护人姓名 实际监护人 实际监护人姓名 家长姓名 家长"
    ),
    "phone": _field(
        gettext_noop("联系电话"),
        "联系电话 联系方式 电话 手机 手机号 手机号码 家长电话 家长联系电话 家长手机 "
        "监护人电话 监护人联系电话 监护人联系方式 监护人手机",
        fallbacks="父亲联系电话 母亲联系电话 父亲电话 母亲电话 父亲手机 母亲手机",
    ),
    "address": _field(
        gettext_noop("住址"),
        "住址 家庭住址 现住址 家庭详细住址 家庭地址 居住地址 现居住地址 现居住地 详细地址 地址",
        fallbacks="户籍地址 户籍所在地 户籍地",
    ),
    "township": _field(
        gettext_noop("乡镇(街道)"),
        "乡镇(街道) 乡镇 乡镇街道 乡(镇、街道) 镇(街道) 所属乡镇 所在乡镇",
    ),
    "village": _field(
        gettext_noop("村(居)"),
        "村(居) 村居 村 所在村 村(社区) 所在村(社区) 村(居)委会 村委会 社区 村居代码 区划代码",
    ),
    "school": _field(gettext_noop("学校"), "学校 就读学校 学校名称 所在学校 在读学校 就读学校名称"),
    "grade": _field(gettext_noop("年级"), "年级 所在年级 就读年级"),
    "class_name": _field(gettext_noop("班级"), "班级 年级班级 所在班级"),
    "disability_category": _field(gettext_noop("残疾类别"), "残疾类别 残疾类型 残疾种类"),
    "disability_grade": _field(gettext_noop("残疾等级"), "残疾等级 残疾级别"),
    "disability": _field(
        gettext_noop("残疾类别及等级"),
        "残疾类别及等级 残疾类别和等级 残疾类型及等级 残疾类别等级 残疾情况",
    ),
    "disability_cert": _field(
        gettext_noop("残疾证号"), "残疾证号 残疾人证号 残疾证号码 残疾人证号码 残疾证编号"
    ),
}
REQUIRED = ("name",)
_NOTE = re.compile(r"\([^(]*\)$")  # 联系电话(监护人), 出生日期(格式:2015-01-01)


_CHILD_OWN = frozenset({"name", "id_number", "birth_date", "sex"})
_OTHER_PERSON = re.compile("监护人|家长|父|母|户主|联系人")


def _norm_header(h: str) -> str:
    # NFKC: full-width brackets and colons, as typed in Chinese, read as their ASCII forms.
    text = unicodedata.normalize("NFKC", "".join(str(h).split()))
    return text.replace("*", "").replace("※", "").rstrip(":")


def default_columns() -> dict[str, str]:
    """Normalised header -> field, for every spelling and fallback."""
    return {
        _norm_header(h): name for name, f in FIELDS.items() for h in (*f.spellings, *f.fallbacks)
    }


FALLBACK_HEADERS = frozenset(_norm_header(h) for f in FIELDS.values() for h in f.fallbacks)


def header_field(header: str, columns: dict[str, str]) -> str | None:
    """The field a header holds, reading past a note in brackets after a known header."""
    key = _norm_header(header)
    found = columns.get(key)
    if found is None and key.endswith(")"):
        found = columns.get(_NOTE.sub("", key))
        # 身份证号(监护人) is the guardian's number, not the child's; 联系电话(监护人) is the
        # family's phone all the same.
        if found in _CHILD_OWN and _OTHER_PERSON.search(_NOTE.search(key)[0]):
            return None
    return found


def header_columns(extra: dict[str, str] | None = None) -> dict[str, str]:
    return default_columns() | {_norm_header(k): v for k, v in (extra or {}).items()}


def resolve_headers(headers: list[str], extra: dict[str, str] | None = None) -> dict[str, int]:
    """field -> column index. Raises ValueError (Chinese) for missing or doubly mapped fields."""
    columns = header_columns(extra)
    chosen = {_norm_header(k) for k in extra or {}}
    # A profile's headers come first, then the usual spellings, then the fallbacks.
    tiers: tuple[dict[str, int], ...] = ({}, {}, {})
    for i, h in enumerate(headers):
        f = header_field(h, columns)
        if f is None:
            continue
        key = _norm_header(h)
        tier = tiers[0 if key in chosen else 2 if key in FALLBACK_HEADERS else 1]
        if f in tier:
            if tier is tiers[2]:
                continue  # of two fallbacks (父亲联系电话, 母亲联系电话) the first will do
            raise ValueError(f"“{headers[tier[f]]}”和“{h}”都对应{FIELDS[f].label},请只保留一列")
        tier[f] = i
    found = tiers[2] | tiers[1] | tiers[0]
    missing = [FIELDS[f].label for f in REQUIRED if f not in found]
    if not {"id_number", "birth_date", "disability_cert"} & found.keys():
        missing.append("身份证号或出生日期")
    if missing:
        raise ValueError("缺少必需的列:" + "、".join(missing))
    return found


class SheetRow(NamedTuple):
    sheet: str  # the worksheet's name where a workbook's rows come from several, else ""
    line: int  # line number in the sheet, as Excel shows it
    cells: list[object]
    formulas: frozenset[int] = frozenset()  # columns holding a formula


def place(sheet: str, line: int) -> str:
    return f"工作表“{sheet}”第 {line} 行" if sheet else f"第 {line} 行"


@dataclass(slots=True)
class CleanRow:
    line: int
    name: str
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    township: str = ""
    village: str = ""
    sheet: str = ""
    values: dict[str, str] = field(default_factory=dict)  # guardian, phone, address, school, ...
    warning: str = ""  # imported all the same: an ID number not used, or contradicting columns


def row_said(sheet: str, line: int, label: str, message: str) -> str:
    """What is said of a row, error or warning: where, which column, what."""
    return f"{place(sheet, line)} {label}:{message}"


class RowError(ValueError):
    def __init__(self, line: int, label: str, message: str, sheet: str = ""):
        super().__init__(row_said(sheet, line, label, message))
        self.line, self.label, self.message, self.sheet = line, label, message, sheet


_SEX = {
    "男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F", "1": "M", "2": "F",
    "男孩": "M", "女孩": "F", "男生": "M", "女生": "F",
}  # fmt: skip
_DATE_PATTERNS = (
    # A time after the date comes from CSV exports of date cells ("2015-03-08 00:00:00").
    re.compile(
        r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    ),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_YEAR_MONTH = (re.compile(r"(\d{4})[-/.年](\d{1,2})月?"), re.compile(r"(\d{4})(\d{2})"))
# A date cell without a date format reaches us as Excel's day count (42071 is 2015-03-08).
_EXCEL_SERIAL = re.compile(r"[1-9]\d{4}(?:\.0+)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")
# A roster's words are Chinese whatever the uploader reads the pages in: the labels as the record
# keeps them (in_record), not as a page shows them.
_CATEGORY_WORDS = {in_record(c.label): c.value for c in DisabilityCategory}
_GRADE_WORDS = {in_record(g.label): g.value for g in DisabilityGrade}
_CATEGORY = (
    _CATEGORY_WORDS
    | {word.removesuffix("残疾"): value for word, value in _CATEGORY_WORDS.items()}
    | {word[0] + "残": value for word, value in _CATEGORY_WORDS.items() if word.endswith("残疾")}
    | {"自闭症": DisabilityCategory.AUTISM.value, "孤独症谱系障碍": DisabilityCategory.AUTISM.value}
)
_ROMAN = "ⅠⅡⅢⅣ"
_GRADE = (
    _GRADE_WORDS
    | {word.removesuffix("级"): value for word, value in _GRADE_WORDS.items()}
    | {str(g.value): g.value for g in DisabilityGrade}
    | {f"{g.value}级": g.value for g in DisabilityGrade}
    | {_ROMAN[g.value - 1]: g.value for g in DisabilityGrade}
    | {f"{_ROMAN[g.value - 1]}级": g.value for g in DisabilityGrade}
)
_GRADE_AT_END = re.compile(r"(.*?)([一二三四1-4ⅠⅡⅢⅣ]级)$")
_SEPARATORS = re.compile(r"[、/,,;;+]|和|及")
# The second-generation disability certificate: the holder's ID number, then the category
# (1 视力, 2 听力, 3 言语, 4 肢体, 5 智力, 6 精神, 7 多重) and the grade.
_CERT_CATEGORY = dict(
    zip(
        "1234567",
        (
            DisabilityCategory.VISION,
            DisabilityCategory.HEARING,
            DisabilityCategory.SPEECH,
            DisabilityCategory.LIMB,
            DisabilityCategory.INTELLECTUAL,
            DisabilityCategory.MENTAL,
            DisabilityCategory.MULTIPLE,
        ),
        strict=True,
    )
)


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    if _EXCEL_SERIAL.fullmatch(text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    raise ValueError(f"无法识别的日期“{text}”,请写成 2015-03-08")


def parse_year_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a 出生年月 such as 2015.03 or 201503; None if it is not one."""
    for pattern in _YEAR_MONTH:
        m = pattern.fullmatch(text.strip())
        if m and 1 <= int(m[2]) <= 12:
            return int(m[1]), int(m[2])
    return None


def parse_disability(text: str) -> tuple[str, int]:
    """(category, grade) from one cell such as 肢体三级, 视力残疾二级 or 智力二级、肢体三级."""
    found = []
    for part in filter(None, _SEPARATORS.split("".join(text.split()))):
        m = _GRADE_AT_END.fullmatch(part)
        if m is None or m[1] not in _CATEGORY:
            raise ValueError(f"无法识别“{text}”,请写成“肢体三级”这样的类别加等级")
        found.append((_CATEGORY[m[1]], _GRADE[m[2]]))
    if not found:
        raise ValueError(f"无法识别“{text}”")
    if len(found) == 1:
        return found[0]
    # Several disabilities are one multiple disability, graded by the most severe.
    return DisabilityCategory.MULTIPLE.value, min(grade for _, grade in found)


_VALUE_FIELDS = ("guardian", "phone", "address", "school", "class_name")
_DISABILITY_FIELDS = frozenset({"disability", "disability_category", "disability_grade"})


def clean_row(raw: SheetRow, cols: dict[str, int]) -> CleanRow:
    """Validate one row; raises RowError for the first problem in column order."""
    sheet, line, cells, formulas = raw
    width = len(cells)

    def fail(label: str, message: str) -> RowError:
        return RowError(line, label, message, sheet)

    def get(f: str) -> object:
        i = cols.get(f)
        if i is None or i >= width:
            return ""
        if formulas and i in formulas:
            raise fail(FIELDS[f].label, "单元格是公式,请粘贴为数值后再导入")
        return cells[i]

    def text(f: str) -> str:
        v = get(f)
        if type(v) is str:
            return v.strip()
        return v.isoformat() if isinstance(v, date) else str(v).strip()

    row = CleanRow(line=line, sheet=sheet, name="".join(text("name").split()))
    if not row.name:
        raise fail("姓名", "不能为空")
    if len(row.name) > 50:
        raise fail("姓名", "过长")
    raw_sex = text("sex")
    if raw_sex:
        if raw_sex not in _SEX:
            raise fail("性别", f"应为“男”或“女”,而不是“{raw_sex}”")
        row.sex = _SEX[raw_sex]
    raw_birth = get("birth_date")
    birth_month = None
    if raw_birth not in ("", None):
        try:
            row.birth_date = parse_date(raw_birth)
        except ValueError as exc:
            birth_month = parse_year_month(str(raw_birth))
            if birth_month is None:
                raise fail("出生日期", str(exc)) from None
    category, grade = "", None
    cert = text("disability_cert") if "disability_cert" in cols else ""
    if cert:
        cert = idnumber.normalize(cert)
        if len(cert) != 20 or cert[18] not in _CERT_CATEGORY or cert[19] not in "1234":
            raise fail("残疾证号", "应为 20 位:身份证号 18 位,再加残疾类别 1 位和等级 1 位")
        category, grade = _CERT_CATEGORY[cert[18]].value, int(cert[19])
    raw_id = get("id_number")
    id_cell = text("id_number")
    id_text = id_cell or cert[:18]
    if isinstance(raw_id, float) or _SCIENTIFIC.fullmatch(id_text):
        raise fail(
            "身份证号",
            "被 Excel 存成了数字,末几位已经丢失;请把这一列设为“文本”格式,重新填写身份证号",
        )
    if id_text:
        label = "身份证号" if id_cell else "残疾证号"
        try:
            parsed = idnumber.parse(id_text)
        except idnumber.IdNumberError as exc:
            # Another department's typo is not the importer's to fix: the row comes in without
            # the number (kept as given, for linkage to read one-digit typos) and is linked by
            # name, birth date and household, or waits for review.
            _number_unused(row, label, in_record(exc.message).removeprefix("身份证号"), id_text)
            parsed = None
        if parsed is not None:
            problems = idnumber.cross_check(parsed, birth_date=row.birth_date, sex=row.sex)
            if birth_month and birth_month != (parsed.birth_date.year, parsed.birth_date.month):
                problems.append("出生年月与身份证号不一致")
            if cert and id_cell and cert[:18] != parsed.number:
                raise fail("残疾证号", "前 18 位与身份证号不一致")
            if problems:
                # Kept on the row, in Chinese like the rest of the import's words.
                said = ";".join(in_record(p) for p in problems)
                row.warning = row_said(sheet, line, label, said + ";采用身份证号")
            row.id_number, row.birth_date, row.sex = parsed.number, parsed.birth_date, parsed.sex
    if (
        not row.id_number
        and birth_month
        and row.birth_date
        and birth_month != (row.birth_date.year, row.birth_date.month)
    ):
        row.birth_date = None  # an invalid number's date that the roster's 出生年月 contradicts
    if not row.id_number:
        if birth_month is not None and row.birth_date is None:
            raise fail("出生日期", "只有年月;没有身份证号时请写到日,如 2015-03-08")
        if row.birth_date is None:
            raise fail("出生日期", "没有有效的身份证号时必须填写")
        if not row.sex:
            raise fail("性别", "没有有效的身份证号时必须填写")
    row.township = text("township")
    row.village = text("village")
    for f in _VALUE_FIELDS:
        if f in cols:
            v = text(f)
            if v:
                row.values[f] = v
    if "phone" in row.values:
        _clean_phone(row)
    school_grade = text("grade") if "grade" in cols else ""
    if school_grade and school_grade not in row.values.get("class_name", ""):
        # School rosters split 三年级 and 2班; the file keeps one class, 三年级2班.
        row.values["class_name"] = school_grade + row.values.get("class_name", "")
    if category or not _DISABILITY_FIELDS.isdisjoint(cols):
        _clean_disability(row, text, fail, category, grade)
    return row


def _clean_phone(row: CleanRow) -> None:
    """The phone in its normalised form; a cell that is no phone number is left out and said."""
    try:
        row.values["phone"] = phones.clean(row.values["phone"])
    except phones.PhoneError as exc:
        given = row.values.pop("phone")[:30]
        said = row_said(
            row.sheet, row.line, FIELDS["phone"].label, f"“{given}”{exc.message};未采用"
        )
        row.warning = ";".join(filter(None, (row.warning, said)))


def _number_unused(row: CleanRow, label: str, problem: str, number: str) -> None:
    """An invalid number: the row keeps it aside, and takes the birth date and sex it seems to
    carry where the roster has no column for them."""
    number = idnumber.normalize(number)[:30]
    row.values["id_number_given"] = number
    row.warning = row_said(row.sheet, row.line, label, f"{problem};号码未采用,按其他信息关联")
    birth, sex = idnumber.stated_birth_and_sex(number)
    row.birth_date = row.birth_date or birth
    row.sex = row.sex or sex or ""


def _clean_disability(row: CleanRow, text, fail, cert_category: str, cert_grade: int | None):
    """Category and grade from their own columns, one combined cell, or the certificate."""
    category, grade = "", None
    combined = text("disability")
    if combined:
        try:
            category, grade = parse_disability(combined)
        except ValueError as exc:
            raise fail("残疾类别及等级", str(exc)) from None
    raw_category = text("disability_category")
    if raw_category:
        if raw_category not in _CATEGORY:
            raise fail("残疾类别", f"无法识别“{raw_category}”")
        category = _CATEGORY[raw_category]
    raw_grade = text("disability_grade")
    if raw_grade:
        if raw_grade not in _GRADE:
            raise fail("残疾等级", f"应为一级至四级,而不是“{raw_grade}”")
        grade = _GRADE[raw_grade]
    if cert_category:
        labels = (
            in_record(DisabilityCategory(cert_category).label),
            in_record(DisabilityGrade(cert_grade).label),
        )
        if (category and category != cert_category) or (grade and grade != cert_grade):
            raise fail("残疾证号", "表示{}{},与残疾类别或等级一栏不一致".format(*labels))
        category, grade = cert_category, cert_grade
    if category:
        row.values["disability_category"] = category
    if grade:
        row.values["disability_grade"] = str(grade)

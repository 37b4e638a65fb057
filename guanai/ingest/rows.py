"""Header mapping and row validation: every error names the sheet line and the column."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from guanai.registry import idnumber
from guanai.registry.choices import DisabilityCategory, DisabilityGrade

# field -> (label, header spellings seen on departmental rosters)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("姓名", "儿童姓名", "学生姓名", "名字")),
    "id_number": ("身份证号", ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证")),
    "birth_date": ("出生日期", ("出生日期", "出生年月日", "生日")),
    "sex": ("性别", ("性别",)),
    "guardian": ("监护人", ("监护人", "监护人姓名", "家长姓名", "家长")),
    "phone": ("联系电话", ("联系电话", "电话", "手机", "手机号", "家长电话", "监护人电话")),
    "address": ("住址", ("住址", "家庭住址", "现住址", "地址")),
    "village": ("村(居)", ("村(居)", "村居", "村", "所在村", "村居代码", "区划代码")),
    "school": ("学校", ("学校", "就读学校", "学校名称")),
    "class_name": ("班级", ("班级",)),
    "disability_category": ("残疾类别", ("残疾类别", "残疾类型")),
    "disability_grade": ("残疾等级", ("残疾等级", "残疾级别")),
}
REQUIRED = ("name",)


def default_columns() -> dict[str, str]:
    return {h: f for f, (_, spellings) in FIELDS.items() for h in spellings}


def _norm_header(h: str) -> str:
    return h.replace("(", "(").replace(")", ")").replace("*", "").strip()


def resolve_headers(headers: list[str], extra: dict[str, str] | None = None) -> dict[str, int]:
    """field -> column index. Raises ValueError (Chinese) for missing or doubly mapped fields."""
    columns = default_columns()
    columns.update({_norm_header(k): v for k, v in (extra or {}).items()})
    found: dict[str, int] = {}
    for i, h in enumerate(headers):
        f = columns.get(_norm_header(h))
        if f is None:
            continue
        if f in found:
            raise ValueError(f"“{headers[found[f]]}”和“{h}”都对应{FIELDS[f][0]},请只保留一列")
        found[f] = i
    missing = [FIELDS[f][0] for f in REQUIRED if f not in found]
    if "id_number" not in found and "birth_date" not in found:
        missing.append("身份证号或出生日期")
    if missing:
        raise ValueError("缺少必需的列:" + "、".join(missing))
    return found


@dataclass(slots=True)
class CleanRow:
    line: int
    name: str
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    village: str = ""
    values: dict[str, str] = field(default_factory=dict)  # guardian, phone, address, school, ...


class RowError(ValueError):
    def __init__(self, line: int, label: str, message: str):
        super().__init__(f"第 {line} 行 {label}:{message}")
        self.line, self.label, self.message = line, label, message


_SEX = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F", "1": "M", "2": "F"}
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_CATEGORY = {c.label: c.value for c in DisabilityCategory} | {
    c.label.removesuffix("残疾"): c.value for c in DisabilityCategory
}
_GRADE = (
    {g.label: g.value for g in DisabilityGrade}
    | {str(g.value): g.value for g in DisabilityGrade}
    | {f"{g.value}级": g.value for g in DisabilityGrade}
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
    raise ValueError(f"无法识别的日期“{text}”,请写成 2015-03-08")


def clean_row(line: int, cells: list[object], cols: dict[str, int], formulas: set[int]) -> CleanRow:
    """Validate one row; raises RowError for the first problem in column order."""

    def get(f: str) -> object:
        i = cols.get(f)
        if i is None or i >= len(cells):
            return ""
        if i in formulas:
            raise RowError(line, FIELDS[f][0], "单元格是公式,请粘贴为数值后再导入")
        return cells[i]

    def text(f: str) -> str:
        v = get(f)
        return v.isoformat() if isinstance(v, date) else str(v).strip()

    row = CleanRow(line=line, name="".join(text("name").split()))
    if not row.name:
        raise RowError(line, "姓名", "不能为空")
    if len(row.name) > 50:
        raise RowError(line, "姓名", "过长")
    raw_sex = text("sex")
    if raw_sex:
        if raw_sex not in _SEX:
            raise RowError(line, "性别", f"应为“男”或“女”,而不是“{raw_sex}”")
        row.sex = _SEX[raw_sex]
    raw_birth = get("birth_date")
    if raw_birth not in ("", None):
        try:
            row.birth_date = parse_date(raw_birth)
        except ValueError as exc:
            raise RowError(line, "出生日期", str(exc)) from None
    raw_id = text("id_number")
    if raw_id:
        try:
            parsed = idnumber.parse(raw_id)
        except idnumber.IdNumberError as exc:
            raise RowError(line, "身份证号", exc.message.removeprefix("身份证号")) from None
        problems = idnumber.cross_check(parsed, birth_date=row.birth_date, sex=row.sex)
        if problems:
            raise RowError(line, "身份证号", ";".join(problems))
        row.id_number, row.birth_date, row.sex = parsed.number, parsed.birth_date, parsed.sex
    else:
        if row.birth_date is None:
            raise RowError(line, "出生日期", "没有身份证号时必须填写")
        if not row.sex:
            raise RowError(line, "性别", "没有身份证号时必须填写")
    row.village = text("village")
    for f in ("guardian", "phone", "address", "school", "class_name"):
        v = text(f)
        if v:
            row.values[f] = v
    category = text("disability_category")
    if category:
        if category not in _CATEGORY:
            raise RowError(line, "残疾类别", f"无法识别“{category}”")
        row.values["disability_category"] = _CATEGORY[category]
    grade = text("disability_grade")
    if grade:
        if grade not in _GRADE:
            raise RowError(line, "残疾等级", f"应为一级至四级,而不是“{grade}”")
        row.values["disability_grade"] = str(_GRADE[grade])
    return row

"""Departmental rosters of a seeded county, in the layouts departments really send.

For the demo and the tests: the police's household-register extract (a title, no village
column, 户籍地址 beside 现住址, a few adults), the schools' roll (one sheet per school, 出生年月,
new family phones, a few names typed in traditional characters, some children not on file),
the disabled persons' federation's web export saved as .xls (certificate numbers, grades in
words, phones in groups, adults), and a township's left-behind ledger (one sheet per village,
two-row header, guardian cells merged over siblings, numbered empty lines, 合计 and signatures).
Every name and number comes from the synthetic county; nothing here is real.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from openpyxl import Workbook

from guanai.accounts.scoping import unscoped, unscoped_area, within
from guanai.core.errors import in_record
from guanai.geo.models import Division, Level
from guanai.registry import idnumber
from guanai.registry.choices import GuardianRelation
from guanai.registry.models import Child

# The certificate's category digit; 孤独症 is certified as 精神残疾.
CERT_DIGIT = {
    "vision": "1",
    "hearing": "2",
    "speech": "3",
    "limb": "4",
    "intellectual": "5",
    "mental": "6",
    "autism": "6",
    "multiple": "7",
}
CATEGORY_WORD = {
    "vision": "视力",
    "hearing": "听力",
    "speech": "言语",
    "limb": "肢体",
    "intellectual": "智力",
    "mental": "精神",
    "autism": "精神",
    "multiple": "多重",
}
NEW_GIVEN_NAMES = ("子涵", "浩然", "欣怡", "梓轩", "雨桐", "思远", "佳琪", "俊杰", "一诺", "沐阳")
GRADE_WORD = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
TRADITIONAL = str.maketrans(
    "张刘陈杨黄赵吴孙马罗郑谢韩冯邓萧许叶苏卢蒋", "張劉陳楊黃趙吳孫馬羅鄭謝韓馮鄧蕭許葉蘇盧蔣"
)


@dataclass(frozen=True)
class Kid:
    name: str
    id_number: str
    birth: date
    sex: str
    ethnicity: str
    village_code: str
    village: str
    township: str
    address: str
    hukou_address: str
    household: int
    guardian: str
    relation: str
    phone: str
    school: str
    class_name: str
    disability: str
    grade: int | None


def _kids(county_code: str) -> list[Kid]:
    names = dict(Division.objects.filter(code__startswith=county_code).values_list("code", "name"))
    guardians: dict[int, tuple[str, str, str]] = {}
    county = unscoped_area(county_code, purpose="seed")
    rows = within(county, Child.objects.filter(is_active=True)).values_list(
        "id",
        "name",
        "id_number",
        "birth_date",
        "sex",
        "ethnicity",
        "division_code",
        "household_id",
        "household__address",
        "household__hukou_address",
        "household__phone",
        "school__name",
        "class_name",
        "disability_category",
        "disability_grade",
    )
    for child_id, name, relation, phone in (
        within(county, Child.objects.all())
        .values_list("id", "guardians__name", "guardians__relation", "guardians__phone")
        .order_by("id", "guardians__id")
    ):
        guardians.setdefault(child_id, (name or "", relation or "", phone or ""))
    kids = []
    for row in rows.order_by("division_code", "household_id", "birth_date"):
        pk, name, number, birth, sex, ethnicity, code, household, address, hukou = row[:10]
        phone, school, class_name, disability, grade = row[10:]
        guardian, relation, guardian_phone = guardians.get(pk, ("", "", ""))
        kids.append(
            Kid(
                name=name,
                id_number=number,
                birth=birth,
                sex=sex,
                ethnicity=ethnicity or "汉族",
                village_code=code,
                village=names.get(code, ""),
                township=names.get(code[:9], ""),
                address=address or "",
                hukou_address=hukou or "",
                household=household,
                guardian=guardian,
                relation=relation,
                phone=guardian_phone or phone or "",
                school=school or "",
                class_name=class_name or "",
                disability=disability or "",
                grade=grade,
            )
        )
    return kids


def _adult(rng: random.Random, county_code: str) -> tuple[str, str, date]:
    birth = date(1975 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28))
    sex = rng.choice("MF")
    number = idnumber.make(
        region_code=county_code, birth_date=birth, sequence=rng.randrange(1, 300), sex=sex
    )
    return number, sex, birth


def _sex(code: str) -> str:
    return "男" if code == "M" else "女"


def _title(ws, text: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)


def police_roster(path: Path, kids: list[Kid], county: Division, rng: random.Random) -> Path:
    """公安 household register extract: every child with a number, and a few adults."""
    wb = Workbook()
    ws = wb.active
    ws.title = "户籍人口"
    header = ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "与户主关系"]
    header += ["户籍地址", "现住址"]
    _title(ws, f"{county.name}户籍人口信息(0-18周岁)", len(header))
    ws.append(header)
    people = [k for k in kids if k.id_number]
    for n, k in enumerate(people, 1):
        lives = f"{county.name}{k.township}{k.address}"
        ws.append(
            [n, k.name, _sex(k.sex), k.ethnicity, k.birth, k.id_number, "孙子女", k.hukou_address]
            + [lives]
        )
    for n in range(len(people) + 1, len(people) + 4):
        number, sex, birth = _adult(rng, county.code)
        ws.append([n, "成年人" + str(n), _sex(sex), "汉族", birth, number, "户主", "", ""])
    wb.save(path)
    return path


def school_roster(path: Path, kids: list[Kid], county: Division, rng: random.Random) -> Path:
    """教育 school roll, a sheet per school; some children the register does not have yet."""
    wb = Workbook()
    wb.remove(wb.active)
    by_school: dict[str, list[Kid]] = defaultdict(list)
    for k in kids:
        if k.school and k.id_number:
            by_school[k.school].append(k)
    header = ["序号", "年级", "班级", "学生姓名", "性别", "出生年月", "身份证件号"]
    header += ["监护人姓名", "监护人联系电话", "家庭住址"]
    taken: set[str] = set()
    for school, pupils in sorted(by_school.items())[:12]:
        ws = wb.create_sheet(school[:31])
        _title(ws, f"{school}2026年秋季学期学生名册", len(header))
        ws.append(header)
        for n, k in enumerate(pupils, 1):
            name = k.name.translate(TRADITIONAL) if rng.random() < 0.05 else k.name
            phone = f"13{rng.randrange(10**9):09d}" if rng.random() < 1 / 6 else k.phone
            ws.append(
                [n, "", k.class_name, name, _sex(k.sex), f"{k.birth.year}.{k.birth.month:02d}"]
                + [k.id_number, k.guardian, phone, f"{k.township}{k.address}"]
            )
        # Children who moved in: not on file yet, their village named in the address.
        for n in range(len(pupils) + 1, len(pupils) + 3):
            birth = date(2012 + rng.randrange(8), 1 + rng.randrange(12), 1 + rng.randrange(28))
            sex = rng.choice("MF")
            number = idnumber.make(
                region_code=county.code,
                birth_date=birth,
                sequence=400 + rng.randrange(100),
                sex=sex,
            )
            on_file = unscoped(Child.objects.filter(id_number=number), purpose="seed").exists()
            if number in taken or on_file:
                continue
            taken.add(number)
            home = rng.choice(pupils)
            name = rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(NEW_GIVEN_NAMES)
            ws.append(
                [n, "", home.class_name, name, _sex(sex)]
                + [f"{birth.year}.{birth.month:02d}", number, "", f"15{rng.randrange(10**9):09d}"]
                + [f"{home.township}{home.village}"]
            )
    wb.save(path)
    return path


def disability_roster(path: Path, kids: list[Kid], county: Division, rng: random.Random) -> Path:
    """残联 web export saved as .xls (an HTML table), with adults, as the system lists them."""
    rows = []
    for k in kids:
        if k.disability and k.grade and k.id_number:
            phone = k.phone
            if len(phone) == 11:
                phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
            cert = k.id_number + CERT_DIGIT[k.disability] + str(k.grade)
            rows.append(
                [k.name, _sex(k.sex), cert, CATEGORY_WORD[k.disability], GRADE_WORD[k.grade]]
                + [k.guardian, phone, f"{k.township}{k.address}"]
            )
    for n in range(3):
        number, sex, _ = _adult(rng, county.code)
        rows.append(["成年人" + str(n), _sex(sex), number + "43", "肢体", "三级", "", "", ""])
    header = ["姓名", "性别", "残疾证号", "残疾类别", "残疾等级", "监护人", "联系电话", "住址"]
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>\n" for row in rows
    )
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        f'<body><table border="1">\n<tr><td colspan="{len(header)}">{county.name}残疾人名册'
        "</td></tr>\n<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>\n"
        f"{cells}</table></body></html>"
    )
    path.write_bytes(page.encode("gb18030"))
    return path


def ledger_roster(path: Path, kids: list[Kid], township: Division) -> Path:
    """民政 left-behind ledger of one township, a printed sheet per village."""
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["每村(社区)一个工作表;身份证号码请设为文本格式;填好后由儿童督导员汇总上报。"])
    by_village: dict[str, list[Kid]] = defaultdict(list)
    for k in kids:
        if k.village_code.startswith(township.code[:9]):
            by_village[k.village].append(k)
    for village, children in sorted(by_village.items()):
        ws = wb.create_sheet(village[:31])
        _title(ws, f"{township.name}农村留守儿童信息台账", 9)
        ws.append([f"填报单位:{village}委会", None, None, None, None, "填报日期:2026年11月"])
        ws.append(["序号", "儿童基本信息", None, None, "监护人信息", None, None, "家庭住址"])
        ws.append([None, "姓名", "性别", "身份证号码", "姓名", "与儿童关系", "联系电话"])
        top = ws.max_row - 1
        ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=4)
        ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=7)
        for col in (1, 8):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        ws.cell(top, 9, "村(社区)")
        ws.merge_cells(start_row=top, start_column=9, end_row=top + 1, end_column=9)
        first_of_household = {}
        for n, k in enumerate(children, 1):
            sibling = k.household in first_of_household
            relation = in_record(GuardianRelation(k.relation).label) if k.relation else ""
            guardian = [None] * 3 if sibling else [k.guardian, relation, k.phone]
            ws.append([n, k.name, _sex(k.sex), k.id_number, *guardian, k.address, f"{village}委会"])
            first_of_household.setdefault(k.household, ws.max_row)
            if sibling:
                # The guardian's cells run down over the household's children, as printed.
                start = first_of_household[k.household]
                for col in (5, 6, 7):
                    for merged in list(ws.merged_cells.ranges):
                        if merged.min_col == col and merged.min_row == start:
                            ws.merged_cells.remove(merged)
                    ws.merge_cells(
                        start_row=start, start_column=col, end_row=ws.max_row, end_column=col
                    )
        for n in range(len(children) + 1, len(children) + 4):
            ws.append([n])
        ws.append(["合计", f"{len(children)}人"])
        ws.append(["填表人:", None, None, "审核人:", None, None, "联系电话:"])
    wb.save(path)
    return path


def department_rosters(
    out: Path, county_code: str, *, seed: int = 1, share: float = 0.4
) -> list[Path]:
    """Write the four rosters for a share of the county's children; returns their paths."""
    county = Division.objects.get(code=county_code, level=Level.COUNTY)
    rng = random.Random(seed)
    kids = _kids(county_code)
    picked = [k for k in kids if rng.random() < share]
    township = (
        Division.objects.filter(level=Level.TOWNSHIP, code__startswith=county_code)
        .order_by("code")
        .first()
    )
    out.mkdir(parents=True, exist_ok=True)
    files = [
        police_roster(out / f"公安_户籍儿童_{county.name}.xlsx", picked, county, rng),
        school_roster(out / f"教育_在校学生名册_{county.name}.xlsx", picked, county, rng),
        disability_roster(out / f"残联_残疾人名册_{county.name}.xls", kids, county, rng),
    ]
    if township is not None:
        # The ledger is typed from the households' papers: children with a number.
        ledger = [k for k in kids if k.id_number]
        files.append(
            ledger_roster(out / f"民政_留守儿童台账_{township.name}.xlsx", ledger, township)
        )
    return files

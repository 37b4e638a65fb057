"""Rosters nobody here wrote: the generator behind ``bench/linkage.py --hard`` (issue 17).

Written from the failure classes seen on independently made rosters, not from guanai.synth or
from the model: its own name pools, ID numbers, households and mistakes. Four sources list the
children of one county:

* police (户籍): nearly everyone, characters, ID numbers almost always right;
* education (学籍): a third of the ID numbers missing or invalid, a third of the names in
  pinyin ("Wang Xiaoyu", "WANG XIAO YU", "wang xiaoyu", "Xiaoyu Wang", ü as u/v/yu);
* civil affairs (民政): names mostly in traditional characters, numbers kept by Excel as
  numbers (3.60426E+17, or the last three digits turned to 000);
* health (卫健): a third of the ID numbers missing, invalid or Excel-damaged, more birth-date
  typos.

Every source: homophone and shape-alike typos in the given name, birth dates with a one-digit
typo, day and month swapped or missing, sex left out, the other guardian listed, household
fields left out. Families have 1-3 children, 3% of them twins; siblings share guardian, phone
and address, and often a generation character of the given name.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

# Surnames with rough weights; polyphonic and compound ones included on purpose.
SURNAMES = (
    "王" * 9
    + "李" * 9
    + "张" * 8
    + "刘" * 6
    + "陈" * 6
    + "杨" * 4
    + "黄" * 3
    + "赵" * 3
    + "吴" * 3
    + "周" * 3
    + "徐" * 2
    + "孙" * 2
    + "马" * 2
    + "朱" * 2
    + "胡" * 2
    + "郭" * 2
    + "何" * 2
    + "高" * 2
    + "林" * 2
    + "罗" * 2
    + "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    + "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    + "郝龚邵万钱严覃武戴莫孔向汤单解仇区朴查盖"
)
COMPOUND = ("欧阳", "尉迟", "司马", "诸葛", "上官")
# How each surname is romanised (the reading as a surname, not the character's common one).
SURNAME_PINYIN = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "盖": "ge", "覃": "qin", "尉迟": "yuchi", "万": "wan", "乐": "yue",
}  # fmt: skip
GIVEN_MALE = "浩宇轩子涵俊杰博文明伟磊鹏翔峰天泽睿凯晨辰一诚鑫宏志强建军佳豪思远嘉乐彬洋辉清"
GIVEN_FEMALE = "欣怡梓涵诗雨晓婷佳琪思雪梦妍颖玲静雯慧丽娜芳雅彤悦可馨欣然依心语萱晴月婧倩"
# Characters typed for one another: same sound (any tone), or alike in shape.
HOMOPHONES = [
    "晓小筱孝肖", "宇雨语羽玉予", "子紫梓姿", "思斯丝司", "涵含寒韩", "轩宣萱", "浩昊皓豪",
    "欣馨新心鑫", "怡依宜仪伊一", "佳家嘉加", "琪琦奇淇棋", "婷亭庭廷", "俊骏峻君钧", "杰洁捷",
    "明鸣铭名", "伟维薇为", "静婧靖敬", "文雯闻", "梦孟", "妍燕艳彦", "睿瑞锐", "诗师时",
    "晨辰臣", "凯楷锴", "鹏朋彭", "磊蕾", "峰锋丰风枫", "翔祥详", "玲铃灵凌", "颖影莹盈",
    "博波柏", "天添田", "泽则", "彤桐童", "雪学", "慧惠卉", "丽莉力立", "娜纳", "芳方",
    "雅亚", "悦越月", "可科", "然冉", "志智", "强墙", "建健剑", "军君", "远源元", "乐勒",
    "彬斌宾", "洋阳扬", "辉晖灰", "清青晴", "鑫新", "宏红鸿", "诚成城", "心新", "倩茜",
]  # fmt: skip
SHAPES = [
    "晴睛", "清请情", "洋详", "辉挥", "玉王主", "天夭夫", "己已", "未末", "土士", "人入",
    "大太犬", "杰烈", "博搏", "宇字", "泽择", "婷停", "倩情", "雯零", "悦锐", "彤形", "涵函",
    "鹏鹃", "峰蜂", "娜哪", "磊垒", "凯剀", "静争", "梦楚", "慧彗", "颖颍", "思恩", "军库",
]  # fmt: skip
VILLAGES = [f"{a}{b}村" for a in "东西南北上下前后新老" for b in "湾坪岭塘桥山坝冲"]
OTHER_REGIONS = ["360421", "360423", "360424", "360425", "360428", "362122", "430521"]
COUNTY = "360426"
NUMERALS = "〇一二三四五六七八九十"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def make_id(region: str, birth: date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


@dataclass
class Child:
    id: int
    name: str
    surname: str
    sex: str
    birth: date
    id_number: str
    guardians: tuple[str, str]  # primary, other
    phones: tuple[str, str]
    village: str
    group: int
    house: int


@dataclass
class Row:
    source: str
    name: str
    id_number: str
    birth_date: date | None
    sex: str
    guardian: str
    phone: str
    address: str


class Rosters:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: set[str] = set()
        self.sound = {ch: group for group in HOMOPHONES for ch in group}
        self.shape = {ch: group for group in SHAPES for ch in group}
        from opencc import OpenCC
        from pypinyin import Style, lazy_pinyin

        self._s2t = OpenCC("s2t")
        self._pinyin = lambda text: lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
        self._traditional: dict[str, str] = {}
        self._romanised: dict[str, list[str]] = {}

    # -- the county -------------------------------------------------------------------------
    def _surname(self) -> str:
        rng = self.rng
        return rng.choice(COMPOUND) if rng.random() < 0.01 else rng.choice(SURNAMES)

    def _given(self, sex: str, generation: str | None) -> str:
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        if generation is not None:
            return generation + self.rng.choice(pool)
        if self.rng.random() < 0.15:
            return self.rng.choice(pool)
        return self.rng.choice(pool) + self.rng.choice(pool)

    def _number(self, region: str, birth: date, sex: str) -> str:
        while True:
            sequence = self.rng.randrange(1, 500) * 2 - (1 if sex == "M" else 0)
            number = make_id(region, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _phone(self) -> str:
        return self.rng.choice(("13", "15", "18", "17", "19")) + f"{self.rng.randrange(10**9):09d}"

    def families(self):
        """Children family by family."""
        rng = self.rng
        next_id = 0
        while True:
            surname = self._surname()
            n = rng.choices((1, 2, 3), (50, 35, 15))[0]
            twins = n >= 2 and rng.random() < 0.06  # about 3% of families
            generation = rng.choice(GIVEN_MALE + GIVEN_FEMALE) if rng.random() < 0.4 else None
            father = surname + self._given("M", None)
            mother = self._surname() + self._given("F", None)
            grand = surname + rng.choice("国建秀桂玉德") + rng.choice("华英兰珍明生")
            phones = (self._phone(), self._phone() if rng.random() < 0.6 else "")
            village, group, house = rng.choice(VILLAGES), rng.randrange(1, 13), rng.randrange(1, 80)
            first = date(2008, 1, 1) + timedelta(days=rng.randrange(17 * 365))
            region = COUNTY if rng.random() < 0.85 else rng.choice(OTHER_REGIONS)
            births = [first]
            for _ in range(1, n):
                if twins and len(births) == 1:
                    births.append(first)
                else:
                    births.append(births[-1] + timedelta(days=rng.randrange(400, 2500)))
            names: set[str] = set()
            for birth in births:
                if birth.year > 2025:
                    continue
                sex = rng.choice("MF")
                for _ in range(20):
                    name = surname + self._given(sex, generation)
                    if name not in names:
                        break
                names.add(name)
                guardians = (mother, father) if rng.random() < 0.5 else (father, mother)
                if rng.random() < 0.15:
                    guardians = (grand, guardians[0])
                yield Child(
                    next_id,
                    name,
                    surname,
                    sex,
                    birth,
                    self._number(region, birth, sex),
                    guardians,
                    phones,
                    village,
                    group,
                    house,
                )
                next_id += 1

    # -- the mistakes -----------------------------------------------------------------------
    def _typo_name(self, c: Child) -> str:
        rng, name = self.rng, c.name
        i = rng.randrange(len(c.surname), len(name))
        group = (self.sound if rng.random() < 0.65 else self.shape).get(name[i])
        if group is None:
            return name
        return name[:i] + rng.choice([ch for ch in group if ch != name[i]]) + name[i + 1 :]

    def _traditional_of(self, name: str) -> str:
        if name not in self._traditional:
            self._traditional[name] = self._s2t.convert(name)
        return self._traditional[name]

    def _romanise(self, name: str, surname: str) -> str:
        if name not in self._romanised:
            syllables = self._pinyin(name[len(surname) :])
            self._romanised[name] = [SURNAME_PINYIN.get(surname) or "".join(self._pinyin(surname))]
            self._romanised[name].extend(syllables)
        sur, *given = self._romanised[name]
        rng = self.rng
        u = rng.choice(("u", "v", "yu", "ü", "v"))
        sur, given = sur.replace("v", u), [s.replace("v", u) for s in given]
        style = rng.random()
        if style < 0.4:
            return f"{sur.title()} {''.join(given).title()}"
        if style < 0.55:
            return " ".join([sur, *given]).upper()
        if style < 0.7:
            return f"{sur} {''.join(given)}"
        if style < 0.85:
            return f"{''.join(given).title()} {sur.title()}"
        if style < 0.93:
            return (sur + "".join(given)).upper()
        return f"{sur.title()} {'-'.join(given).title()}"

    def _birth(self, birth: date, p_typo: float) -> date | None:
        rng = self.rng
        r = rng.random()
        if r < 0.04:
            return None
        if r < 0.04 + p_typo:
            text = f"{birth:%Y%m%d}"
            for _ in range(10):
                i = rng.randrange(2, 8)
                other = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
                try:
                    typo = date(int(other[:4]), int(other[4:6]), int(other[6:]))
                except ValueError:
                    continue
                if typo != birth and typo.year <= 2026:
                    return typo
            return birth
        if r < 0.07 + p_typo and birth.day <= 12 and birth.day != birth.month:
            return date(birth.year, birth.day, birth.month)
        return birth

    def _bad_id(self, number: str, excel: bool) -> str:
        rng = self.rng
        r = rng.random()
        if excel and r < 0.5:
            return f"{number[0]}.{number[1:6]}E+17" if rng.random() < 0.5 else number[:15] + "000"
        if r < 0.7:
            return rng.choice(("", "", "无", "/", "0"))
        if r < 0.85:  # one digit mistyped, check digit not recomputed
            i = rng.randrange(17)
            return number[:i] + str((int(number[i]) + rng.randrange(1, 10)) % 10) + number[i + 1 :]
        return number[:17] if rng.random() < 0.5 else number + str(rng.randrange(10))  # 17/19

    def _address(self, c: Child) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.7:
            return f"{c.village}{c.group}组{c.house}号"
        if r < 0.85:
            return f"{c.village}{c.group}组{c.house}"
        group = NUMERALS[c.group] if c.group <= 10 else f"十{NUMERALS[c.group - 10]}"
        return f"{c.village}{group}组{c.house}号"

    def rows(self, c: Child, disabled: bool = False):
        rng = self.rng
        for source, share in (
            ("police", 0.95),
            ("education", 0.7),
            ("civil", 0.5),
            ("health", 0.6),
        ):
            if c.birth.year >= 2020 and source == "education":
                continue  # not yet at school
            if rng.random() >= share:
                continue
            name = c.name
            if rng.random() < 0.06 and len(name) > len(c.surname):
                name = self._typo_name(c)
            if source == "education" and rng.random() < 0.33:
                name = self._romanise(name, c.surname)
            elif source == "civil" and rng.random() < 0.6:
                name = self._traditional_of(name)
            number = c.id_number
            if source in ("education", "health") and rng.random() < 0.33:
                number = self._bad_id(number, excel=source == "health")
            elif source == "civil" and rng.random() < 0.15:
                number = self._bad_id(number, excel=True)
            elif rng.random() < 0.02:
                number = self._bad_id(number, excel=False)
            birth = (
                c.birth
                if source == "police"
                else self._birth(c.birth, 0.06 if source == "health" else 0.03)
            )
            sex = c.sex if source == "police" or rng.random() >= 0.1 else ""
            guardian = c.guardians[0] if rng.random() < 0.75 else c.guardians[1]
            phone = c.phones[0] if rng.random() < 0.8 or not c.phones[1] else c.phones[1]
            keeps = {
                "police": ("guardian", "address"),
                "education": ("guardian", "phone"),
                "civil": ("guardian", "phone", "address"),
                "health": ("guardian", "phone", "address"),
            }[source]
            values = {"guardian": guardian, "phone": phone, "address": self._address(c)}
            kept = {
                k: (v if k in keeps and rng.random() >= 0.15 else "") for k, v in values.items()
            }
            yield Row(source, name, number, birth, sex, **kept)


def build(rows_wanted: int, seed: int) -> tuple[list[Row], list[int]]:
    """About ``rows_wanted`` rows over four sources, and the child each row is (the truth)."""
    rosters = Rosters(seed)
    rows: list[Row] = []
    truth: list[int] = []
    for child in rosters.families():
        for row in rosters.rows(child):
            rows.append(row)
            truth.append(child.id)
        if len(rows) >= rows_wanted:
            break
    return rows, truth

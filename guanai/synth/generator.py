"""A deterministic synthetic county: divisions, schools, households, parents, children, guardians.

Pure Python (no models, no database): the loader turns the rows into database rows. Rows are
plain tuples in the column order of the ``*_COLUMNS`` constants, which are the database column
names of the registry tables; the loader adds the bookkeeping columns (version, timestamps, ...).

Determinism: everything is drawn from ``random.Random`` instances seeded from the arguments
(one for the plan, one per village), and ID-number order codes come from one counter in
generation order, so the same arguments always give the same rows in the same order.

Proportions (rural villages; urban communities have fewer parents away, more migrants):
both parents away ~22%, one away ~20%, a dead parent ~2%, missing ~0.7%, imprisoned ~0.5%,
seriously ill ~1%, seriously disabled ~1%, remarried or gone from home ~2%; children with a
disability ~1.5%, seriously ill ~0.5%, without an ID number ~3%; households on 低保 ~6%,
特困 ~1%, 建档立卡 ~8%; migrant households (hukou elsewhere) ~5%. See ``Tally`` for the
measured figures.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from guanai.registry import idnumber
from guanai.registry.choices import (
    DisabilityCategory,
    EconomicStatus,
    GuardianCapacity,
    GuardianRelation,
    HukouType,
    ParentRole,
    ParentStatus,
    SchoolStage,
    Sex,
)
from guanai.registry.fields import PARENT_FILE_FIELDS
from guanai.registry.names import name_syllables, split_name
from guanai.synth import names_data as nd

__all__ = [
    "CHILD_COLUMNS",
    "GUARDIAN_COLUMNS",
    "HOUSEHOLD_COLUMNS",
    "PARENT_COLUMNS",
    "SCHOOL_COLUMNS",
    "Chunk",
    "DivisionSpec",
    "Generator",
    "IdStart",
    "SeedConfig",
    "SeedError",
    "Tally",
    "county_names",
    "default_layout",
]

HOUSEHOLD_COLUMNS = (
    "id",
    "division_id",
    "division_code",
    "address",
    "phone",
    "hukou_type",
    "hukou_region_code",
    "hukou_address",
    "economic_status",
    "poverty_registered",
)
PARENT_COLUMNS = ("id", "household_id", "role", *PARENT_FILE_FIELDS)
CHILD_COLUMNS = (
    "id",
    "household_id",
    "division_id",
    "division_code",
    "name",
    "given_name",
    "name_pinyin",
    "name_initials",
    "id_number",
    "id_number_tail",
    "birth_date",
    "sex",
    "ethnicity",
    "father_id",
    "mother_id",
    "lives_with_parents",
    "school_id",
    "school_stage",
    "class_name",
    "class_teacher",
    "class_teacher_phone",
    "disability_category",
    "disability_grade",
    "disability_cert_number",
    "serious_illness",
    "phone",
    "hobbies",
    "notes",
)
GUARDIAN_COLUMNS = (
    "id",
    "child_id",
    "name",
    "relation",
    "phone",
    "id_number",
    "capacity",
    "is_primary",
    "address",
)
SCHOOL_COLUMNS = ("id", "name", "division_id", "division_code", "stage")

# Column positions used by Tally and the tests.
_P = {c: i for i, c in enumerate(PARENT_COLUMNS)}
_C = {c: i for i, c in enumerate(CHILD_COLUMNS)}
_H = {c: i for i, c in enumerate(HOUSEHOLD_COLUMNS)}
_G = {c: i for i, c in enumerate(GUARDIAN_COLUMNS)}

# Plain string values of the choices (faster than enum members in the hot loop).
AT_HOME = ParentStatus.AT_HOME.value
AWAY = ParentStatus.WORKING_AWAY.value
DEAD = ParentStatus.DEAD.value
MISSING = ParentStatus.MISSING.value
IMPRISONED = ParentStatus.IMPRISONED.value
ILL = ParentStatus.SERIOUSLY_ILL.value
DISABLED = ParentStatus.SERIOUSLY_DISABLED.value
REMARRIED = ParentStatus.REMARRIED.value
LEFT_HOME = ParentStatus.LEFT_HOME.value
CAP_FULL = GuardianCapacity.FULL.value
CAP_LIMITED = GuardianCapacity.LIMITED.value
CAP_NONE = GuardianCapacity.NONE.value
MALE = Sex.MALE.value
FEMALE = Sex.FEMALE.value
FATHER = ParentRole.FATHER.value
MOTHER = ParentRole.MOTHER.value

# Certificate category digit of the second-generation disability certificate (二代残疾人证);
# autism is certified as a mental disability.
CERT_CATEGORY_DIGIT = {
    DisabilityCategory.VISION.value: "1",
    DisabilityCategory.HEARING.value: "2",
    DisabilityCategory.SPEECH.value: "3",
    DisabilityCategory.LIMB.value: "4",
    DisabilityCategory.INTELLECTUAL.value: "5",
    DisabilityCategory.MENTAL.value: "6",
    DisabilityCategory.AUTISM.value: "6",
    DisabilityCategory.MULTIPLE.value: "7",
}

# --------------------------------------------------------------------------- probabilities

# Household scenario: (both away, father away only, mother away only).
AWAY_RURAL = (0.245, 0.16, 0.045)
AWAY_URBAN = (0.05, 0.06, 0.02)
AWAY_MIGRANT = (0.0, 0.06, 0.0)

# Per-parent condition that overrides the scenario, as cumulative thresholds.
_FATHER_CONDITIONS = (
    (DEAD, 0.012),
    (MISSING, 0.0035),
    (IMPRISONED, 0.0045),
    (ILL, 0.0055),
    (DISABLED, 0.0055),
    (REMARRIED, 0.003),
    (LEFT_HOME, 0.004),
)
_MOTHER_CONDITIONS = (
    (DEAD, 0.008),
    (MISSING, 0.0035),
    (IMPRISONED, 0.0006),
    (ILL, 0.0045),
    (DISABLED, 0.0045),
    (REMARRIED, 0.008),
    (LEFT_HOME, 0.006),
)


def _cumulative(table: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    total = 0.0
    out = []
    for status, p in table:
        total += p
        out.append((status, total))
    return tuple(out)


FATHER_CONDITIONS = _cumulative(_FATHER_CONDITIONS)
MOTHER_CONDITIONS = _cumulative(_MOTHER_CONDITIONS)
FATHER_UNKNOWN = 0.003  # no father on record at all
MOTHER_REMARRIES_AFTER_FATHER_DIED = 0.15
MIGRANT_RURAL = 0.025
MIGRANT_URBAN = 0.15
URBAN_SHARE = 0.2
NO_ID_INFANT = 0.20
NO_ID_OTHER = 0.02
CHILD_DISABILITY = 0.016
CHILD_ILLNESS = 0.005
TWINS = 0.02  # of households with two or more children
MALE_SHARE = 1.1 / 2.1

# Conditions that leave a parent unable to look after the child.
INCAPABLE = frozenset({DEAD, MISSING, IMPRISONED, ILL, DISABLED, REMARRIED, LEFT_HOME})


class SeedError(ValueError):
    """Bad seed arguments; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- plan types


@dataclass(frozen=True)
class SeedConfig:
    county_code: str
    children: int = 2000
    seed: int = 1
    today: date = field(default_factory=date.today)
    townships: int | None = None
    villages_per_township: int | None = None


@dataclass(frozen=True)
class IdStart:
    """First primary key to use for each table (the loader passes max(id) + 1)."""

    school: int = 1
    household: int = 1
    parent: int = 1
    child: int = 1
    guardian: int = 1


class DivisionSpec(NamedTuple):
    code: str
    name: str
    level: str  # values of geo.models.Level
    is_urban: bool = False


@dataclass
class _School:
    index: int
    name: str
    division_code: str
    stage: str
    expected: float = 0.0  # expected pupils per grade, for the number of classes
    classes: int = 1


@dataclass
class _Village:
    code: str
    name: str
    township_name: str
    is_urban: bool
    weight: float
    quota: int = 0
    kindergarten: int = 0
    primary_local: int | None = None
    primary_central: int = 0
    junior: int = 0


@dataclass
class Chunk:
    households: list[tuple] = field(default_factory=list)
    parents: list[tuple] = field(default_factory=list)
    children: list[tuple] = field(default_factory=list)
    guardians: list[tuple] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.households) + len(self.parents) + len(self.children) + len(self.guardians)


# --------------------------------------------------------------------------- helpers


def _expand(weights: Mapping[str, float], scale: float = 10) -> tuple[str, ...]:
    """A flat tuple in which each item appears in proportion to its weight."""
    out: list[str] = []
    for item, w in weights.items():
        out.extend([item] * max(1, round(w * scale)))
    return tuple(out)


SURNAME_POOL = _expand(nd.SURNAMES)
DESTINATION_POOL = _expand(nd.DESTINATIONS, 2)


@cache
def county_names(code: str) -> tuple[str, str | None, str]:
    """(province, prefecture or None, county) names of a county code, from idnumber's table."""
    probe = idnumber.make(region_code=code, birth_date=date(2000, 1, 1), sequence=0, sex="M")
    names = [n for n in idnumber.parse(probe).region_names if "直辖" not in n]
    if len(names) == 3:
        return names[0], names[1], names[2]
    if len(names) == 2:
        return names[0], None, names[1]
    raise SeedError(f"区划代码 {code} 的名称不完整")


def default_layout(children: int) -> tuple[int, int]:
    """(townships, villages per township): about 450 children a village, at least 2 x 3."""
    villages = max(6, round(children / 450))
    townships = max(2, round(math.sqrt(villages)))
    if villages / townships > 30:
        townships = math.ceil(villages / 30)
    return townships, max(3, math.ceil(villages / townships))


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _cn_number(n: int) -> str:
    """1 → 一, 15 → 十五, 105 → 一百零五, 115 → 一百一十五 (a county of millions has more than
    99 senior schools)."""
    digits = nd.CHINESE_NUMBERS
    if n <= 10:
        return digits[n - 1]
    if n < 20:
        return "十" + digits[n - 11]
    if n < 100:
        return digits[n // 10 - 1] + "十" + (digits[n % 10 - 1] if n % 10 else "")
    size, word = next((s, w) for s, w in ((10000, "万"), (1000, "千"), (100, "百")) if n >= s)
    head, rest = divmod(n, size)
    text = _cn_number(head) + word
    if not rest:
        return text
    tail = ("一" if 10 <= rest < 20 else "") + _cn_number(rest)
    return text + ("零" if rest < size // 10 else "") + tail


class _IdNumbers:
    """Unique order codes per (region, birth date, sex).

    Order codes 0..399 (sequence) are used for the seeded county's own people, 400..499 for
    people registered elsewhere (migrants, married-in mothers), starting at an offset taken
    from the seeded county's code so that two seeded counties rarely pick the same numbers
    for the same outsider birthday.
    """

    def __init__(self, county_code: str, latest: date) -> None:
        self.county = county_code
        self.offset = int(county_code) % 100
        self.latest = latest.toordinal()
        self.used: dict[tuple[str, int, str], int] = {}

    def number(self, region: str, ordinal: int, sex: str) -> tuple[str, int]:
        """A fresh valid number, and the birth date (ordinal) it carries (moved if the day is full)."""
        used = self.used
        while True:
            key = (region, ordinal, sex)
            k = used.get(key, 0)
            if region == self.county:
                if k < 400:
                    sequence = (ordinal * 37 + k) % 400
                    break
            elif k < 100:
                sequence = 400 + (self.offset + ordinal * 7 + k) % 100
                break
            ordinal = ordinal + 1 if ordinal < self.latest else ordinal - 400
        used[key] = k + 1
        number = idnumber.make(
            region_code=region, birth_date=date.fromordinal(ordinal), sequence=sequence, sex=sex
        )
        return number, ordinal


# --------------------------------------------------------------------------- generator


class Generator:
    """Build the plan (divisions, schools, village quotas) at construction; stream the rest."""

    def __init__(self, config: SeedConfig) -> None:
        code = config.county_code
        if not (len(code) == 6 and code.isdigit()) or code not in set(
            idnumber.known_county_codes()
        ):
            raise SeedError(f"未知的县级区划代码 {code}")
        if config.children < 0:
            raise SeedError("儿童人数不能为负数")
        if config.today > date.today():
            raise SeedError("--today 不能晚于今天")
        self.config = config
        self.county_code = code
        self.province_name, self.city_name, self.county_name = county_names(code)
        townships, per_township = default_layout(config.children)
        if config.townships is not None and config.villages_per_township is not None:
            townships, per_township = config.townships, config.villages_per_township
        elif config.townships is not None:
            townships = config.townships
            per_township = max(1, math.ceil(max(6, round(config.children / 450)) / townships))
        elif config.villages_per_township is not None:
            per_township = config.villages_per_township
            townships = max(1, math.ceil(max(6, round(config.children / 450)) / per_township))
        if not 1 <= townships <= 800:
            raise SeedError("乡镇(街道)数应在 1 到 800 之间")
        if not 1 <= per_township <= 199:
            raise SeedError("每个乡镇的村(居)数应在 1 到 199 之间")
        self.townships = townships
        self.villages_per_township = per_township
        self._rng = random.Random(f"guanai-synth/{config.seed}/{code}/plan")
        self._divisions: list[DivisionSpec] = []
        self.villages: list[_Village] = []
        self.schools: list[_School] = []
        self._build_divisions()
        self._allocate_quotas()
        self._build_schools()
        self._migrant_sources = self._pick_migrant_sources()
        self._neighbours = [
            c for c in idnumber.known_county_codes() if c[:4] == code[:4] and c != code
        ] or [code]

    # ------------------------------------------------------------------ plan

    def division_rows(self) -> list[DivisionSpec]:
        """Province, prefecture (if any), county, townships, villages: parents first."""
        code = self.county_code
        head = [DivisionSpec(code[:2] + "0000", self.province_name, "province")]
        if self.city_name:
            head.append(DivisionSpec(code[:4] + "00", self.city_name, "city"))
        head.append(DivisionSpec(code, self.county_name, "county"))
        return head + self._divisions

    def _build_divisions(self) -> None:
        rng = self._rng
        n_town = self.townships
        per = self.villages_per_township
        total = n_town * per
        streets = 0 if n_town < 4 else max(1, round(n_town / 10))
        urban_target = max(1, round(URBAN_SHARE * total))
        # Which villages are urban: every community of a street, then the seat of each town.
        urban: set[tuple[int, int]] = {(t, v) for t in range(streets) for v in range(per)}
        position = 0
        while len(urban) < min(urban_target, total):
            for t in range(streets, n_town):
                if len(urban) >= urban_target:
                    break
                urban.add((t, position))
            position += 1
            if position >= per:
                break
        township_names = self._unique_names(
            n_town,
            lambda: rng.choice(nd.TOWNSHIP_PART_1) + rng.choice(nd.TOWNSHIP_PART_2),
        )
        street_pool = list(nd.STREET_NAMES)
        rng.shuffle(street_pool)
        town_no = street_no = 0
        for t in range(n_town):
            is_street = t < streets
            if is_street:
                street_no += 1
                t_code = f"{self.county_code}{street_no:03d}"
                base = street_pool[t % len(street_pool)]
                t_name = base + "街道" if t < len(street_pool) else f"{base}第{t + 1}街道"
            else:
                town_no += 1
                number = 100 + town_no if town_no <= 99 else 200 + town_no - 99
                t_code = f"{self.county_code}{number:03d}"
                t_name = township_names[t] + ("乡" if rng.random() < 0.3 else "镇")
            self._divisions.append(DivisionSpec(t_code, t_name, "township", is_street))
            used: set[str] = set()
            community_no = village_no = 0
            for v in range(per):
                is_urban = (t, v) in urban
                if is_urban:
                    community_no += 1
                    v_code = f"{t_code}{community_no:03d}"
                    v_name = self._fresh(used, lambda: rng.choice(nd.COMMUNITY_WORDS)) + "社区"
                    weight = 1.3 * (0.7 + 0.6 * rng.random())
                else:
                    village_no += 1
                    v_code = f"{t_code}{200 + village_no:03d}"
                    v_name = self._fresh(used, self._village_word) + "村"
                    weight = 0.7 + 0.6 * rng.random()
                self._divisions.append(DivisionSpec(v_code, v_name, "village", is_urban))
                self.villages.append(_Village(v_code, v_name, t_name, is_urban, weight))

    def _village_word(self) -> str:
        rng = self._rng
        if rng.random() < 0.5:
            return rng.choice(nd.VILLAGE_WORDS)
        return rng.choice(nd.VILLAGE_PART_1) + rng.choice(nd.VILLAGE_PART_2)

    def _fresh(self, used: set[str], draw) -> str:
        for attempt in range(50):
            name = draw()
            if attempt > 20:
                name += _cn_number(attempt - 19)
            if name not in used:
                used.add(name)
                return name
        raise AssertionError("no fresh name")  # pragma: no cover

    def _unique_names(self, n: int, draw) -> list[str]:
        used: set[str] = set()
        out = []
        for _ in range(n):
            name = draw()
            tries = 0
            while name in used:
                tries += 1
                name = draw() if tries < 30 else name + self._rng.choice(nd.TOWNSHIP_PART_2)
            used.add(name)
            out.append(name)
        return out

    def _allocate_quotas(self) -> None:
        """Share the children among villages by weight (largest remainder, deterministic)."""
        n = self.config.children
        total = sum(v.weight for v in self.villages)
        exact = [n * v.weight / total for v in self.villages]
        for v, x in zip(self.villages, exact, strict=True):
            v.quota = int(x)
        rest = n - sum(v.quota for v in self.villages)
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - int(exact[i])), i))
        for i in order[:rest]:
            self.villages[i].quota += 1

    def _build_schools(self) -> None:
        """Per township: kindergartens, central primaries, junior schools, some village
        primaries (村小); per county: senior high and vocational schools, a special school.
        A township gets a second (third...) school of a kind when one would need more than
        the usual number of classes per grade."""
        schools = self.schools
        county_label = self.county_name

        def add(name: str, division_code: str, stage: str, expected: float = 0.0) -> _School:
            school = _School(len(schools), name, division_code, stage, expected)
            schools.append(school)
            return school

        def ordinal_name(prefix: str, i: int, first: str, other: str) -> str:
            return f"{prefix}{first}" if i == 0 else f"{prefix}第{_cn_number(i + 1)}{other}"

        per_age = 1 / 18
        by_township: dict[str, list[_Village]] = {}
        for v in self.villages:
            by_township.setdefault(v.code[:9], []).append(v)
        # (stage, attribute on _Village, share of an age group, pupils per class, max classes)
        kinds = (
            ("kindergarten", "kindergarten", 0.85, 30, 4, "中心幼儿园", "幼儿园"),
            ("primary", "primary_central", 1.0, 42, 6, "中心小学", "小学"),
            ("junior", "junior", 0.98, 45, 10, "初级中学", "初级中学"),
        )
        for t_code, villages in by_township.items():
            short = villages[0].township_name
            short = short.removesuffix("街道").removesuffix("镇").removesuffix("乡")
            quota = sum(v.quota for v in villages)
            for stage, attr, share, size, most, first, other in kinds:
                n = max(1, min(len(villages), math.ceil(quota * per_age * share / (size * most))))
                made = [add(ordinal_name(short, i, first, other), t_code, stage) for i in range(n)]
                for i, v in enumerate(villages):
                    school = made[i % n]
                    setattr(v, attr, school.index)
                    pupils = v.quota * per_age * share
                    if stage == "primary" and not v.is_urban and i % 3 == 1:
                        name = f"{v.name.removesuffix('村')}小学"
                        local = add(name, v.code, stage, pupils * 0.6)
                        v.primary_local = local.index
                        pupils *= 0.4
                    school.expected += pupils
        per_grade = self.config.children * per_age * 0.88
        general = max(2, math.ceil(per_grade * 0.6 / (50 * 16)))
        vocational = max(1, math.ceil(per_grade * 0.4 / (50 * 16)))
        seniors = [
            add(f"{county_label}第{_cn_number(i + 1)}中学", self.county_code, "senior")
            for i in range(general)
        ]
        for s in seniors:
            s.expected = per_grade * 0.6 / general
        for i in range(vocational):
            school = add(
                ordinal_name(county_label, i, "职业中学", "职业中学"), self.county_code, "senior"
            )
            school.expected = per_grade * 0.4 / vocational
            seniors.append(school)
        self._general = tuple(s.index for s in seniors[:general])
        self._vocational = tuple(s.index for s in seniors[general:])
        special = add(f"{county_label}特殊教育学校", self.county_code, SchoolStage.SPECIAL.value)
        special.expected = self.config.children * per_age * CHILD_DISABILITY * 0.12
        self._special = special.index
        for s in schools:
            size = {"kindergarten": 30, "senior": 50, "special": 12}.get(s.stage, 42)
            s.classes = max(1, round(s.expected / size))

    def school_rows(
        self, start: int = 1, division_ids: Mapping[str, int] | None = None
    ) -> list[tuple]:
        ids = division_ids or {}
        return [
            (start + s.index, s.name, ids.get(s.division_code), s.division_code, s.stage)
            for s in self.schools
        ]

    def _pick_migrant_sources(self) -> list[str]:
        codes = [
            c
            for c in idnumber.known_county_codes()
            if c[:2] in nd.MIGRANT_SOURCE_PROVINCES and c[:2] != self.county_code[:2]
        ]
        if not codes:  # pragma: no cover - the table always has such codes
            codes = [c for c in idnumber.known_county_codes() if c != self.county_code]
        return sorted(self._rng.sample(codes, min(40, len(codes))))

    # ------------------------------------------------------------------ streaming

    def chunks(
        self,
        start: IdStart | None = None,
        division_ids: Mapping[str, int] | None = None,
        chunk_size: int = 20_000,
    ) -> Iterator[Chunk]:
        """Households with their parents, children and guardians, about chunk_size children each.

        A household never straddles two chunks, so each chunk can be written on its own.
        """
        start = start or IdStart()
        ids = division_ids or {}
        state = _State(self, start)
        chunk = Chunk()
        for village in self.villages:
            rng = random.Random(f"guanai-synth/{self.config.seed}/{village.code}")
            remaining = village.quota
            division_id = ids.get(village.code)
            while remaining > 0:
                remaining -= state.household(chunk, village, division_id, rng, remaining)
                if len(chunk.children) >= chunk_size:
                    yield chunk
                    chunk = Chunk()
        if chunk.children or chunk.households:
            yield chunk


class _State:
    """Counters and caches that run across villages during one generation."""

    def __init__(self, gen: Generator, start: IdStart) -> None:
        cfg = gen.config
        self.gen = gen
        self.seed = cfg.seed
        self.county = gen.county_code
        self.today = cfg.today
        self.today_ord = cfg.today.toordinal()
        # Oldest birth date still 17 today: one day after the 18th birthday boundary.
        self.oldest_ord = _shift_years(cfg.today, 18).toordinal() + 1
        self.span = self.today_ord - self.oldest_ord + 1
        school_year = cfg.today.year if cfg.today.month >= 9 else cfg.today.year - 1
        self.school_year = school_year
        self.ids = _IdNumbers(gen.county_code, cfg.today)
        self.next_household = start.household
        self.next_parent = start.parent
        self.next_child = start.child
        self.next_guardian = start.guardian
        self.school_base = start.school
        self.schools = gen.schools
        self.teachers: dict[tuple[int, str], tuple[str, str]] = {}
        self.hukou_addresses: dict[str, str] = {}
        # names.name_syllables keeps only 65536 names; a county has a few hundred thousand.
        self.pinyin: dict[str, tuple[str, ...]] = {}
        place = [gen.province_name, gen.city_name]
        self.home_destinations = "".join(p for p in place if p)

    # ---------------------------------------------------------------- small draws

    @staticmethod
    def phone(rng: random.Random) -> str:
        return rng.choice(nd.PHONE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"

    @staticmethod
    def adult_name(rng: random.Random, surname: str, sex: str, elder: bool = False) -> str:
        if elder:
            return surname + rng.choice(nd.ELDER_MALE if sex == MALE else nd.ELDER_FEMALE)
        first, second = (
            (nd.ADULT_MALE_1, nd.ADULT_MALE_2)
            if sex == MALE
            else (nd.ADULT_FEMALE_1, nd.ADULT_FEMALE_2)
        )
        if rng.random() < 0.3:
            return surname + rng.choice(second)
        return surname + rng.choice(first) + rng.choice(second)

    @staticmethod
    def child_given(rng: random.Random, sex: str) -> str:
        first, second = (
            (nd.CHILD_MALE_1, nd.CHILD_MALE_2)
            if sex == MALE
            else (nd.CHILD_FEMALE_1, nd.CHILD_FEMALE_2)
        )
        if rng.random() < 0.12:
            return rng.choice(second)
        if sex == FEMALE and rng.random() < 0.04:
            c = rng.choice(second)
            return c + c
        return rng.choice(first) + rng.choice(second)

    def days_ago(self, rng: random.Random, low: int, high: int, not_before: int = 0) -> date:
        """A date between high and low days ago, but not before ordinal not_before."""
        low = max(0, low)
        high = max(low, min(high, self.today_ord - not_before)) if not_before else high
        return date.fromordinal(self.today_ord - rng.randint(low, high))

    def teacher(self, school_id: int, class_name: str) -> tuple[str, str]:
        key = (school_id, class_name)
        found = self.teachers.get(key)
        if found is None:
            rng = random.Random(f"guanai-synth/{self.seed}/{self.county}/{school_id}/{class_name}")
            sex = FEMALE if rng.random() < 0.7 else MALE
            found = (self.adult_name(rng, rng.choice(SURNAME_POOL), sex), self.phone(rng))
            self.teachers[key] = found
        return found

    def hukou_address(self, region: str, rng: random.Random) -> str:
        place = self.hukou_addresses.get(region)
        if place is None:
            province, city, county = county_names(region)
            place = "".join(p for p in (province, city, county) if p)
            self.hukou_addresses[region] = place
        town = rng.choice(nd.TOWNSHIP_PART_1) + rng.choice(nd.TOWNSHIP_PART_2)
        return f"{place}{town}镇{rng.choice(nd.VILLAGE_WORDS)}村{rng.randint(1, 12)}组"

    # ---------------------------------------------------------------- parents

    def parent(
        self,
        chunk: Chunk,
        rng: random.Random,
        *,
        household_id: int,
        role: str,
        surname: str,
        birth_ord: int,
        region: str,
        status: str,
        eldest_ord: int,
        youngest_ord: int,
    ) -> tuple:
        sex = MALE if role == FATHER else FEMALE
        name = self.adult_name(rng, surname, sex)
        id_number = ""
        if rng.random() < 0.98:
            id_number, _ = self.ids.number(region, birth_ord, sex)
        since = until = None
        destination = category = ""
        grade = None
        has_aids = False
        can_work = True
        capacity = CAP_FULL
        phone = ""
        if status == AT_HOME:
            phone = self.phone(rng) if rng.random() < 0.95 else ""
        elif status == AWAY:
            since = self.days_ago(rng, 60, 3650, youngest_ord if rng.random() < 0.7 else 0)
            destination = (
                rng.choice(DESTINATION_POOL)
                if rng.random() < 0.85 or not self.home_destinations
                else self.home_destinations
            )
            phone = self.phone(rng) if rng.random() < 0.97 else ""
        elif status == DEAD:
            since = self.days_ago(rng, 0, 18 * 365, youngest_ord)
            can_work, capacity = False, CAP_NONE
        elif status == MISSING:
            since = self.days_ago(rng, 180, 10 * 365, eldest_ord)
            capacity = CAP_NONE
        elif status == IMPRISONED:
            since = self.days_ago(rng, 30, 6 * 365)
            r = rng.random()
            years = (
                rng.randint(1, 3)
                if r < 0.4
                else rng.randint(3, 5)
                if r < 0.6
                else rng.randint(5, 10)
                if r < 0.9
                else rng.randint(10, 15)
            )
            until = since + timedelta(days=years * 365 + rng.randint(0, 180))
            if until <= self.today:
                until = self.today + timedelta(days=rng.randint(30, 720))
            can_work, capacity = False, CAP_NONE
        elif status == ILL:
            since = self.days_ago(rng, 60, 5 * 365)
            has_aids = rng.random() < 0.1
            can_work = False
            capacity = CAP_LIMITED if rng.random() < 0.6 else CAP_NONE
            phone = self.phone(rng) if rng.random() < 0.9 else ""
        elif status == DISABLED:
            r = rng.random()
            category = (
                DisabilityCategory.MENTAL.value
                if r < 0.2
                else DisabilityCategory.INTELLECTUAL.value
                if r < 0.35
                else DisabilityCategory.LIMB.value
                if r < 0.75
                else DisabilityCategory.VISION.value
                if r < 0.85
                else DisabilityCategory.HEARING.value
                if r < 0.95
                else DisabilityCategory.MULTIPLE.value
            )
            grade = 1 if rng.random() < 0.45 else 2
            if rng.random() < 0.6:
                since = self.days_ago(rng, 90, 15 * 365)
            can_work = False
            mind = category in ("mental", "intellectual")
            capacity = CAP_NONE if mind or grade == 1 else CAP_LIMITED
            phone = self.phone(rng) if rng.random() < 0.6 else ""
        else:  # remarried or left home
            since = self.days_ago(rng, 90, 10 * 365, eldest_ord)
            capacity = CAP_NONE
            phone = self.phone(rng) if rng.random() < 0.5 else ""
        pid = self.next_parent
        self.next_parent += 1
        row = (
            pid,
            household_id,
            role,
            name,
            id_number,
            phone,
            status,
            since,
            until,
            destination,
            category,
            grade,
            has_aids,
            can_work,
            capacity,
        )
        chunk.parents.append(row)
        return row

    # ---------------------------------------------------------------- household

    def household(
        self,
        chunk: Chunk,
        village: _Village,
        division_id: int | None,
        rng: random.Random,
        remaining: int,
    ) -> int:
        """Append one household and everything in it; return the number of children."""
        rand = rng.random
        today_ord = self.today_ord
        urban = village.is_urban

        # ---- children's birth dates and sexes
        r = rand()
        if urban:
            k = 1 if r < 0.6 else 2 if r < 0.95 else 3
        else:
            k = 1 if r < 0.45 else 2 if r < 0.87 else 3
        k = min(k, remaining)
        births: list[int] = []
        for _ in range(20):
            births = sorted(today_ord - rng.randrange(self.span) for _ in range(k))
            if all(b - a >= 300 for a, b in zip(births, births[1:], strict=False)):
                break
        twins = k >= 2 and rand() < TWINS
        if twins:
            births[1] = births[0]
        eldest_ord, youngest_ord = births[0], births[-1]
        spread = math.ceil((youngest_ord - eldest_ord) / 365.25)
        eldest = date.fromordinal(eldest_ord)

        # ---- household-level facts
        migrant = rand() < (MIGRANT_URBAN if urban else MIGRANT_RURAL)
        region = rng.choice(self.gen._migrant_sources) if migrant else self.county
        both_p, father_p, mother_p = (
            AWAY_MIGRANT if migrant else AWAY_URBAN if urban else AWAY_RURAL
        )
        r = rand()
        father_status = mother_status = AT_HOME
        if r < both_p:
            father_status = mother_status = AWAY
        elif r < both_p + father_p:
            father_status = AWAY
        elif r < both_p + father_p + mother_p:
            mother_status = AWAY
        r = rand()
        for status, threshold in FATHER_CONDITIONS:
            if r < threshold:
                father_status = status
                break
        r = rand()
        for status, threshold in MOTHER_CONDITIONS:
            if r < threshold:
                mother_status = status
                break
        if (
            father_status == DEAD
            and mother_status in (AT_HOME, AWAY)
            and rand() < MOTHER_REMARRIES_AFTER_FATHER_DIED
        ):
            mother_status = REMARRIED
        has_father = rand() >= FATHER_UNKNOWN

        hid = self.next_household
        self.next_household += 1

        # ---- parents
        f_surname = rng.choice(SURNAME_POOL)
        m_surname = rng.choice(SURNAME_POOL)
        father = mother = None
        if has_father:
            age = rng.randint(22, min(40, 44 - spread))
            f_birth = _shift_years(eldest, age).toordinal() - rng.randint(0, 330)
            father = self.parent(
                chunk,
                rng,
                household_id=hid,
                role=FATHER,
                surname=f_surname,
                birth_ord=f_birth,
                region=region,
                status=father_status,
                eldest_ord=eldest_ord,
                youngest_ord=youngest_ord,
            )
        age = rng.randint(20, min(36, 44 - spread))
        m_birth = _shift_years(eldest, age).toordinal() - rng.randint(0, 330)
        m_region = region
        if not migrant and rand() < 0.15:
            m_region = rng.choice(self.gen._neighbours)
        mother = self.parent(
            chunk,
            rng,
            household_id=hid,
            role=MOTHER,
            surname=m_surname,
            birth_ord=m_birth,
            region=m_region,
            status=mother_status,
            eldest_ord=eldest_ord,
            youngest_ord=youngest_ord,
        )
        father_id = father[0] if father else None
        mother_id = mother[0]

        # ---- address
        if urban:
            if rand() < 0.5:
                address = (
                    f"{village.name}{rng.choice(nd.ESTATE_WORDS)}小区{rng.randint(1, 24)}栋"
                    f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
                )
            else:
                address = (
                    f"{village.township_name}{rng.choice(nd.ROAD_WORDS)}路{rng.randint(1, 399)}号"
                )
        else:
            group = _cn_number(rng.randint(1, 12))
            address = f"{village.name}{group}组{rng.randint(1, 60)}号"

        # ---- guardian (shared by the siblings)
        home = [p for p in (mother, father) if p is not None and p[6] == AT_HOME]
        if len(home) == 2 and rand() < 0.4:
            home.reverse()
        if home:
            g = home[0]
            relation = (
                GuardianRelation.MOTHER.value if g[2] == MOTHER else GuardianRelation.FATHER.value
            )
            guardian = (g[3], relation, g[5] or self.phone(rng), g[4], g[14])
        else:
            r = rand()
            if r < 0.68 or (r < 0.9 and father is None):
                relation = GuardianRelation.GRANDPARENT_PATERNAL.value
                base_birth, base_surname = (father or mother)[4], f_surname
            elif r < 0.9:
                relation = GuardianRelation.GRANDPARENT_MATERNAL.value
                base_birth, base_surname = mother[4], m_surname
            elif r < 0.98:
                relation = GuardianRelation.RELATIVE.value
                base_birth, base_surname = "", f_surname
            else:
                relation = GuardianRelation.ENTRUSTED.value
                base_birth, base_surname = "", rng.choice(SURNAME_POOL)
            grandparent = relation in ("grandparent_paternal", "grandparent_maternal")
            g_sex = FEMALE if rand() < 0.55 else MALE
            g_surname = base_surname if g_sex == MALE else rng.choice(SURNAME_POOL)
            if grandparent:
                parent_birth = (
                    date(int(base_birth[6:10]), int(base_birth[10:12]), int(base_birth[12:14]))
                    if base_birth
                    else _shift_years(eldest, 28)
                )
                g_birth = _shift_years(parent_birth, rng.randint(20, 32)).toordinal()
                g_birth -= rng.randint(0, 330)
            else:
                g_birth = _shift_years(self.today, rng.randint(28, 55)).toordinal()
                g_birth -= rng.randint(0, 330)
            g_age = (today_ord - g_birth) / 365.25
            capacity = CAP_FULL
            if g_age >= 70:
                capacity = CAP_LIMITED if rand() < 0.5 else CAP_FULL
            elif rand() < 0.12:
                capacity = CAP_LIMITED
            g_number, _ = self.ids.number(self.county, g_birth, g_sex)
            g_phone = self.phone(rng) if rand() < 0.85 else ""
            guardian = (
                self.adult_name(rng, g_surname, g_sex, elder=grandparent),
                relation,
                g_phone,
                g_number,
                capacity,
            )

        # ---- household row
        household_phone = guardian[2] or mother[5] or (father[5] if father else "")
        if migrant:
            hukou_type = HukouType.RURAL.value if rand() < 0.85 else HukouType.RESIDENT.value
            hukou_address = self.hukou_address(region, rng)
        else:
            r = rand()
            if urban:
                hukou_type = (
                    HukouType.URBAN.value
                    if r < 0.4
                    else HukouType.RESIDENT.value
                    if r < 0.9
                    else HukouType.RURAL.value
                )
            else:
                hukou_type = HukouType.RURAL.value if r < 0.85 else HukouType.RESIDENT.value
            hukou_address = address
        hardship = (
            father is None
            or father_status in (DEAD, MISSING, IMPRISONED, ILL, DISABLED)
            or mother_status in (DEAD, MISSING, IMPRISONED, ILL, DISABLED)
        )
        nobody = (father is None or father[14] == CAP_NONE) and mother[14] == CAP_NONE
        r = rand()
        if migrant:
            economic = EconomicStatus.LOW_INCOME.value if r < 0.03 else EconomicStatus.NONE.value
        elif hardship:
            if nobody and r < 0.5:
                economic = EconomicStatus.TEKUN.value
            elif r < 0.4:
                economic = EconomicStatus.DIBAO.value
            elif r < 0.5:
                economic = EconomicStatus.LOW_INCOME.value
            else:
                economic = EconomicStatus.NONE.value
        else:
            tekun, dibao, low = (0.005, 0.03, 0.02) if urban else (0.011, 0.055, 0.03)
            economic = (
                EconomicStatus.TEKUN.value
                if r < tekun
                else EconomicStatus.DIBAO.value
                if r < tekun + dibao
                else EconomicStatus.LOW_INCOME.value
                if r < tekun + dibao + low
                else EconomicStatus.NONE.value
            )
        poor = economic in ("dibao", "tekun")
        if migrant:
            registered = False
        elif urban:
            registered = rand() < (0.2 if poor else 0.01)
        else:
            registered = rand() < (0.5 if poor else 0.075)
        chunk.households.append(
            (
                hid,
                division_id,
                village.code,
                address,
                household_phone,
                hukou_type,
                region,
                hukou_address,
                economic,
                registered,
            )
        )

        # ---- children
        ethnicity = "汉族" if rand() >= 0.03 else rng.choice(nd.ETHNIC_MINORITIES)
        surname = f_surname if father is not None and rand() < 0.95 else m_surname
        given_used: set[str] = set()
        pinyin_cache = self.pinyin
        guardian_tail = (*guardian, True, address)
        for i, birth_ord in enumerate(births):
            sex = MALE if rand() < MALE_SHARE else FEMALE
            given = self.child_given(rng, sex)
            while given in given_used:
                given = self.child_given(rng, sex)
            given_used.add(given)
            name = surname + given
            syllables = pinyin_cache.get(name)
            if syllables is None:
                syllables = pinyin_cache[name] = name_syllables(name)
            pinyin = "".join(syllables)
            initials = "".join(s[0] for s in syllables if s)
            age_days = today_ord - birth_ord
            disability = rand() < CHILD_DISABILITY and age_days >= 365
            has_id = disability or rand() >= (NO_ID_INFANT if age_days < 365 else NO_ID_OTHER)
            if twins and i == 1:
                birth_ord = births[0]  # keep the twins on one day even if the first moved
            if has_id:
                number, birth_ord = self.ids.number(region, birth_ord, sex)
                births[i] = birth_ord
            else:
                number = None
            birth = date.fromordinal(birth_ord)
            child_row = self.child_details(
                rng,
                birth,
                disability,
                number,
                migrant_or_urban=urban or migrant,
            )
            cid = self.next_child
            self.next_child += 1
            chunk.children.append(
                (
                    cid,
                    hid,
                    division_id,
                    village.code,
                    name,
                    split_name(name)[1],  # not `given`: the surname as the registry reads it
                    pinyin,
                    initials,
                    number,
                    number[-6:] if number else "",
                    birth,
                    sex,
                    ethnicity,
                    father_id,
                    mother_id,
                    migrant,
                    *self.school(rng, village, birth, child_row),
                    *child_row[1:],
                )
            )
            chunk.guardians.append((self.next_guardian, cid, *guardian_tail))
            self.next_guardian += 1
        return k

    # ---------------------------------------------------------------- child details

    def child_details(
        self,
        rng: random.Random,
        birth: date,
        disability: bool,
        number: str | None,
        *,
        migrant_or_urban: bool,
    ) -> tuple:
        """(severe disability flag, category, grade, cert number, illness, phone, hobbies, notes)."""
        rand = rng.random
        category = cert = illness = phone = hobbies = notes = ""
        grade = None
        severe_mind = False
        if disability:
            r = rand()
            category = (
                "intellectual"
                if r < 0.25
                else "limb"
                if r < 0.45
                else "hearing"
                if r < 0.55
                else "speech"
                if r < 0.65
                else "vision"
                if r < 0.73
                else "autism"
                if r < 0.85
                else "mental"
                if r < 0.9
                else "multiple"
            )
            r = rand()
            grade = 1 if r < 0.2 else 2 if r < 0.5 else 3 if r < 0.8 else 4
            cert = f"{number}{CERT_CATEGORY_DIGIT[category]}{grade}"
            severe_mind = grade <= 2 and category in ("intellectual", "autism", "multiple")
        if rand() < CHILD_ILLNESS:
            illness = rng.choice(nd.CHILD_ILLNESSES)
        age = (
            self.today.year
            - birth.year
            - ((self.today.month, self.today.day) < (birth.month, birth.day))
        )
        if age >= 12 and rand() < (0.3 if migrant_or_urban else 0.15):
            phone = self.phone(rng)
        if age >= 4 and rand() < 0.3:
            hobbies = "、".join(rng.sample(nd.HOBBIES, 1 if rand() < 0.6 else 2))
        return (severe_mind, category, grade, cert, illness, phone, hobbies, notes)

    def school(self, rng: random.Random, village: _Village, birth: date, details: tuple) -> tuple:
        """(school_id, school_stage, class_name, class_teacher, class_teacher_phone)."""
        rand = rng.random
        # Age on 31 August of this school year decides the grade (入学年龄以8月31日为界).
        sy = self.school_year
        age = sy - birth.year - ((birth.month, birth.day) > (8, 31))
        severe_mind = details[0]
        if age < 3:
            return (None, SchoolStage.NOT_IN_SCHOOL.value, "", "", "")
        if severe_mind and 6 <= age <= 15:
            r = rand()
            if r < 0.45:
                school = self.schools[self.gen._special]
                grade = min(9, age - 5)
                label = f"培智{_cn_number(grade)}年级"
                return self._seat(rng, school, "special", label, school.classes)
            if r < 0.65:
                return (None, SchoolStage.NOT_IN_SCHOOL.value, "", "", "")
        if age <= 5:
            if rand() >= 0.85:
                return (None, SchoolStage.NOT_IN_SCHOOL.value, "", "", "")
            school = self.schools[village.kindergarten]
            label = ("小", "中", "大")[age - 3]
            return self._seat(rng, school, "kindergarten", label, school.classes)
        if age <= 11:
            if village.primary_local is not None and rand() < 0.6:
                school = self.schools[village.primary_local]
            else:
                school = self.schools[village.primary_central]
            return self._seat(rng, school, "primary", f"{_cn_number(age - 5)}年级", school.classes)
        if age <= 14:
            if age >= 13 and rand() < 0.015:
                return (None, SchoolStage.DROPPED_OUT.value, "", "", "")
            school = self.schools[village.junior]
            return self._seat(rng, school, "junior", f"{_cn_number(age - 5)}年级", school.classes)
        if rand() < 0.12:
            return (None, SchoolStage.DROPPED_OUT.value, "", "", "")
        pool = self.gen._vocational if rand() < 0.4 else self.gen._general
        school = self.schools[rng.choice(pool)]
        label = f"高{_cn_number(min(3, age - 14))}"
        return self._seat(rng, school, "senior", label, school.classes)

    def _seat(
        self, rng: random.Random, school: _School, stage: str, label: str, classes: int
    ) -> tuple:
        number = rng.randint(1, classes)
        class_name = f"{label}({number})班"
        school_id = self.school_base + school.index
        teacher, phone = self.teacher(school_id, class_name)
        return (school_id, stage, class_name, teacher, phone)


# --------------------------------------------------------------------------- measuring


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class Tally:
    """Counts over generated chunks, for the tests and the bench's proportion table."""

    def __init__(self, today: date, urban_villages: Iterable[str] = ()) -> None:
        self.today = today
        self.urban = set(urban_villages)
        self.n = Counter()

    def add(self, chunk: Chunk) -> None:
        n = self.n
        today = self.today
        parents = {p[0]: p for p in chunk.parents}
        households = {h[0]: h for h in chunk.households}
        for h in chunk.households:
            n["households"] += 1
            n[f"economic:{h[_H['economic_status']]}"] += 1
            n["poverty_registered"] += h[_H["poverty_registered"]]
        for p in chunk.parents:
            n["parents"] += 1
            n[f"parent_status:{p[_P['status']]}"] += 1
        n["guardians"] += len(chunk.guardians)
        for g in chunk.guardians:
            n[f"guardian:{g[_G['relation']]}"] += 1
        for c in chunk.children:
            n["children"] += 1
            urban = c[_C["division_code"]] in self.urban
            area = "urban" if urban else "rural"
            n[area] += 1
            n[f"sex:{c[_C['sex']]}"] += 1
            age = age_on(c[_C["birth_date"]], today)
            n[f"age:{age}"] += 1
            n[f"stage:{c[_C['school_stage']]}"] += 1
            if c[_C["id_number"]] is None:
                n["no_id"] += 1
            if c[_C["disability_category"]]:
                n["disabled"] += 1
            if c[_C["serious_illness"]]:
                n["ill"] += 1
            migrant = c[_C["lives_with_parents"]]
            if migrant:
                n["migrant"] += 1
            father = parents.get(c[_C["father_id"]])
            mother = parents.get(c[_C["mother_id"]])
            statuses = {father[_P["status"]] if father else "unknown", mother[_P["status"]]}
            for s in statuses:
                n[f"child_parent:{s}"] += 1
            household = households[c[_C["household_id"]]]
            if household[_H["economic_status"]] != "none":
                n[f"child_economic:{household[_H['economic_status']]}"] += 1
            if left_behind(father, mother) and not migrant:
                n[f"left_behind:{area}"] += 1
                if age < 16:
                    n[f"left_behind_u16:{area}"] += 1
            if age < 16:
                n[f"u16:{area}"] += 1

    def share(self, key: str, of: str = "children") -> float:
        return self.n[key] / self.n[of] if self.n[of] else 0.0


def incapable(parent: tuple | None) -> bool:
    if parent is None:
        return True
    return parent[_P["status"]] in INCAPABLE or parent[_P["guardianship_capacity"]] == CAP_NONE


def left_behind(father: tuple | None, mother: tuple | None) -> bool:
    """Both parents away, or one away and the other without guardianship capacity."""
    f_away = father is not None and father[_P["status"]] == AWAY
    m_away = mother is not None and mother[_P["status"]] == AWAY
    return (f_away and m_away) or (f_away and incapable(mother)) or (m_away and incapable(father))

"""The synthetic-county generator: plain rows, no database."""

from collections import Counter, defaultdict
from datetime import date

import pytest

from guanai.registry import idnumber
from guanai.registry.names import name_initials, name_pinyin
from guanai.synth.generator import (
    CHILD_COLUMNS,
    GUARDIAN_COLUMNS,
    HOUSEHOLD_COLUMNS,
    PARENT_COLUMNS,
    Generator,
    IdStart,
    SeedConfig,
    SeedError,
    Tally,
    age_on,
    default_layout,
    left_behind,
)

COUNTY = "511321"  # 四川省南充市南部县, a real code; everything below it is invented
TODAY = date(2025, 6, 1)
CONFIG = SeedConfig(county_code=COUNTY, children=5000, seed=7, today=TODAY)


def as_dicts(rows, columns):
    return [dict(zip(columns, row, strict=True)) for row in rows]


class County:
    """All rows of one generated county, as dicts."""

    def __init__(self, config: SeedConfig, **chunk_args) -> None:
        self.generator = Generator(config)
        self.chunks = list(self.generator.chunks(**chunk_args))
        self.households = as_dicts(
            [r for c in self.chunks for r in c.households], HOUSEHOLD_COLUMNS
        )
        self.parents = as_dicts([r for c in self.chunks for r in c.parents], PARENT_COLUMNS)
        self.children = as_dicts([r for c in self.chunks for r in c.children], CHILD_COLUMNS)
        self.guardians = as_dicts([r for c in self.chunks for r in c.guardians], GUARDIAN_COLUMNS)
        self.parent_by_id = {p["id"]: p for p in self.parents}
        self.household_by_id = {h["id"]: h for h in self.households}
        urban = [
            d.code for d in self.generator.division_rows() if d.level == "village" and d.is_urban
        ]
        self.tally = Tally(config.today, urban)
        for chunk in self.chunks:
            self.tally.add(chunk)


@pytest.fixture(scope="module")
def county() -> County:
    return County(CONFIG)


# --------------------------------------------------------------------------- plan


def test_division_tree_uses_real_names_above_the_county_and_nested_codes(county):
    rows = county.generator.division_rows()
    head = [(r.code, r.name, r.level) for r in rows[:3]]
    assert head == [
        ("510000", "四川省", "province"),
        ("511300", "南充市", "city"),
        ("511321", "南部县", "county"),
    ]
    townships = [r for r in rows if r.level == "township"]
    villages = [r for r in rows if r.level == "village"]
    assert len(villages) == county.generator.townships * county.generator.villages_per_township
    township_codes = {t.code for t in townships}
    assert all(len(t.code) == 9 and t.code.startswith(COUNTY) for t in townships)
    assert all(len(v.code) == 12 and v.code[:9] in township_codes for v in villages)
    assert len({r.code for r in rows}) == len(rows)
    assert all(t.name.endswith(("镇", "乡", "街道")) for t in townships)
    assert all(v.name.endswith("社区" if v.is_urban else "村") for v in villages)
    urban_share = sum(v.is_urban for v in villages) / len(villages)
    assert 0.12 <= urban_share <= 0.3


def test_county_without_prefecture_sits_under_the_province():
    rows = Generator(SeedConfig(county_code="110105", children=10, today=TODAY)).division_rows()
    assert [(r.code, r.name) for r in rows[:2]] == [("110000", "北京市"), ("110105", "朝阳区")]


def test_default_layout_scales_with_size():
    assert default_layout(2000) == (2, 3)
    townships, per = default_layout(1_000_000)
    assert 300 <= 1_000_000 / (townships * per) <= 600
    townships, per = default_layout(100_000)
    assert 300 <= 100_000 / (townships * per) <= 600


def test_explicit_layout_is_respected():
    gen = Generator(
        SeedConfig(county_code=COUNTY, children=100, townships=3, villages_per_township=4)
    )
    assert len(gen.villages) == 12
    assert sum(v.quota for v in gen.villages) == 100


@pytest.mark.parametrize("code", ["123456", "51132", "abcdef", "510000"])
def test_unknown_county_code_is_refused_in_chinese(code):
    with pytest.raises(SeedError, match=f"未知的县级区划代码 {code}"):
        Generator(SeedConfig(county_code=code, children=10))


def test_future_today_is_refused():
    with pytest.raises(SeedError, match="--today"):
        Generator(SeedConfig(county_code=COUNTY, children=10, today=date(2999, 1, 1)))


def test_schools_per_township_and_county(county):
    stages = defaultdict(set)
    for school in county.generator.schools:
        stages[school.stage].add(len(school.division_code))
    assert stages["senior"] == {6} and stages["special"] == {6}
    assert 9 in stages["primary"] and 9 in stages["junior"] and 9 in stages["kindergarten"]
    townships = {v.code[:9] for v in county.generator.villages}
    for stage in ("primary", "junior"):
        covered = {s.division_code[:9] for s in county.generator.schools if s.stage == stage}
        assert covered == townships


# --------------------------------------------------------------------------- proportions


def test_proportions_are_plausible(county):
    t = county.tally
    share = t.share
    assert t.n["children"] == 5000
    assert 0.18 <= share("left_behind:rural", "rural") <= 0.32
    assert 0.18 <= share("left_behind_u16:rural", "u16:rural") <= 0.32
    assert share("left_behind:urban", "urban") < share("left_behind:rural", "rural") / 2
    assert 1.0 <= t.n["sex:M"] / t.n["sex:F"] <= 1.22
    assert 0.02 <= share("migrant") <= 0.10
    assert 0.015 <= share("no_id") <= 0.05
    assert 0.007 <= share("disabled") <= 0.025
    assert 0.001 <= share("ill") <= 0.012
    assert 0.01 <= share("child_parent:dead") <= 0.035
    assert 0.002 <= share("child_parent:missing") <= 0.015
    assert 0.001 <= share("child_parent:imprisoned") <= 0.012
    assert 0.004 <= share("child_parent:seriously_ill") <= 0.02
    assert 0.004 <= share("child_parent:seriously_disabled") <= 0.02
    remarried = share("child_parent:remarried") + share("child_parent:left_home")
    assert 0.01 <= remarried <= 0.04
    assert 0.03 <= share("economic:dibao", "households") <= 0.09
    assert 0.003 <= share("economic:tekun", "households") <= 0.02
    assert 0.05 <= share("poverty_registered", "households") <= 0.11
    ages = [t.n[f"age:{a}"] for a in range(18)]
    assert min(ages) > 0 and max(ages) / min(ages) < 1.6
    assert 1.3 <= t.n["children"] / t.n["households"] <= 2.0


def test_left_behind_follows_the_national_definition(county):
    def parent(status, capacity="full"):
        row = [None] * len(PARENT_COLUMNS)
        row[PARENT_COLUMNS.index("status")] = status
        row[PARENT_COLUMNS.index("guardianship_capacity")] = capacity
        return tuple(row)

    assert left_behind(parent("working_away"), parent("working_away"))
    assert left_behind(parent("working_away"), parent("dead", "none"))
    assert left_behind(None, parent("working_away"))
    assert not left_behind(parent("working_away"), parent("at_home"))
    assert not left_behind(parent("at_home"), parent("at_home"))


# --------------------------------------------------------------------------- people


def test_child_id_numbers_are_valid_unique_and_agree_with_the_file(county):
    numbers = [c["id_number"] for c in county.children if c["id_number"]]
    assert len(numbers) == len(set(numbers))
    for c in county.children:
        number = c["id_number"]
        if number is None:
            assert c["id_number_tail"] == ""
            continue
        parsed = idnumber.parse(number, today=TODAY)
        assert parsed.birth_date == c["birth_date"]
        assert parsed.sex == c["sex"]
        assert c["id_number_tail"] == number[-6:]
        household = county.household_by_id[c["household_id"]]
        # Migrant children carry the code of their household registration, not of this county.
        assert number.startswith(household["hukou_region_code"][:6])
        if not c["lives_with_parents"]:
            assert number.startswith(COUNTY)
        assert 0 <= age_on(c["birth_date"], TODAY) <= 17


def test_parent_and_guardian_id_numbers_are_valid(county):
    assert sum(bool(p["id_number"]) for p in county.parents) > 10
    for p in county.parents:
        if p["id_number"]:
            parsed = idnumber.parse(p["id_number"], today=TODAY)
            assert parsed.sex == ("M" if p["role"] == "father" else "F")
    for g in county.guardians:
        if g["id_number"]:
            idnumber.parse(g["id_number"], today=TODAY)


def test_parents_are_20_to_45_years_older_and_shared_by_siblings(county):
    for c in county.children:
        for role in ("father", "mother"):
            pid = c[f"{role}_id"]
            if pid is None:
                assert role == "father"
                continue
            parent = county.parent_by_id[pid]
            assert parent["household_id"] == c["household_id"]
            assert parent["role"] == role
            if parent["id_number"]:
                born = idnumber.parse(parent["id_number"], today=TODAY).birth_date
                assert 20 <= age_on(born, c["birth_date"]) <= 45
    per_household = Counter(p["household_id"] for p in county.parents)
    assert max(per_household.values()) <= 2
    assert len(county.households) < len(county.children)


def test_parent_statuses_carry_their_details(county):
    by_status = defaultdict(list)
    for p in county.parents:
        by_status[p["status"]].append(p)
    for p in by_status["working_away"]:
        assert p["away_destination"] and p["status_since"] <= TODAY
    for p in by_status["imprisoned"]:
        assert p["status_since"] <= TODAY < p["status_until"]
        assert p["guardianship_capacity"] == "none"
    assert any(
        (p["status_until"] - p["status_since"]).days >= 5 * 365 for p in by_status["imprisoned"]
    )
    for p in by_status["seriously_disabled"]:
        assert p["disability_category"] and p["disability_grade"] in (1, 2)
    for p in by_status["dead"]:
        assert p["status_since"] and not p["can_work"]
    assert {"dead", "missing", "imprisoned", "seriously_ill", "remarried"} <= set(by_status)


def test_children_names_pinyin_and_twins(county):
    for c in county.children[:500]:
        assert c["name_pinyin"] == name_pinyin(c["name"])
        assert c["name_initials"] == name_initials(c["name"])
    by_household = defaultdict(list)
    for c in county.children:
        by_household[c["household_id"]].append(c)
    twins = 0
    for siblings in by_household.values():
        assert len(siblings) <= 3
        assert len({s["name"] for s in siblings}) == len(siblings)
        births = Counter(s["birth_date"] for s in siblings)
        twins += sum(1 for n in births.values() if n == 2)
    assert twins >= 1


def test_school_stage_matches_age(county):
    bands = {
        "kindergarten": (3, 6),
        "primary": (6, 12),
        "junior": (12, 15),
        "senior": (15, 17),
        "special": (6, 16),
        "dropped_out": (13, 17),
    }
    for c in county.children:
        age = age_on(c["birth_date"], TODAY)
        stage = c["school_stage"]
        if stage == "none":
            assert c["school_id"] is None
            continue
        low, high = bands[stage]
        assert low <= age <= high, (stage, age)
        if stage == "dropped_out":
            assert c["school_id"] is None and not c["class_name"]
        else:
            assert c["school_id"] and c["class_name"].endswith("班") and c["class_teacher"]
    primary = [c["class_name"] for c in county.children if c["school_stage"] == "primary"]
    assert any(name.startswith("三年级(") for name in primary)


def test_disability_certificates(county):
    disabled = [c for c in county.children if c["disability_category"]]
    assert disabled
    for c in disabled:
        assert c["id_number"] and c["disability_grade"] in (1, 2, 3, 4)
        cert = c["disability_cert_number"]
        assert len(cert) == 20 and cert.startswith(c["id_number"])
        assert cert[-1] == str(c["disability_grade"])


def test_one_primary_guardian_per_child(county):
    guardians = Counter(g["child_id"] for g in county.guardians)
    assert set(guardians.values()) == {1}
    assert len(guardians) == len(county.children)
    by_child = {g["child_id"]: g for g in county.guardians}
    for c in county.children:
        g = by_child[c["id"]]
        father = county.parent_by_id.get(c["father_id"])
        mother = county.parent_by_id[c["mother_id"]]
        statuses = {father["status"] if father else None, mother["status"]}
        if "at_home" not in statuses:
            assert g["relation"] not in ("father", "mother")
        elif g["relation"] in ("father", "mother"):
            parent = father if g["relation"] == "father" else mother
            assert parent["status"] == "at_home" and g["name"] == parent["name"]


def test_households_have_addresses_phones_and_hukou(county):
    for h in county.households:
        assert h["address"] and h["division_code"].startswith(COUNTY)
        if h["phone"]:
            assert len(h["phone"]) == 11 and h["phone"][:2] in ("13", "15", "18")
        assert len(h["hukou_region_code"]) == 6
    migrants = [h for h in county.households if h["hukou_region_code"] != COUNTY]
    assert migrants and all(h["hukou_address"] != h["address"] for h in migrants)


# --------------------------------------------------------------------------- determinism


def test_same_arguments_give_the_same_rows(county):
    again = County(CONFIG)
    assert [(c["name"], c["id_number"]) for c in again.children] == [
        (c["name"], c["id_number"]) for c in county.children
    ]
    assert [c.children for c in again.chunks] == [c.children for c in county.chunks]
    assert [c.parents for c in again.chunks] == [c.parents for c in county.chunks]


def test_another_seed_gives_other_people(county):
    other = County(SeedConfig(county_code=COUNTY, children=5000, seed=8, today=TODAY))
    assert [c["name"] for c in other.children[:50]] != [c["name"] for c in county.children[:50]]


def test_chunks_keep_households_whole_and_ids_follow_the_start():
    start = IdStart(school=10, household=100, parent=1000, child=5000, guardian=7000)
    config = SeedConfig(county_code=COUNTY, children=1200, seed=3, today=TODAY)
    small = County(config, start=start, chunk_size=100)
    whole = County(config, start=start)
    assert len(small.chunks) > 5
    assert [c["id_number"] for c in small.children] == [c["id_number"] for c in whole.children]
    for chunk in small.chunks:
        households = {h[0] for h in chunk.households}
        assert all(c[1] in households for c in chunk.children)
    assert small.children[0]["id"] == 5000 and small.households[0]["id"] == 100
    assert small.guardians[0]["id"] == 7000 and small.parents[0]["id"] == 1000
    assert [c["id"] for c in small.children] == list(range(5000, 5000 + 1200))
    school_ids = {c["school_id"] for c in small.children} - {None}
    assert min(school_ids) >= 10


def test_a_county_of_millions_names_its_hundred_and_more_senior_schools():
    generator = Generator(SeedConfig(county_code=COUNTY, children=5_000_000, today=TODAY))
    names = {school.name for school in generator.schools}
    assert any(name.endswith("第一百零一中学") for name in names)
    assert len([n for n in names if n.endswith("中学") and "第" in n]) > 100

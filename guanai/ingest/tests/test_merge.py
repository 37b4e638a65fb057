"""Roster values onto children's files: merged with provenance, conflicts kept, files opened."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanai.audit.models import AuditEvent
from guanai.core.errors import DomainError
from guanai.ingest import file_sources, merge
from guanai.ingest.claims import TRUSTED_SOURCES, displayed_claim
from guanai.ingest.models import FILE_ENTRY, ClaimField, FieldClaim, ReviewPair, SourceRecord
from guanai.ingest.review import review_decide, review_undo
from guanai.ingest.services import roster_import
from guanai.ingest.tests.factories import csv_file
from guanai.registry import idnumber
from guanai.registry.models import Child, Guardian, School
from guanai.rules.models import ChildBaseline
from guanai.testing.factories import child_build


@pytest.fixture
def child(place):
    c = child_build(place.village_a, "张小明", birth=date(2015, 3, 9))
    c.household.phone, c.household.address = "13800001111", "东风村3组"
    c.household.save()
    Guardian.objects.create(child=c, name="张大山", relation="grandfather", phone="13800001111")
    return c


def _import(tmp_path, place, text, source="civil", as_of=None, name="r.csv", actor=None):
    return roster_import(
        actor=actor,
        path=csv_file(tmp_path, text, name),
        source=source,
        village=place.village_a.code,
        as_of=as_of,
    )


def _later(days=30):
    return date.today() + timedelta(days=days)


def test_a_newer_roster_updates_the_file_and_keeps_the_old_value(tmp_path, place, child):
    report = _import(
        tmp_path,
        place,
        f"姓名,身份证号,联系电话,住址\n张小明,{child.id_number},13900002222,东风村5组\n",
        as_of=_later(),
    )
    assert (report.linked, report.merged) == (1, 1)
    child.refresh_from_db()
    guardian = child.guardians.get()
    assert guardian.phone == "13900002222" and child.household.address == "东风村5组"
    revision = child.revisions.order_by("-number").first()
    assert revision.summary.startswith("导入:民政名册 r.csv 第 2 行")
    assert revision.actor_name == "系统导入"
    assert "household.address" in revision.changes
    phone = {c.value: c for c in child.claims.filter(field=ClaimField.PHONE)}
    assert phone["13900002222"].displayed and phone["13900002222"].source == "civil"
    assert not phone["13800001111"].displayed and phone["13800001111"].source == FILE_ENTRY


def test_a_merge_that_fails_on_a_file_leaves_no_claim_of_it(tmp_path, place, child, monkeypatch):
    _import(tmp_path, place, f"姓名,身份证号,联系电话\n张小明,{child.id_number},13900002222\n")
    record = SourceRecord.objects.select_related("batch").get()
    record.values["phone"], record.batch.as_of = "13700003333", _later(60)

    def refused(**kwargs):
        raise DomainError("档案保存失败")

    monkeypatch.setattr(merge, "child_update_from_source", refused)
    with pytest.raises(DomainError):
        merge.records_merge(actor=None, records=[record])
    assert not FieldClaim.objects.filter(value="13700003333").exists()


def test_an_address_with_county_and_township_before_it_is_the_same_address(tmp_path, place, child):
    report = _import(
        tmp_path,
        place,
        f"姓名,身份证号,住址\n张小明,{child.id_number},江西省 德安县蒲亭镇东风村3组\n",
        as_of=_later(),
    )
    assert (report.linked, report.merged, report.conflicts) == (1, 0, 0)
    assert not FieldClaim.objects.exists()
    child.refresh_from_db()
    assert child.household.address == "东风村3组"
    # A township name is no wildcard: another group of the village is another address.
    assert not merge.AdminPrefixes().same_address("蒲亭镇东风村5组", "东风村3组")


def test_an_older_roster_does_not_override_and_its_value_is_kept(tmp_path, place, child):
    report = _import(
        tmp_path,
        place,
        f"姓名,身份证号,联系电话\n张小明,{child.id_number},13900002222\n",
        as_of=date(2020, 1, 1),
    )
    assert (report.linked, report.merged, report.conflicts) == (1, 0, 1)
    assert child.guardians.get().phone == "13800001111"
    kept = FieldClaim.objects.get(child=child, value="13900002222")
    assert not kept.displayed and kept.observed_on == date(2020, 1, 1)
    groups = {g.field: g for g in file_sources.claims_for_file(child, reveal=False)}
    assert groups[ClaimField.PHONE].shown.shown_value == "138****1111"
    assert [c.shown_value for c in groups[ClaimField.PHONE].others] == ["139****2222"]


def test_same_day_keeps_what_is_shown(tmp_path, place, child):
    _import(tmp_path, place, f"姓名,身份证号,住址\n张小明,{child.id_number},甲\n", as_of=_later())
    _import(
        tmp_path,
        place,
        f"姓名,身份证号,住址\n张小明,{child.id_number},乙\n",
        "police",
        _later(),
        "b.csv",
    )
    child.household.refresh_from_db()
    assert child.household.address == "甲"


def test_untrusted_source_fills_an_empty_field_but_never_overrides(tmp_path, place, child):
    _import(
        tmp_path,
        place,
        f"姓名,身份证号,班级,住址\n张小明,{child.id_number},三(2)班,别处\n",
        source="other",
        as_of=_later(),
    )
    child.refresh_from_db()
    assert child.class_name == "三(2)班"
    assert child.household.address == "东风村3组"


def test_disability_from_the_federation_wins_over_a_newer_school_roster(tmp_path, place, child):
    def row(category, grade):
        return f"姓名,身份证号,残疾类别,残疾等级\n张小明,{child.id_number},{category},{grade}\n"

    _import(tmp_path, place, row("肢体残疾", "二级"), "education", _later(), "a.csv")
    child.refresh_from_db()
    assert child.disability_category == "limb"  # an empty field takes it while nobody trusted says
    _import(tmp_path, place, row("智力残疾", "三级"), "disabled", _later(), "b.csv")
    child.refresh_from_db()
    assert (child.disability_category, child.disability_grade) == ("intellectual", 3)
    _import(tmp_path, place, row("肢体残疾", "一级"), "education", _later(60), "c.csv")
    child.refresh_from_db()
    assert (child.disability_category, child.disability_grade) == ("intellectual", 3)


def test_a_school_known_by_name_is_set(tmp_path, place, child):
    school = School.objects.create(
        name="东风小学",
        division=place.village_a,
        division_code=place.village_a.code,
        stage="primary",
    )
    _import(
        tmp_path, place, f"姓名,身份证号,学校\n张小明,{child.id_number},东风小学\n", "education"
    )
    child.refresh_from_db()
    assert child.school == school


def test_a_row_matching_nobody_opens_a_file_and_siblings_share_a_household(tmp_path, place, child):
    id_a = idnumber.make(region_code="360426", birth_date=date(2016, 5, 1), sequence=3, sex="F")
    report = _import(
        tmp_path,
        place,
        "姓名,身份证号,出生日期,性别,监护人,联系电话\n"
        f"李梅,{id_a},,,李强,13700003333\n"
        "李兰,,2018-02-03,女,李强,13700003333\n"
        "张小红,,2017-07-07,女,,13800001111\n",
    )
    assert report.created == 3
    mei, lan, hong = (Child.objects.get(name=n) for n in ("李梅", "李兰", "张小红"))
    assert mei.household == lan.household and mei.id_number == id_a
    assert mei.guardians.get().name == "李强" and mei.guardians.get().phone == "13700003333"
    assert hong.household == child.household  # the phone of a family already on file
    # Like a seeded file, history starts from the imported state; the opening is audited.
    assert not mei.revisions.exists()
    opening = AuditEvent.objects.get(object_type="registry.child", object_id=str(mei.pk))
    assert opening.action == "create" and opening.detail.startswith("导入 民政 名册 r.csv")
    assert SourceRecord.objects.get(name="李梅").link_method == "created"
    assert ChildBaseline.objects.filter(child__in=[mei, lan, hong]).count() == 3  # rules ran


def test_accepting_a_pair_merges_and_undo_restores(tmp_path, place, child, users):
    report = _import(
        tmp_path, place, "姓名,出生日期,性别,住址\n张晓敏,2015-03-09,男,新地址\n", as_of=_later()
    )
    assert report.review == 1
    pair = ReviewPair.objects.get()
    review_decide(actor=users["supervisor_1"], pair=pair, same=True)
    child.household.refresh_from_db()
    assert child.household.address == "新地址"
    review_undo(actor=users["supervisor_1"], pair=pair)
    child.household.refresh_from_db()
    assert child.household.address == "东风村3组"
    assert not FieldClaim.objects.filter(value="新地址").exists()
    assert SourceRecord.objects.get().child is None


def test_rejecting_every_candidate_opens_a_file_which_undo_cannot_take_back(
    tmp_path, place, child, users
):
    _import(tmp_path, place, "姓名,出生日期,性别\n张晓敏,2015-03-09,男\n")
    pair = ReviewPair.objects.get()
    review_decide(actor=users["supervisor_1"], pair=pair, same=False)
    record = SourceRecord.objects.get()
    assert record.link_method == "created" and record.child.name == "张晓敏"
    with pytest.raises(DomainError, match="已新建了档案"):
        review_undo(actor=users["supervisor_1"], pair=pair)


def test_the_file_page_shows_other_sources(tmp_path, place, child, login, users):
    _import(
        tmp_path,
        place,
        f"姓名,身份证号,住址\n张小明,{child.id_number},旧地址\n",
        as_of=date(2020, 1, 1),
    )
    page = login(users["director_a"]).get(f"/children/{child.pk}/")
    text = page.content.decode()
    assert "其他来源" in text and "旧地址" in text and "2020-01-01" in text
    assert "出现在以下名册" in text and "r.csv 第 2 行" in text and "身份证号相同" in text


_claims = st.lists(
    st.tuples(
        st.sampled_from([FILE_ENTRY, "civil", "police", "other", "education"]),
        st.dates(date(2020, 1, 1), date(2020, 1, 5)),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@given(_claims, st.sampled_from(list(ClaimField)))
def test_the_displayed_claim_is_the_newest_trusted(rows, field):
    claims = [
        FieldClaim(pk=i + 1, field=field, value=str(i), source=s, observed_on=d, displayed=shown)
        for i, (s, d, shown) in enumerate(rows)
    ]
    pick = displayed_claim(claims)
    trusted = [c for c in claims if c.source in TRUSTED_SOURCES[field]]
    pool = trusted or claims
    assert pick in pool
    assert pick.observed_on == max(c.observed_on for c in pool)
    newest_shown = [c for c in pool if c.displayed and c.observed_on == pick.observed_on]
    if newest_shown:
        assert pick.displayed


def test_same_name_birth_and_village_with_another_number_is_asked_not_opened(
    tmp_path, place, child
):
    other = idnumber.make(region_code="360426", birth_date=date(2015, 3, 9), sequence=99, sex="M")
    report = _import(tmp_path, place, f"姓名,身份证号\n张小明,{other}\n")
    assert (report.created, report.review) == (0, 1)
    pair = ReviewPair.objects.get()
    assert pair.child == child and pair.reasons == ["同村同名同出生日期"]
    assert Child.objects.count() == 1


def test_two_rows_of_one_new_child_open_one_file(tmp_path, place):
    number = idnumber.make(region_code="360426", birth_date=date(2016, 5, 1), sequence=3, sex="F")
    report = _import(
        tmp_path,
        place,
        f"姓名,身份证号,班级\n李梅,{number},一(1)班\n李梅,{number},二(1)班\n",
        as_of=_later(),
    )
    assert (report.created, report.linked, report.conflicts) == (1, 1, 1)
    mei = Child.objects.get(name="李梅")
    # One roster, two classes: the first row opened the file, the second is kept beside it.
    assert mei.class_name == "一(1)班"
    kept = FieldClaim.objects.get(child=mei, value="二(1)班")
    assert not kept.displayed and kept.record.line == 3

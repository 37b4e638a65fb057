import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from guanai.audit.models import AuditEvent
from guanai.ingest.models import (
    FieldClaim,
    ImportBatch,
    MappingProfile,
    ReviewPair,
    SourceRecord,
)
from guanai.ingest.readers import FileRejected
from guanai.ingest.services import ImportRejected, roster_import
from guanai.ingest.tests.factories import csv_file
from guanai.registry import idnumber
from guanai.registry.models import Guardian
from guanai.testing.factories import child_build


def _id(birth, seq=7, sex="M"):
    return idnumber.make(region_code="360426", birth_date=birth, sequence=seq, sex=sex)


@pytest.fixture
def child(place):
    c = child_build(place.village_a, "张小明", birth=date(2015, 3, 9))
    c.household.phone = "13800001111"
    c.household.save()
    Guardian.objects.create(child=c, name="张大山", relation="grandfather", phone="13800001111")
    return c


def test_it_imports_and_links_by_id(tmp_path, place, child):
    path = csv_file(tmp_path, f"姓名,身份证号,学校\n张小明,{child.id_number},东风小学\n")
    report = roster_import(actor=None, path=path, source="education", village=place.village_a.code)
    assert (report.new, report.linked, report.review) == (1, 1, 0)
    record = SourceRecord.objects.get()
    assert record.child == child and record.link_method == "id_exact"
    assert record.raw == {"姓名": "张小明", "身份证号": child.id_number, "学校": "东风小学"}
    assert record.batch.source == "education"
    assert AuditEvent.objects.filter(object_type="ingest.importbatch").count() == 1


def test_importing_the_same_file_again_changes_nothing(tmp_path, place, child):
    path = csv_file(tmp_path, f"姓名,身份证号\n张小明,{child.id_number}\n")
    roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    again = roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    assert again.already_imported
    # Same rows in another file (one row added): the known row is left alone.
    other = csv_file(
        tmp_path,
        f"姓名,身份证号\n张小明,{child.id_number}\n李四,{_id(date(2014, 1, 2))}\n",
        "b.csv",
    )
    report = roster_import(actor=None, path=other, source="police", village=place.village_a.code)
    assert (report.new, report.unchanged) == (1, 1)
    assert SourceRecord.objects.count() == 2 and ImportBatch.objects.count() == 2


def test_a_homophone_without_id_in_the_same_household_links(tmp_path, place, child):
    path = csv_file(
        tmp_path,
        "姓名,出生日期,性别,监护人,联系电话\n張曉明,2015-03-09,男,张大山,138 0000 1111\n",
        encoding="gb18030",
    )
    report = roster_import(actor=None, path=path, source="civil", village=place.village_a.code)
    assert report.linked == 1
    assert SourceRecord.objects.get().link_method == "score"


def test_an_id_typo_is_imported_without_the_number_and_linked(tmp_path, place, child):
    typo = child.id_number[:5] + str((int(child.id_number[5]) + 1) % 10) + child.id_number[6:]
    path = csv_file(tmp_path, f"姓名,身份证号\n张晓敏,{typo}\n")
    # Another department's typo: the row comes in without the number, which stays aside,
    # with the birth date and sex the number states, and a warning naming line and column.
    report = roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    (warning,) = report.warnings
    assert warning.startswith("第 2 行 身份证号:") and warning.endswith(
        ";号码未采用,按其他信息关联"
    )
    # One digit from the file's number, the same birth date, a homophone name: a sure match.
    assert (report.linked, report.review, report.created) == (1, 0, 0)
    record = SourceRecord.objects.get()
    assert (record.id_number, record.values["id_number_given"]) == ("", typo)
    assert (record.birth_date, record.sex, record.link_method) == (date(2015, 3, 9), "M", "score")
    child.refresh_from_db()
    assert child.id_number != typo  # the file keeps its valid number
    assert not FieldClaim.objects.filter(field="id_number").exists()
    # The file page names the roster's wrong number, masked, for the director to follow up.
    page = render_to_string("ingest/_child_sources.html", {"child": child})
    assert f"名册上的身份证号有误:{idnumber.mask(typo)}" in page and typo not in page


def test_a_row_without_a_number_goes_to_review_by_name_and_birth(tmp_path, place, child):
    path = csv_file(tmp_path, "姓名,出生日期,性别\n张晓敏,2015-03-09,男\n", "c.csv")
    report = roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    assert report.review == 1 and not report.warnings
    assert ReviewPair.objects.get().child == child


@pytest.mark.parametrize("name", ["Xiaoming Zhang", "ZHANG XIAO MING", "zhangxiaoming"])
def test_a_name_in_latin_letters_finds_its_file_without_the_birth_date(
    tmp_path, place, child, name
):
    # No birth date in common (day and month swapped): only the name's pinyin finds the file.
    path = csv_file(
        tmp_path, f"姓名,出生日期,性别,监护人,联系电话\n{name},2015-09-03,男,张大山,13800001111\n"
    )
    report = roster_import(actor=None, path=path, source="education", village=place.village_a.code)
    assert report.linked == 1, report
    assert SourceRecord.objects.get().child == child


def test_a_twin_is_not_linked_and_gets_a_file_of_their_own(tmp_path, place, child):
    path = csv_file(tmp_path, "姓名,出生日期,性别,联系电话\n张小亮,2015-03-09,男,13800001111\n")
    report = roster_import(actor=None, path=path, source="civil", village=place.village_a.code)
    assert (report.linked, report.review, report.created) == (0, 0, 1)
    twin = SourceRecord.objects.get().child
    assert twin.name == "张小亮" and twin != child and twin.household.phone == "13800001111"


def test_bad_rows_save_nothing_and_name_line_and_column(tmp_path, place):
    good = _id(date(2015, 3, 9))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    path = csv_file(tmp_path, f"姓名,身份证号\n张三,{good}\n李四,{bad}\n,{good}\n王五,12345\n")
    with pytest.raises(ImportRejected) as err:
        roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    # A wrong check digit still states a birth date and sex, so that row is no error; a
    # number that states nothing leaves the row without a birth date.
    assert err.value.errors == [
        "第 4 行 姓名:不能为空",
        "第 5 行 出生日期:没有有效的身份证号时必须填写",
    ]
    assert not SourceRecord.objects.exists() and not ImportBatch.objects.exists()


def test_rows_need_a_known_village(tmp_path, place):
    path = csv_file(
        tmp_path,
        "姓名,出生日期,性别,村(居)\n张三,2015-03-09,男,东风村\n李四,2015-01-01,女,无名村\n王五,2015-01-01,女,\n",
    )
    with pytest.raises(ImportRejected) as err:
        roster_import(actor=None, path=path, source="civil")
    assert err.value.errors[0].startswith("第 3 行 村(居):找不到“无名村”")
    assert err.value.errors[1].startswith("第 4 行 村(居):为空")


def test_a_village_outside_the_users_area_is_an_error(tmp_path, place, users):
    path = csv_file(
        tmp_path, f"姓名,出生日期,性别,村(居)\n张三,2015-03-09,男,{place.village_c.code}\n"
    )
    with pytest.raises(ImportRejected, match="不在您的管辖范围内"):
        roster_import(actor=users["supervisor_1"], path=path, source="civil")


def test_dry_run_saves_nothing(tmp_path, place):
    path = csv_file(tmp_path, "姓名,出生日期,性别\n张三,2015-03-09,男\n")
    report = roster_import(
        actor=None, path=path, source="civil", village=place.village_a.code, dry_run=True
    )
    assert report.new == 1 and report.batch_id is None
    assert not SourceRecord.objects.exists() and not ImportBatch.objects.exists()


def test_missing_columns_are_refused(tmp_path, place):
    path = csv_file(tmp_path, "名字X,电话\n张三,1\n")
    with pytest.raises(FileRejected, match="缺少必需的列"):
        roster_import(actor=None, path=path, source="civil", village=place.village_a.code)


def test_a_saved_profile_maps_department_headers(tmp_path, place):
    MappingProfile.objects.create(
        source="disabled", name="残联2024", columns={"持证人": "name", "证件号": "id_number"}
    )
    path = csv_file(tmp_path, f"持证人,证件号\n张三,{_id(date(2014, 5, 6))}\n")
    report = roster_import(
        actor=None, path=path, source="disabled", profile="残联2024", village=place.village_a.code
    )
    assert report.new == 1


def test_the_command_writes_a_json_report(tmp_path, place, child):
    path = csv_file(tmp_path, f"姓名,身份证号\n张小明,{child.id_number}\n")
    out = tmp_path / "r.json"
    call_command(
        "import", str(path), source="police", village=place.village_a.code, report_json=str(out)
    )
    assert json.loads(out.read_text(encoding="utf-8"))["linked"] == 1


def test_the_command_lists_errors(tmp_path, place):
    path = csv_file(tmp_path, "姓名,出生日期,性别\n张三,2015-13-09,男\n")
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import", str(path), source="police", village=place.village_a.code)


def test_later_chunks_see_the_files_earlier_chunks_numbered_and_opened(
    tmp_path, place, monkeypatch
):
    monkeypatch.setattr("guanai.ingest.services.CHUNK", 1)
    unnumbered = child_build(place.village_a, "张小明", with_id=False)
    first, second = _id(date(2015, 3, 9), seq=11), _id(date(2015, 3, 9), seq=12)
    path = csv_file(
        tmp_path,
        "姓名,身份证号,出生日期,性别,联系电话\n"
        f"张小明,{first},,,13800001111\n"  # links by score: the file takes the number
        f"张小明,{second},,,\n"  # another number: that file is no longer a candidate
        "王小丽,,2016-05-01,女,13900002222\n"  # opens a file without a number...
        f"王小丽,{_id(date(2016, 5, 1), seq=13, sex='F')},,,13900002222\n",  # ...which this is
    )
    roster_import(actor=None, path=path, source="police", village=place.village_a.code)
    unnumbered.refresh_from_db()
    assert unnumbered.id_number == first
    records = {r.line: r for r in SourceRecord.objects.all()}
    assert records[2].child == unnumbered and records[2].link_method == "score"
    assert records[3].child is None
    assert ReviewPair.objects.get(record=records[3]).child == unnumbered
    assert records[4].link_method == "created"
    assert records[5].child == records[4].child and records[5].link_method == "score"

"""An import reads and writes only inside the uploader's node (issue 12.1).

The probe: a township supervisor uploads a roster whose row names one of their villages but
carries the ID number of a child registered in another township. Before, the importer linked
the row across the registry and merged it into that file.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from guanai.core.errors import AccessDenied
from guanai.ingest import selectors
from guanai.ingest.models import ReviewPair, SourceRecord
from guanai.ingest.review import review_decide
from guanai.ingest.services import ImportRejected, roster_import
from guanai.ingest.tests.factories import csv_file
from guanai.registry.models import Child, Guardian
from guanai.registry.services import OUTSIDE_SCOPE_ID_MESSAGE, child_update_from_source
from guanai.testing.factories import child_build


@pytest.fixture
def elsewhere(place):
    """A child of the other township (village C), version 1, with no guardian on file."""
    return child_build(place.village_c, "王小刚", birth=date(2014, 5, 6))


def _probe_roster(tmp_path, place, child):
    return csv_file(
        tmp_path,
        "姓名,身份证号,村(居),监护人,联系电话\n"
        f"王小刚,{child.id_number},{place.village_a.code},王大力,13900002222\n",
    )


def test_a_row_with_the_number_of_a_child_elsewhere_changes_nothing_there(
    tmp_path, place, users, elsewhere
):
    version = elsewhere.version
    report = roster_import(
        actor=users["supervisor_1"],
        path=_probe_roster(tmp_path, place, elsewhere),
        source="civil",
    )
    elsewhere.refresh_from_db()
    assert elsewhere.version == version
    assert not Guardian.objects.filter(child=elsewhere).exists()
    assert (report.linked, report.merged, report.created, report.held) == (0, 0, 0, 1)
    # The uploader hears that, and nothing of that child.
    assert report.warnings == [f"第 2 行 身份证号:{OUTSIDE_SCOPE_ID_MESSAGE}"]
    assert "王小刚" not in report.to_json().replace(report.file_name, "")
    assert place.village_c.name not in report.to_json()
    record = SourceRecord.objects.get()
    assert record.child is None and record.division_code == place.village_a.code
    # The row waits for the county, which reaches both the row and the file.
    pair = ReviewPair.objects.get()
    assert pair.held_outside and pair.child == elsewhere
    assert list(selectors.review_list_for(users["county"])) == [pair]
    assert list(selectors.review_list_for(users["supervisor_1"])) == []
    assert list(selectors.review_list_for(users["supervisor_2"])) == []


def test_only_the_county_decides_a_held_row(tmp_path, place, users, elsewhere):
    roster_import(
        actor=users["supervisor_1"],
        path=_probe_roster(tmp_path, place, elsewhere),
        source="civil",
    )
    pair = ReviewPair.objects.get()
    for outsider in (users["supervisor_1"], users["supervisor_2"]):
        with pytest.raises(AccessDenied):
            review_decide(actor=outsider, pair=pair, same=True)
    elsewhere.refresh_from_db()
    assert not Guardian.objects.filter(child=elsewhere).exists()
    review_decide(actor=users["county"], pair=pair, same=True)
    assert Guardian.objects.get(child=elsewhere).name == "王大力"


def test_a_rejected_held_row_opens_no_second_file_with_that_number(
    tmp_path, place, users, elsewhere
):
    roster_import(
        actor=users["supervisor_1"],
        path=_probe_roster(tmp_path, place, elsewhere),
        source="civil",
    )
    review_decide(actor=users["county"], pair=ReviewPair.objects.get(), same=False)
    assert Child.objects.filter(id_number=elsewhere.id_number).count() == 1
    assert SourceRecord.objects.get().child is None


def test_a_row_placed_only_by_a_file_elsewhere_is_held_at_the_uploaders_node(
    tmp_path, place, users, elsewhere
):
    path = csv_file(tmp_path, f"姓名,身份证号\n王小刚,{elsewhere.id_number}\n")
    report = roster_import(actor=users["supervisor_1"], path=path, source="education")
    assert report.held == 1 and report.errors == []
    record = SourceRecord.objects.get()
    assert record.child is None and record.division_code == place.township_1.code
    assert list(selectors.review_list_for(users["county"])) == [ReviewPair.objects.get()]


def test_candidates_come_only_from_the_uploaders_node(tmp_path, place, users, elsewhere):
    # Same name and birth date, no number: in the other township it is no candidate; the row
    # opens a file in the uploader's village.
    path = csv_file(
        tmp_path, f"姓名,出生日期,性别,村(居)\n王小刚,2014-05-06,男,{place.village_a.code}\n"
    )
    report = roster_import(actor=users["supervisor_1"], path=path, source="civil")
    assert (report.review, report.created) == (0, 1)
    assert not ReviewPair.objects.filter(child=elsewhere).exists()
    assert Child.objects.get(division_code=place.village_a.code, name="王小刚") != elsewhere


def test_siblings_households_are_looked_up_inside_the_node_only(tmp_path, place, users):
    other = child_build(place.village_c, "赵大宝")
    other.household.phone = "13700003333"
    other.household.save()
    path = csv_file(
        tmp_path,
        f"姓名,出生日期,性别,村(居),联系电话\n赵小宝,2016-01-02,男,{place.village_a.code},13700003333\n",
    )
    roster_import(actor=users["supervisor_1"], path=path, source="civil")
    made = Child.objects.get(name="赵小宝")
    assert made.household_id != other.household_id
    assert made.household.division_code == place.village_a.code


def test_a_county_wide_file_refused_whole_unless_own_rows_only(tmp_path, place, users, elsewhere):
    path = csv_file(
        tmp_path,
        "姓名,出生日期,性别,村(居)\n"
        f"张三,2015-03-09,男,{place.village_a.code}\n"
        f"李四,2015-04-09,女,{place.village_c.code}\n"
        f"王五,2015-05-09,男,{place.village_b.code}\n",
    )
    with pytest.raises(ImportRejected, match="只导入本辖区的行"):
        roster_import(actor=users["supervisor_1"], path=path, source="civil")
    report = roster_import(
        actor=users["supervisor_1"], path=path, source="civil", own_rows_only=True
    )
    assert (report.created, report.outside) == (2, 1)
    assert report.warnings == ["第 3 行 村(居):不在您的管辖范围内,未导入(只导入本辖区的行)"]
    assert not Child.objects.filter(name="李四").exists()
    assert set(
        Child.objects.filter(name__in=["张三", "王五"]).values_list("division", flat=True)
    ) == {
        place.village_a.pk,
        place.village_b.pk,
    }


def test_the_registry_write_refuses_a_file_outside_the_actor(place, users, elsewhere):
    with pytest.raises(AccessDenied, match=re.escape(OUTSIDE_SCOPE_ID_MESSAGE)):
        child_update_from_source(
            actor=users["supervisor_1"],
            child=elsewhere,
            data={"guardian_name": "王大力"},
            summary="probe",
        )
    assert not Guardian.objects.filter(child=elsewhere).exists()


def test_the_upload_page_offers_own_rows_only(login, users):
    page = login(users["supervisor_1"]).get(reverse("ingest:import_upload"))
    assert "只导入本辖区的行" in page.content.decode()

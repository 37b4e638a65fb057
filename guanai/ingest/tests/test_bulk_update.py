"""A roster's chunk saved at once (registry.children_update_from_source) leaves the registry
exactly as the one-file service (child_update_from_source) called file by file would: the same
files, revisions, audit rows and findings; and a file outside the actor's reach refuses all."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.ingest import candidates, linkage, merge
from guanai.ingest.models import FieldClaim, ImportBatch, SourceRecord
from guanai.ingest.services import roster_import
from guanai.ingest.tests.factories import xlsx_bytes
from guanai.registry import idnumber
from guanai.registry.history import file_snapshot
from guanai.registry.models import Child, Guardian, Household, Revision, School
from guanai.registry.services import (
    OUTSIDE_SCOPE_ID_MESSAGE,
    SourceUpdate,
    child_update_from_source,
    children_update_from_source,
)
from guanai.rules.models import ChildBaseline, ChildFinding, FindingChange
from guanai.rules.services import CHANGE_FIELDS, INSERT_FIELDS, ids_evaluate
from guanai.testing.factories import COUNTY, child_build


@pytest.fixture
def files(place):
    """Five files of village A: two siblings sharing a household (the elder with a guardian, the
    younger with none), a disabled child, a child without an ID number, and a file the rules
    have never evaluated; all but the last evaluated."""
    elder = child_build(place.village_a, "张小明", birth=date(2013, 3, 9))
    elder.household.phone = "13800001111"
    elder.household.save()
    Guardian.objects.create(child=elder, name="张大山", relation="father", phone="13800001111")
    younger = child_build(
        place.village_a, "张小红", birth=date(2016, 8, 1), sex="F", household=elder.household
    )
    disabled = child_build(place.village_a, "李小强", birth=date(2012, 1, 20))
    Child.objects.filter(pk=disabled.pk).update(disability_category="limb", disability_grade=2)
    Guardian.objects.create(
        child=disabled, name="李奶奶", relation="grandparent_paternal", phone=""
    )
    unnumbered = child_build(
        place.village_a, "王小花", birth=date(2015, 6, 3), sex="F", with_id=False
    )
    fresh = child_build(place.village_a, "赵小龙", birth=date(2011, 11, 11))
    ids_evaluate([elder.pk, younger.pk, disabled.pk, unnumbered.pk])
    school = School.objects.create(
        name="蒲亭小学",
        division=place.village_a,
        division_code=place.village_a.code,
        stage="primary",
    )
    return {
        "children": [elder, younger, disabled, unnumbered, fresh],
        "school": school,
        "number": idnumber.make(
            region_code=COUNTY, birth_date=date(2015, 6, 3), sequence=477, sex="F"
        ),
    }


def _state(ids: list[int]) -> dict:
    """Everything a source update writes, without the ids and times new rows get."""
    children = Child.objects.filter(pk__in=ids).order_by("pk")
    return {
        "files": [
            (c.pk, c.version, c.id_number_tail, c.given_name, c.name_pinyin, file_snapshot(c))
            for c in children
        ],
        "households": sorted(
            Household.objects.filter(children__in=ids)
            .distinct()
            .values_list("id", "address", "phone")
        ),
        "guardians": sorted(
            Guardian.objects.filter(child_id__in=ids).values_list(
                "child_id", "name", "phone", "relation", "is_primary", "capacity"
            )
        ),
        "revisions": sorted(
            (r.child_id, r.number, r.actor_id, r.actor_name, r.summary, _json(r.changes))
            + (_json(r.snapshot),)
            for r in Revision.objects.filter(child_id__in=ids)
        ),
        "audit": sorted(
            (e.actor_id, e.actor_name, e.action, e.object_id, e.object_label, e.division_code)
            + (_json(e.changes), e.detail)
            for e in AuditEvent.objects.filter(object_type="registry.child")
        ),
        "findings": sorted(ChildFinding.objects.values_list(*INSERT_FIELDS, "ended_on")),
        "finding_changes": sorted(FindingChange.objects.values_list(*CHANGE_FIELDS)),
        "baselines": sorted(ChildBaseline.objects.values_list("child_id", "evaluated_on")),
    }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _after(run, ids: list[int]) -> tuple:
    """Run a path and read what it left, then undo it: both paths start from the same files."""
    with transaction.atomic():
        try:
            run()
        except DomainError as exc:
            outcome = (type(exc).__name__, exc.message, exc.field)
        else:
            outcome = ("saved", _state(ids))
        transaction.set_rollback(True)
    return outcome


def _one_by_one(actor, updates: list[SourceUpdate]) -> None:
    for update in updates:
        child = Child.objects.get(pk=update.child_id)
        child_update_from_source(actor=actor, child=child, data=update.data, summary=update.summary)


def _field_values(files) -> st.SearchStrategy[dict]:
    """Some of the keys a roster gives (as ingest.values.file_data makes them)."""
    taken = files["children"][0].id_number
    options = {
        "class_name": st.sampled_from(["三年级1班", "五年级2班"]),
        "school": st.just(files["school"]),
        "disability": st.sampled_from(
            [("limb", 1), ("limb", 2), ("intellectual", 3), ("vision", 4)]
        ),
        "household_address": st.sampled_from(["东风村3组", "东风村5组12号"]),
        "household_phone": st.sampled_from(["13900002222", "13800001111"]),
        "guardian_name": st.sampled_from(["张大山", "王桂英"]),
        "guardian_phone": st.sampled_from(["13700003333", ""]),
        "id_number": st.sampled_from([files["number"], taken, "360426201506031234", ""]),
    }
    return st.fixed_dictionaries({}, optional=options).map(_as_data)


def _as_data(values: dict) -> dict:
    if "disability" in values:
        values["disability_category"], values["disability_grade"] = values.pop("disability")
    return values


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_bulk_path_leaves_the_files_as_one_by_one_does(files, users, data):
    children = files["children"]
    ids = [c.pk for c in children]
    actor = data.draw(st.sampled_from([None, users["supervisor_1"], users["director_a"]]))
    picks = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(children) - 1), _field_values(files)),
            min_size=1,
            max_size=len(children),
            unique_by=lambda pick: pick[0],  # a chunk saves each file once
        )
    )
    # An ID number only for the file without one (a roster never gives another for a file).
    updates = [
        SourceUpdate(
            children[i].pk,
            values if i == 3 else {k: v for k, v in values.items() if k != "id_number"},
            f"导入:学校名册 r{n}.xlsx 第 {n + 2} 行",
        )
        for n, (i, values) in enumerate(picks)
    ]
    bulk = _after(lambda: children_update_from_source(actor=actor, updates=updates), ids)
    reference = _after(lambda: _one_by_one(actor, updates), ids)
    assert bulk[0] == reference[0]
    if bulk[0] == "saved":
        for key, value in reference[1].items():
            assert bulk[1][key] == value, key
    assert bulk == reference


HEADERS = ["姓名", "身份证号", "出生日期", "性别", "监护人", "联系电话", "住址", "班级"]


def _roster(tmp_path, rows):
    """Rows of (name, ID number, guardian, phone, address, class); a row without a number
    gives the birth date and sex of 2014-05-06, 男."""
    path = tmp_path / "r.xlsx"
    cells = [
        [name, number, "" if number else "2014-05-06", "" if number else "男", *rest]
        for name, number, *rest in rows
    ]
    path.write_bytes(xlsx_bytes([HEADERS, *cells]))
    return path


def test_a_roster_through_the_bulk_path_equals_one_file_at_a_time(
    tmp_path, place, users, files, monkeypatch
):
    children = files["children"]
    elder, younger, disabled, _, fresh = children
    rows = [
        [elder.name, elder.id_number, "张大山", "13911112222", "东风村8组", "五年级1班"],
        [younger.name, younger.id_number, "", "13911112222", "东风村8组", "二年级3班"],
        [disabled.name, disabled.id_number, "李奶奶", "13733334444", "", "六年级2班"],
        [fresh.name, fresh.id_number, "赵大海", "", "青石村2组", ""],
    ]
    path = _roster(tmp_path, rows)
    later = date.today() + timedelta(days=30)
    ids = [c.pk for c in children]

    def run():
        report = roster_import(
            actor=users["supervisor_1"],
            path=path,
            source="education",
            village=place.village_a.code,
            as_of=later,
        )
        assert (report.linked, report.merged) == (4, 4)

    bulk = _after(run, ids)
    calls = []

    def file_by_file(*, actor, updates):
        calls.append(len(updates))
        _one_by_one(actor, updates)

    monkeypatch.setattr(merge, "children_update_from_source", file_by_file)
    reference = _after(run, ids)
    assert calls == [4]  # the reference did go file by file
    assert bulk[0] == "saved" and bulk == reference
    revisions = {r[0]: r for r in bulk[1]["revisions"] if r[4].startswith("导入")}
    assert set(revisions) == set(ids) - {children[3].pk}
    assert len([a for a in bulk[1]["audit"] if a[-1].startswith("导入")]) == 4


def test_a_file_given_twice_is_refused(files):
    child = files["children"][0]
    with pytest.raises(DomainError, match="只能出现一次"):
        children_update_from_source(
            actor=None,
            updates=[
                SourceUpdate(child.pk, {"class_name": "五年级1班"}, "probe"),
                SourceUpdate(child.pk, {"class_name": "五年级2班"}, "probe"),
            ],
        )


def test_a_file_outside_the_actor_refuses_the_whole_set(place, users, files):
    inside = files["children"][0]
    outside = child_build(place.village_c, "王小刚", birth=date(2014, 5, 6))
    revisions, events = Revision.objects.count(), AuditEvent.objects.count()
    with pytest.raises(AccessDenied, match=re.escape(OUTSIDE_SCOPE_ID_MESSAGE)):
        children_update_from_source(
            actor=users["supervisor_1"],
            updates=[
                SourceUpdate(inside.pk, {"class_name": "五年级1班"}, "probe"),
                SourceUpdate(outside.pk, {"guardian_name": "王大力"}, "probe"),
            ],
        )
    inside.refresh_from_db()
    assert inside.class_name == "" and inside.version == 1
    assert not Guardian.objects.filter(child=outside).exists()
    assert (Revision.objects.count(), AuditEvent.objects.count()) == (revisions, events)


def test_an_out_of_scope_file_in_a_chunk_refuses_the_whole_import(
    tmp_path, place, users, files, monkeypatch
):
    """A row linked (here by a scorer made to say so) to a file in the other township: the
    import saves nothing, not even the rows of the same chunk whose files it may change."""
    elder = files["children"][0]
    outside = child_build(place.village_c, "王小刚", birth=date(2014, 5, 6), with_id=False)
    sure = linkage.Comparison(9.0, "match", ("测试",))
    real = candidates.scored

    def scored(record, found, people):
        if record.name == "王小刚":
            return [(9.0, outside.pk, outside.division_code, sure)]
        return real(record, found, people)

    monkeypatch.setattr(candidates, "scored", scored)
    path = _roster(
        tmp_path,
        [
            [elder.name, elder.id_number, "张大山", "13911112222", "东风村8组", "五年级1班"],
            ["王小刚", "", "王大力", "13922223333", "", ""],
        ],
    )
    with pytest.raises(AccessDenied):
        roster_import(
            actor=users["supervisor_1"],
            path=path,
            source="education",
            village=place.village_a.code,
            as_of=date.today() + timedelta(days=30),
        )
    elder.refresh_from_db()
    assert elder.class_name == "" and elder.version == 1
    assert not ImportBatch.objects.exists() and not SourceRecord.objects.exists()
    assert not FieldClaim.objects.exists()
    assert not Revision.objects.filter(child__in=[elder, outside]).exists()

"""Header-mapping profiles: validation, who may change them, the pages."""

import pytest
from django.urls import reverse

from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.ingest.models import MappingProfile
from guanai.ingest.profiles import (
    profile_columns_clean,
    profile_create,
    profile_delete,
    profile_update,
)
from guanai.ingest.tests.factories import profile_build


def test_it_keeps_rows_with_a_field_and_skips_blank_ones():
    rows = [("学生名字", "name"), ("", ""), ("备注", ""), (" 证件 号 ", "id_number")]
    assert profile_columns_clean(rows) == {"学生名字": "name", "证件 号": "id_number"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("学生名字", "name"), ("儿童", "name")], "都对应姓名"),
        ([("学生名字", "nickname")], "未知的字段"),
        ([("学生名字", "name"), ("学生名字", "id_number")], "填写了两次"),
        ([("", "name")], "请填写对应“姓名”的表头"),
        ([("", ""), ("备注", "")], "请至少填写一行"),
        ([("长" * 101, "name")], "过长"),
    ],
)
def test_it_refuses_bad_rows(rows, message):
    with pytest.raises(DomainError, match=message):
        profile_columns_clean(rows)


def test_names_are_unique_per_source(users):
    profile_build("education", "学籍表")
    with pytest.raises(DomainError, match="已有名为"):
        profile_create(
            actor=users["supervisor_1"], source="education", name="学籍表", rows=[("名", "name")]
        )
    other = profile_create(
        actor=users["supervisor_1"], source="police", name="学籍表", rows=[("名", "name")]
    )
    assert other.columns == {"名": "name"}


def test_supervisors_add_profiles_and_the_county_changes_them(users):
    profile = profile_create(
        actor=users["supervisor_1"], source="civil", name="低保名单", rows=[("姓名2", "name")]
    )
    with pytest.raises(AccessDenied):
        profile_update(actor=users["supervisor_1"], profile=profile, name="x", rows=[])
    with pytest.raises(AccessDenied):
        profile_delete(actor=users["supervisor_2"], profile=profile)
    profile_update(
        actor=users["county"],
        profile=profile,
        name="低保名单",
        rows=[("姓名2", "name"), ("户主", "guardian")],
    )
    assert MappingProfile.objects.get().columns == {"姓名2": "name", "户主": "guardian"}
    profile_delete(actor=users["county"], profile=profile)
    assert MappingProfile.objects.count() == 0
    actions = list(
        AuditEvent.objects.filter(object_type="ingest.mappingprofile")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize("who", ["director_a", "carer_a"])
def test_those_who_do_not_import_cannot_add_profiles(users, who, login):
    with pytest.raises(AccessDenied):
        profile_create(actor=users[who], source="civil", name="a", rows=[("名", "name")])
    assert login(users[who]).get(reverse("ingest:profile_list")).status_code == 404


def _form(name, rows, source="education"):
    data = {
        "source": source,
        "name": name,
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
    }
    for i, (header, field) in enumerate(rows):
        data[f"form-{i}-header"] = header
        data[f"form-{i}-field"] = field
    return data


def test_the_page_creates_a_profile(login, users):
    client = login(users["supervisor_1"])
    response = client.post(
        reverse("ingest:profile_create"),
        _form("学籍表", [("学生名字", "name"), ("证件号", "id_number"), ("", "")]),
    )
    assert response.status_code == 302
    assert MappingProfile.objects.get().columns == {"学生名字": "name", "证件号": "id_number"}
    listing = client.get(reverse("ingest:profile_list") + "?source=education").content.decode()
    assert "学籍表" in listing and "学生名字 → 姓名" in listing
    assert reverse("ingest:profile_edit", args=[MappingProfile.objects.get().pk]) not in listing


def test_the_page_shows_the_error_in_chinese(login, users):
    response = login(users["supervisor_1"]).post(
        reverse("ingest:profile_create"), _form("学籍表", [("甲", "name"), ("乙", "name")])
    )
    assert response.status_code == 200
    assert "每个字段只能对应一个表头" in response.content.decode()
    assert MappingProfile.objects.count() == 0


def test_the_county_edits_and_deletes_on_the_page(login, users):
    profile = profile_build("education", "学籍表")
    client = login(users["county"])
    edit = reverse("ingest:profile_edit", args=[profile.pk])
    assert 'value="学生名字"' in client.get(edit).content.decode()
    data = _form("学籍表二", [("学生名字", "name"), ("出生", "birth_date")])
    data["form-INITIAL_FORMS"] = "2"
    assert client.post(edit, data).status_code == 302
    profile.refresh_from_db()
    assert profile.name == "学籍表二" and profile.columns == {
        "学生名字": "name",
        "出生": "birth_date",
    }
    client.post(reverse("ingest:profile_delete", args=[profile.pk]))
    assert MappingProfile.objects.count() == 0


def test_a_supervisor_cannot_edit_or_delete_on_the_page(login, users):
    profile = profile_build("education", "学籍表")
    client = login(users["supervisor_2"])
    assert client.get(reverse("ingest:profile_edit", args=[profile.pk])).status_code == 404
    assert client.post(reverse("ingest:profile_delete", args=[profile.pk])).status_code == 404
    assert MappingProfile.objects.count() == 1

"""A partner department sees what its work needs of a file, not the care line's record.

Education sees the child, family, guardians, school and health (masked); not the parents'
situation, the notes, care narratives of serious problems, photos, letters, or the history.
"""

import pytest
from django.urls import reverse

from guanai.accounts.models import Department, Role
from guanai.audit.models import Action, AuditEvent
from guanai.care.testing import care_objects_for
from guanai.registry.choices import AttachmentKind, ParentRole, ParentStatus
from guanai.registry.forms import initial_from_child
from guanai.registry.models import Parent
from guanai.registry.services import child_update
from guanai.registry.tests.test_pdf import html_of
from guanai.testing.factories import attachment_build, user_build


@pytest.fixture
def file_a(users, children):
    """Child A's file with a father working away, a note, a revision, a serious care record,
    a photo, a letter and a certificate."""
    child = children["a"]
    child.father = Parent.objects.create(
        household=child.household,
        role=ParentRole.FATHER,
        name="张大山",
        status=ParentStatus.WORKING_AWAY,
        away_destination="广东东莞",
    )
    child.save(update_fields=["father"])
    data = initial_from_child(child) | {"notes": "父母离异,情绪低落", "class_name": "三年级二班"}
    child_update(actor=users["director_a"], child=child, version=child.version, data=data)
    care = care_objects_for(child)
    photo = attachment_build(child, caption="家访合影")
    letter = attachment_build(child, kind=AttachmentKind.LETTER, caption="写给爸爸的信")
    certificate = attachment_build(
        child, kind=AttachmentKind.DOCUMENT, content=b"%PDF-1.4 x", name="残疾证.pdf"
    )
    child.refresh_from_db()
    return {"child": child, "care": care, "photo": photo, "letter": letter, "doc": certificate}


def page_of(client, user, child) -> str:
    client.force_login(user)
    response = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_education_sees_what_schools_need(client, users, file_a):
    page = page_of(client, users["department"], file_a["child"])
    assert "就学" in page and "三年级二班" in page
    assert "监护人" in page and "残疾与健康" in page
    assert "残疾证.pdf" in page or "证明材料" in page
    for hidden in ("张大山", "广东东莞", "父母离异", "家中无人照看", "严重问题"):
        assert hidden not in page, hidden
    for hidden in ("家访合影", "写给爸爸的信", "档案变更记录", "查看当时档案"):
        assert hidden not in page, hidden
    assert "关爱记录的内容和照片只在民政条线内查看" in page


@pytest.mark.django_db
def test_the_civil_affairs_line_sees_the_whole_file(client, users, file_a):
    page = page_of(client, users["county"], file_a["child"])
    for shown in ("张大山", "父母离异", "家中无人照看", "家访合影", "写给爸爸的信", "档案变更记录"):
        assert shown in page, shown


@pytest.mark.django_db
def test_education_is_refused_the_hidden_parts_by_url_with_an_audited_403(client, users, file_a):
    child = file_a["child"]
    client.force_login(users["department"])
    refused = {
        reverse("registry:child_revision", args=[child.pk, 1]): "变更记录",
        reverse("registry:attachment_download", args=[child.pk, file_a["photo"].pk]): "照片",
        reverse("registry:attachment_download", args=[child.pk, file_a["letter"].pk]): "书信",
        reverse("care:record_detail", args=[file_a["care"]["record_pk"]]): "关爱记录",
    }
    for url, words in refused.items():
        response = client.get(url)
        assert response.status_code == 403, url
        assert words in response.content.decode()
        event = AuditEvent.objects.filter(action=Action.REFUSED).latest("id")
        assert event.actor == users["department"]
        assert event.object_label == f"GET {url}"
        assert event.detail.startswith("403 ")
    # Nothing was read: no view or download row for those parts.
    assert not AuditEvent.objects.filter(
        actor=users["department"], action__in=[Action.DOWNLOAD], object_id=str(child.pk)
    ).exists()
    certificate = reverse("registry:attachment_download", args=[child.pk, file_a["doc"].pk])
    assert client.get(certificate).status_code == 200


@pytest.mark.django_db
def test_the_county_may_open_what_education_may_not(client, users, file_a):
    child = file_a["child"]
    client.force_login(users["county"])
    for url in (
        reverse("registry:child_revision", args=[child.pk, 1]),
        reverse("registry:attachment_download", args=[child.pk, file_a["photo"].pk]),
        reverse("care:record_detail", args=[file_a["care"]["record_pk"]]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_printed_file_leaves_out_the_same_parts(users, file_a):
    html = html_of(users["department"], file_a["child"])
    assert "三年级二班" in html
    for hidden in ("张大山", "父母离异", "档案变更记录", "家访合影"):
        assert hidden not in html, hidden
    assert "张大山" in html_of(users["county"], file_a["child"])


@pytest.mark.django_db
def test_each_department_sees_its_own_part(client, place, users, file_a):
    police = user_build(
        "police", Role.DEPARTMENT, place.county, department=Department.PUBLIC_SECURITY
    )
    page = page_of(client, police, file_a["child"])
    assert "张大山" in page  # the parents' situation is police work
    assert "三年级二班" not in page  # the school is not
    assert "家中无人照看" not in page and "档案变更记录" not in page


@pytest.mark.django_db
def test_the_api_gives_a_department_the_same_sections(client, users, file_a):
    from guanai.accounts.tokens import token_create

    def file_for(user) -> dict:
        key = token_create(actor=None, user=user, name="测试")[1]
        url = f"/api/v1/children/{file_a['child'].pk}"
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200
        return response.json()

    education = file_for(users["department"])
    assert education["class_name"] == "三年级二班"
    assert education["name"] == "张小明"
    for withheld in ("father_name", "father_away_destination", "notes"):
        assert education[withheld] is None, withheld
    county = file_for(users["county"])
    assert (county["father_name"], county["notes"]) == ("张大山", "父母离异,情绪低落")

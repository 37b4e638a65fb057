"""Bad input on the file pages is a form error naming the field, never a 500 (issue 12)."""

import pytest
from django.urls import reverse

from guanai.registry.models import Child

pytestmark = pytest.mark.django_db


def edit_data(child, **extra):
    return {"name": child.name, "id_number": child.id_number, "version": child.version} | extra


@pytest.mark.parametrize("version", ["abc", "1.5", "-1", "²", "9" * 30, ""])
def test_a_version_that_is_no_whole_number_is_a_form_error(client, users, children, version):
    child = children["a"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    response = client.post(edit, edit_data(child, hobbies="跳绳", version=version))
    assert response.status_code == 400
    body = response.content.decode()
    assert "版本号无效" in body
    # The page now carries the file's version, so saving it again is a deliberate save.
    assert f'name="version" value="{child.version}"' in body
    assert Child.objects.get(pk=child.pk).hobbies == ""


@pytest.mark.parametrize(
    "key, label", [("household_phone", "家庭联系电话"), ("class_teacher_phone", "班主任电话")]
)
def test_a_phone_that_is_no_number_is_refused_beside_its_field(client, users, children, key, label):
    child = children["a"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    response = client.post(edit, edit_data(child, **{key: "' OR 1=1--"}))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[key] == [
        "应为 11 位手机号或带区号的固定电话,如 13800001111、0791-86123456(分机写在“-”后)"
    ]
    assert form.fields[key].label == label
    assert Child.objects.get(pk=child.pk).version == child.version


def test_full_width_digits_are_saved_as_a_plain_number(client, users, children):
    child = children["a"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    response = client.post(edit, edit_data(child, household_phone="１３８ ００００ ３３３３"))
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).household.phone == "13800003333"


def test_a_sibling_that_is_no_id_is_not_found(client, users, children):
    client.force_login(users["director_a"])
    for value in ("abc", "²", "9" * 30):
        response = client.get(reverse("registry:child_create") + f"?sibling_of={value}")
        assert response.status_code == 404


def test_an_outsider_still_gets_404_for_a_bad_version(client, users, children):
    child = children["b"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    assert client.post(edit, edit_data(child, version="abc")).status_code == 404


@pytest.mark.parametrize("division", ["²", "1" * 5000, "9" * 30, "-1"])
def test_a_division_filter_that_is_no_id_lists_as_unfiltered(client, users, children, division):
    client.force_login(users["supervisor_1"])
    response = client.get(reverse("registry:child_list"), {"division": division})
    assert response.status_code == 200
    assert "张小明" in response.content.decode()

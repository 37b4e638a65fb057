import pytest
from django.urls import reverse

from guanai.registry.models import Child


@pytest.mark.django_db
def test_an_outsider_gets_a_chinese_not_found_page(client, users, children):
    client.force_login(users["director_a"])
    response = client.get(reverse("registry:child_detail", args=[children["b"].pk]))
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_a_chinese_csrf_page(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["director_a"])
    response = client.post(reverse("registry:child_create"), {"name": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_a_parameter_is_a_chinese_400_naming_it(client, users, children):
    client.force_login(users["supervisor_1"])
    for response in (
        client.get(reverse("registry:child_list") + "?q=a%00b"),
        client.get(reverse("ingest:review_list") + "?status=%00"),
        client.post(
            reverse("registry:child_edit", args=[children["a"].pk]),
            "q=a%00b",
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert "不能包含空字符" in response.content.decode()
    response = client.get(reverse("ingest:review_list") + "?status=%00")
    assert "status:不能包含空字符" in response.content.decode()


@pytest.mark.django_db
def test_a_multipart_form_with_nul_is_left_to_its_form(client, users, children):
    """Uploads are not read before their view (it limits their size first); the form refuses."""
    child = children["a"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    response = client.post(edit, {"name": "张\x00小明", "version": child.version})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert Child.objects.get(pk=child.pk).name == "张小明"

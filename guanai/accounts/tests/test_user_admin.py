import pytest
from django.urls import reverse

from guanai.accounts.models import User
from guanai.audit.models import Action, AuditEvent
from guanai.testing.factories import PASSWORD


@pytest.mark.django_db
def test_a_county_officer_lists_and_creates_accounts(client, users, place):
    client.force_login(users["county"])
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "director_a" in body
    response = client.post(
        reverse("accounts:user_new"),
        {
            "username": "new_director",
            "full_name": "新主任",
            "role": "child_director",
            "division": place.village_c.pk,
            "password": "Strong-pass-2026",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new_director")
    assert created.division == place.village_c
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(created.pk)).exists()


@pytest.mark.django_db
def test_a_role_must_sit_at_its_level(client, users, place):
    client.force_login(users["county"])
    response = client.post(
        reverse("accounts:user_new"),
        {
            "username": "bad",
            "full_name": "x",
            "role": "child_director",
            "division": place.township_1.pk,
            "password": "Strong-pass-2026",
        },
    )
    assert response.status_code == 400
    assert "村/居委会级区划" in response.content.decode()


@pytest.mark.django_db
def test_a_weak_password_is_refused(client, users, place):
    client.force_login(users["county"])
    response = client.post(
        reverse("accounts:user_new"),
        {
            "username": "weak",
            "full_name": "x",
            "role": "carer",
            "division": place.village_a.pk,
            "password": "12345678",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_unlock(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    client.post(reverse("accounts:login"), {"username": "director_a", "password": "x"})
    assert User.objects.get(username="director_a").is_locked
    client.force_login(users["county"])
    client.post(reverse("accounts:user_unlock", args=[users["director_a"].pk]))
    assert not User.objects.get(username="director_a").is_locked
    client.logout()
    assert (
        client.post(
            reverse("accounts:login"), {"username": "director_a", "password": PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_others_may_not_manage_accounts(client, users):
    for name in ("director_a", "supervisor_1", "carer_a", "department"):
        client.force_login(users[name])
        assert client.get(reverse("accounts:user_list")).status_code == 404
        assert client.get(reverse("accounts:user_new")).status_code == 404
        assert (
            client.post(reverse("accounts:user_unlock", args=[users["director_b"].pk])).status_code
            == 404
        )


@pytest.mark.django_db
def test_the_county_names_a_department_head_and_others_may_not(client, users):
    head = users["department"]
    url = reverse("accounts:user_head", args=[head.pk])
    client.force_login(users["county"])
    listed = client.get(reverse("accounts:user_list")).content.decode()
    assert url in listed and "设为负责人" in listed
    assert client.post(url).status_code == 302
    head.refresh_from_db()
    assert head.is_department_head
    assert AuditEvent.objects.filter(object_id=str(head.pk), detail="设为部门负责人").exists()
    assert "负责人</span>" in client.get(reverse("accounts:user_list")).content.decode()
    client.post(reverse("accounts:user_head", args=[users["director_a"].pk]))
    users["director_a"].refresh_from_db()
    assert not users["director_a"].is_department_head  # only a department user is a head
    for username in ("director_a", "supervisor_1", "department"):
        client.force_login(users[username])
        assert client.post(url, {"head": "0"}).status_code in (403, 404)
    head.refresh_from_db()
    assert head.is_department_head
    client.force_login(users["county"])
    client.post(url, {"head": "0"})
    head.refresh_from_db()
    assert not head.is_department_head

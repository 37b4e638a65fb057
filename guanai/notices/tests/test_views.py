"""The inbox pages: the owner's list, reading (to the notice's page if it is ours), read-all;
another user's notice answers 404."""

import pytest
from django.urls import reverse

from guanai.audit.models import Action, AuditEvent
from guanai.notices.models import Notice
from guanai.notices.testing import notice_build


@pytest.fixture
def inbox(users):
    """Director A's notices: one unread with a page to go to, one read; B's director has one."""
    owner = users["director_a"]
    flag = notice_build(owner, key="flag:1", title="关爱记录发现严重问题", url="/care/flags/")
    done = notice_build(owner, key="remind:1", title="本周待办提醒")
    done.read_at = done.created_at
    done.save()
    theirs = notice_build(users["director_b"], key="flag:2", title="别村的问题上报")
    return {"flag": flag, "done": done, "theirs": theirs}


@pytest.mark.django_db
def test_it_lists_only_my_notices_unread_first(login, users, inbox):
    response = login(users["director_a"]).get(reverse("notices:list"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [inbox["flag"].pk, inbox["done"].pk]
    body = response.content.decode()
    assert "关爱记录发现严重问题" in body and "别村的问题上报" not in body
    assert reverse("notices:read", args=[inbox["flag"].pk]) in body
    assert reverse("notices:read_all") in body  # something is unread


@pytest.mark.django_db
def test_the_list_pages(login, users):
    for number in range(35):
        notice_build(users["carer_a"], key=f"remind:{number}")
    client = login(users["carer_a"])
    first = client.get(reverse("notices:list"))
    assert len(first.context["page"]) == 30
    assert "第 1 / 2 页" in first.content.decode()
    assert len(client.get(reverse("notices:list") + "?page=2").context["page"]) == 5


@pytest.mark.django_db
def test_reading_goes_to_the_notices_page(login, users, inbox):
    client = login(users["director_a"])
    url = reverse("notices:read", args=[inbox["flag"].pk])
    assert client.get(url).status_code == 405  # a change: POST only
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/care/flags/"
    inbox["flag"].refresh_from_db()
    assert inbox["flag"].read_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    ["", "https://example.com/", "//example.com/x", "/\\example.com", "javascript:alert(1)", "x/"],
)
def test_a_notice_leads_nowhere_but_this_site(login, users, target):
    notice = notice_build(users["director_a"], url=target)
    response = login(users["director_a"]).post(reverse("notices:read", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notices:list")


@pytest.mark.django_db
def test_another_users_notice_is_not_found(login, users, inbox):
    theirs = inbox["theirs"]
    url = reverse("notices:read", args=[theirs.pk])
    for username in ("director_a", "supervisor_1", "county", "carer_a"):
        client = login(users[username])
        assert client.post(url).status_code == 404, username
        assert client.get(url).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None
    refused = AuditEvent.objects.filter(action=Action.REFUSED, object_type="notices.notice")
    assert refused.filter(object_id=str(theirs.pk)).count() == 4
    # The owner may.
    assert login(users["director_b"]).post(url).status_code == 302


@pytest.mark.django_db
def test_read_all_marks_mine_only(login, users, inbox):
    client = login(users["director_a"])
    assert client.get(reverse("notices:read_all")).status_code == 405
    response = client.post(reverse("notices:read_all"), follow=True)
    assert response.redirect_chain == [(reverse("notices:list"), 302)]
    assert "已将 1 条通知标为已读" in response.content.decode()
    assert not Notice.objects.filter(user=users["director_a"], read_at__isnull=True).exists()
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None
    assert reverse("notices:read_all") not in response.content.decode()  # nothing left to mark


@pytest.mark.django_db
def test_the_old_care_pages_are_gone(login, users):
    assert login(users["director_a"]).get("/care/notices/").status_code == 404

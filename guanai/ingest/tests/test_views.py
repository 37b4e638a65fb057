import pytest
from django.urls import reverse

from guanai.audit.models import AuditEvent
from guanai.ingest.models import ReviewPair
from guanai.ingest.testing import review_pair_build


@pytest.fixture
def pair(children):
    return review_pair_build(children["a"], name="張小明")


def test_it_lists_pending_pairs_for_the_township_supervisor(login, users, pair):
    response = login(users["supervisor_1"]).get(reverse("ingest:review_list"))
    assert response.status_code == 200
    assert "張小明" in response.content.decode()


def test_the_menu_offers_import_to_supervisors_and_county(login, users, pair):
    assert "导入" in login(users["supervisor_1"]).get("/").content.decode()
    assert "导入" in login(users["county"]).get("/").content.decode()
    assert "导入" not in login(users["director_a"]).get("/").content.decode()


def test_the_village_director_may_decide_pairs_of_the_village(login, users, pair):
    client = login(users["director_a"])
    assert client.get(reverse("ingest:review_detail", args=[pair.pk])).status_code == 200


def test_it_shows_both_side_by_side(login, users, pair):
    response = login(users["county"]).get(reverse("ingest:review_detail", args=[pair.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "張小明" in body and "张小明" in body


def test_accept_links_the_row_and_undo_unlinks(login, users, pair):
    client = login(users["supervisor_1"])
    url = reverse("ingest:review_decide", args=[pair.pk])
    client.post(url, {"decision": "accept"})
    pair.refresh_from_db()
    pair.record.refresh_from_db()
    assert pair.status == "accepted" and pair.decided_by == users["supervisor_1"]
    assert pair.record.child_id == pair.child_id and pair.record.link_method == "reviewed"
    client.post(url, {"decision": "undo"})
    pair.refresh_from_db()
    pair.record.refresh_from_db()
    assert pair.status == "pending" and pair.record.child_id is None
    changes = list(
        AuditEvent.objects.filter(object_type="ingest.reviewpair")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"status": ["pending", "accepted"]}, {"status": ["accepted", "pending"]}]


def test_reject_is_remembered(login, users, pair):
    login(users["supervisor_1"]).post(
        reverse("ingest:review_decide", args=[pair.pk]), {"decision": "reject"}
    )
    assert ReviewPair.objects.get().status == "rejected"


def test_it_is_not_found_for_another_township(login, users, pair):
    client = login(users["supervisor_2"])
    assert client.get(reverse("ingest:review_detail", args=[pair.pk])).status_code == 404
    client.post(reverse("ingest:review_decide", args=[pair.pk]), {"decision": "accept"})
    assert ReviewPair.objects.get().status == "pending"


@pytest.mark.parametrize("who", ["director_b", "carer_a", "department"])
def test_other_roles_are_denied(login, users, pair, who):
    client = login(users[who])
    assert "張小明" not in client.get(reverse("ingest:review_list")).content.decode()
    assert client.get(reverse("ingest:review_detail", args=[pair.pk])).status_code == 404

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.models import User
from guanai.audit.models import Action, AppendOnlyError, AuditEvent
from guanai.audit.services import audit


@pytest.mark.django_db
def test_the_model_refuses_change_and_delete(users):
    event = audit(actor=users["county"], action=Action.VIEW, label="x")
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete(users):
    audit(actor=users["county"], action=Action.VIEW, label="x")
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(detail="x")
    assert AuditEvent.objects.filter(detail="").count() >= 1


@pytest.mark.django_db
def test_viewing_a_file_is_audited(client, users, children):
    client.force_login(users["director_a"])
    client.get(reverse("registry:child_detail", args=[children["a"].pk]))
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert event.object_id == str(children["a"].pk)
    assert event.division_code == children["a"].division_code
    assert event.actor == users["director_a"]


@pytest.mark.django_db
def test_county_officer_searches_the_log(client, users, children):
    client.force_login(users["director_a"])
    client.get(reverse("registry:child_detail", args=[children["a"].pk]))
    client.force_login(users["county"])
    response = client.get(reverse("audit:event_list"), {"q": "director_a"})
    assert response.status_code == 200
    assert "张小明" in response.content.decode()
    response = client.get(reverse("audit:event_list"), {"action": "login"})
    assert "张小明" not in response.content.decode()


@pytest.mark.django_db
def test_others_may_not_read_the_log(client, users, children):
    for name in ("director_a", "carer_a", "department"):
        client.force_login(users[name])
        assert client.get(reverse("audit:event_list")).status_code == 404
        # Not through a file of their own either.
        url = reverse("audit:event_list")
        assert client.get(url, {"child": children["a"].pk}).status_code == 404


def files_opened(client, users, children):
    """A's director opens A's file (township 1), C's director C's file (township 2)."""
    for director, child in (("director_a", "a"), ("director_c", "c")):
        client.force_login(users[director])
        client.get(reverse("registry:child_detail", args=[children[child].pk]))


@pytest.mark.django_db
def test_a_supervisor_reads_the_log_of_their_township_only(client, users, children):
    files_opened(client, users, children)
    client.force_login(users["supervisor_1"])
    response = client.get(reverse("audit:event_list"), {"action": "view"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "张小明" in page and "director_a" in page
    assert "王小刚" not in page and "director_c" not in page
    client.force_login(users["county"])
    page = client.get(reverse("audit:event_list"), {"action": "view"}).content.decode()
    assert "张小明" in page and "王小刚" in page


@pytest.mark.django_db
def test_a_supervisor_filters_by_user_child_action_and_dates(client, users, children):
    files_opened(client, users, children)
    client.force_login(users["director_b"])
    client.get(reverse("registry:child_detail", args=[children["b"].pk]))
    client.force_login(users["supervisor_1"])
    url = reverse("audit:event_list")
    page = client.get(url, {"actor": "director_b"}).content.decode()
    assert "李小红" in page and "张小明" not in page
    response = client.get(url, {"child": children["a"].pk})
    assert response.context["child"] == children["a"]
    assert {e.object_id for e in response.context["page"]} == {str(children["a"].pk)}
    today = timezone.localdate()
    assert len(client.get(url, {"date_from": today, "action": "view"}).context["page"]) == 2
    tomorrow = today + timedelta(days=1)
    assert len(client.get(url, {"date_from": tomorrow}).context["page"]) == 0
    assert len(client.get(url, {"date_to": today - timedelta(days=1)}).context["page"]) == 0


@pytest.mark.django_db
def test_a_supervisor_may_not_ask_for_a_file_of_another_township(client, users, children):
    client.force_login(users["supervisor_2"])
    response = client.get(reverse("audit:event_list"), {"child": children["a"].pk})
    assert response.status_code == 404
    refusal = AuditEvent.objects.get(action=Action.REFUSED)
    assert refusal.actor == users["supervisor_2"]
    assert refusal.object_type == "audit:event_list"


@pytest.mark.django_db
def test_a_supervisor_sees_who_was_refused_a_file_of_their_township(client, users, children):
    client.force_login(users["director_c"])
    client.get(reverse("registry:child_detail", args=[children["a"].pk]))
    client.force_login(users["supervisor_1"])
    page = client.get(reverse("audit:event_list"), {"action": "refused"}).content.decode()
    assert "director_c" in page and "拒绝访问" in page


@pytest.mark.django_db
def test_a_filter_that_does_not_read_is_said_not_dropped(client, users, children):
    files_opened(client, users, children)
    client.force_login(users["county"])
    response = client.get(reverse("audit:event_list"), {"date_from": "2026-13-40"})
    assert response.status_code == 400
    assert len(response.context["page"]) == 0
    assert "有效的日期" in response.content.decode() or "valid date" in response.content.decode()


@pytest.mark.django_db
def test_the_log_is_paged(client, users, children):
    for _ in range(55):
        audit(actor=users["director_a"], action=Action.VIEW, target=children["a"])
    client.force_login(users["supervisor_1"])
    response = client.get(reverse("audit:event_list"), {"action": "view"})
    assert len(response.context["page"]) == 50
    assert "第 1 / 2 页" in response.content.decode()
    response = client.get(reverse("audit:event_list"), {"action": "view", "page": 2})
    assert len(response.context["page"]) == 5


@pytest.mark.django_db
def test_the_file_page_links_to_its_log_for_those_who_may_read_it(client, users, children):
    url = reverse("registry:child_detail", args=[children["a"].pk])
    log = f"{reverse('audit:event_list')}?child={children['a'].pk}"
    client.force_login(users["supervisor_1"])
    assert log in client.get(url).content.decode()
    client.force_login(users["director_a"])
    assert log not in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_log_offers_no_edit_or_delete(client, users):
    client.force_login(users["county"])
    response = client.post(reverse("audit:event_list"), {"delete": "1"})
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_reader_without_a_node_sees_nothing_rather_than_everything(client, users, children):
    files_opened(client, users, children)
    supervisor = users["supervisor_1"]
    User.objects.filter(pk=supervisor.pk).update(division=None)
    client.force_login(supervisor)
    assert client.get(reverse("audit:event_list")).status_code == 404

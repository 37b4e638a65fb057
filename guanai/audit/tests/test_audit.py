import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

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
def test_others_may_not_read_the_log(client, users):
    for name in ("director_a", "supervisor_1", "carer_a", "department"):
        client.force_login(users[name])
        assert client.get(reverse("audit:event_list")).status_code == 404


@pytest.mark.django_db
def test_the_log_offers_no_edit_or_delete(client, users):
    client.force_login(users["county"])
    response = client.post(reverse("audit:event_list"), {"delete": "1"})
    assert response.status_code == 405

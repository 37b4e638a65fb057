"""List and search pages are on record: who looked for what, with which filters."""

import json

import pytest
from django.urls import reverse

from guanai.accounts.tokens import token_create
from guanai.audit.models import Action, AuditEvent


def searches():
    return AuditEvent.objects.filter(action=Action.SEARCH)


@pytest.mark.django_db
def test_it_records_a_search_of_the_children_list(client, users, children):
    client.force_login(users["supervisor_1"])
    response = client.get(
        reverse("registry:child_list"), {"q": "李", "missing_id": "on", "page": "1"}
    )
    assert response.status_code == 200
    event = searches().get()
    assert event.actor == users["supervisor_1"]
    assert event.object_type == "registry.child"
    assert event.division_code == users["supervisor_1"].division.code
    assert event.detail == "儿童档案列表:q=李; missing_id=on;第 1 页"


@pytest.mark.django_db
def test_it_records_a_list_without_filters(client, users, children):
    client.force_login(users["director_a"])
    client.get(reverse("registry:child_list"))
    assert searches().get().detail == "儿童档案列表:无筛选"


@pytest.mark.django_db
def test_it_records_the_care_and_benefit_lists(client, users, children):
    client.force_login(users["supervisor_1"])
    for name, query in (
        ("care:overdue_list", {"area": "360426001"}),
        ("care:flag_list", {"all": "1"}),
        ("care:pairing_list", {}),
        ("care:unpaired_list", {}),
        ("rules:gap_list", {"which": "unentitled"}),
    ):
        assert client.get(reverse(name), query).status_code == 200, name
    details = list(searches().order_by("id").values_list("detail", flat=True))
    assert details == [
        "逾期任务列表:area=360426001",
        "问题上报列表:all=1",
        "结对列表:无筛选",
        "未结对儿童列表:无筛选",
        "应保尽保名单:which=unentitled",
    ]


@pytest.mark.django_db
def test_a_denied_list_is_a_refusal_not_a_search(client, users, children):
    client.force_login(users["carer_a"])
    assert client.get(reverse("rules:gap_list")).status_code == 404
    assert not searches().exists()
    assert AuditEvent.objects.filter(action=Action.REFUSED, object_type="rules:gap_list").exists()


@pytest.mark.django_db
def test_it_records_who_read_the_audit_log_for_what(client, users):
    client.force_login(users["county"])
    client.get(reverse("audit:event_list"), {"q": "director_a", "action": "view"})
    assert searches().get().detail == "审计日志查询:q=director_a; action=view"


@pytest.mark.django_db
def test_the_api_list_records_its_query(client, users, children):
    key = token_create(actor=None, user=users["county"], name="测试")[1]
    client.get("/api/v1/children", {"q": "李"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    event = AuditEvent.objects.get(action=Action.API)
    assert "q=%E6%9D%8E" in event.detail or "q=李" in event.detail


@pytest.mark.django_db
def test_exports_record_their_filters(client, users, children):
    client.force_login(users["county"])
    client.get(reverse("registry:child_roster_export"), {"q": "李", "category": "left_behind"})
    roster = AuditEvent.objects.get(action=Action.EXPORT, object_type="registry.roster")
    assert "查询“李”" in roster.detail
    assert "类别 left_behind" in roster.detail
    client.get(reverse("rules:gap_export"), {"which": "unreceived", "benefit": "dibao"})
    gaps = AuditEvent.objects.get(action=Action.EXPORT, object_type="rules.gaplist")
    assert "保障 dibao" in gaps.detail
    assert json.dumps(gaps.detail)  # stored as text

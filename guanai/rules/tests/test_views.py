from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guanai.audit.models import AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry.models import Child, Household
from guanai.rules import services
from guanai.rules.definitions import add_years
from guanai.rules.models import BenefitReceipt, FindingChange, HardshipEvent
from guanai.rules.tests.factories import event_add, kid, left_behind_build, parent_add, receipt_add

TODAY = timezone.localdate()
DAY = timedelta(days=1)


def dibao_child(village, name="低保娃"):
    child = kid(village, name)
    Household.objects.filter(pk=child.household_id).update(economic_status="dibao")
    services.child_evaluate(child)
    return child


def xlsx_rows(response) -> list[list]:
    body = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def dibao_a(place):
    return dibao_child(place.village_a)


@pytest.fixture
def dibao_b(place):
    return dibao_child(place.village_b, "邻村娃")


# ---------------------------------------------------------------- the gap list


@pytest.mark.django_db
def test_it_lists_who_is_eligible_and_not_receiving(login, users, dibao_a, dibao_b):
    response = login(users["director_a"]).get(reverse("rules:gap_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "低保娃" in body and "最低生活保障(低保)" in body
    assert "邻村娃" not in body


@pytest.mark.django_db
def test_it_counts_per_node_the_gaps_and_the_categories(login, users, dibao_a, dibao_b):
    response = login(users["supervisor_1"]).get(reverse("rules:gap_list"))
    summary = {node.name: dict(counts) for node, counts in response.context["summary"].rows}
    assert summary == {
        "东风村": {"应保未保": 1, "已不符合仍在享受": 0},
        "青石村": {"应保未保": 1, "已不符合仍在享受": 0},
    }
    categories = {node.name: dict(counts) for node, counts in response.context["categories"].rows}
    assert categories["东风村"]["家庭困境儿童"] == 1


@pytest.mark.django_db
def test_a_receipt_takes_the_child_off_the_list(login, users, dibao_a):
    receipt_add(dibao_a, "dibao", TODAY - 30 * DAY)
    receipt_add(dibao_a, "medical_insurance_subsidy", TODAY - 30 * DAY)
    response = login(users["director_a"]).get(reverse("rules:gap_list"))
    assert "低保娃" not in response.content.decode()


@pytest.mark.django_db
def test_it_lists_who_receives_and_no_longer_qualifies(login, users, place):
    grown = kid(place.village_a, "满龄娃", birth=add_years(TODAY, -16) - 30 * DAY)
    Household.objects.filter(pk=grown.household_id).update(economic_status="tekun")
    services.registry_evaluate(as_of=TODAY - 60 * DAY)
    receipt_add(grown, "tekun_support", date(2020, 1, 1))
    never = kid(place.village_a, "无据娃")
    receipt_add(never, "orphan_allowance", date(2024, 1, 1))
    services.registry_evaluate(as_of=TODAY)
    response = login(users["director_a"]).get(reverse("rules:gap_list"), {"which": "unentitled"})
    body = response.content.decode()
    assert "满龄娃" in body and "满16周岁" in body
    assert "无据娃" in body and "档案中没有符合该待遇的情况" in body


@pytest.mark.django_db
def test_outsiders_and_other_roles_cannot_see_the_gap_list(login, users, dibao_a):
    for username in ("carer_a", "department"):
        response = login(users[username]).get(reverse("rules:gap_list"))
        assert response.status_code == 404, username


@pytest.mark.django_db
def test_the_export_is_scoped_formula_safe_and_audited(login, users, place, dibao_b):
    dibao_child(place.village_a, "=HYPERLINK(1)")
    response = login(users["director_a"]).get(reverse("rules:gap_export"))
    rows = xlsx_rows(response)
    names = [row[1] for row in rows[2:]]
    assert "'=HYPERLINK(1)" in names
    assert "邻村娃" not in names
    assert AuditEvent.objects.filter(action="export", object_type="rules.gaplist").exists()


@pytest.mark.django_db
def test_the_export_of_the_other_list(login, users, place):
    child = kid(place.village_a, "无据娃")
    receipt_add(child, "dibao", date(2024, 1, 1))
    response = login(users["director_a"]).get(reverse("rules:gap_export"), {"which": "unentitled"})
    assert xlsx_rows(response)[2][:2] == ["东风村", "无据娃"]


@pytest.mark.django_db
def test_outsiders_cannot_export(login, users, dibao_a):
    assert login(users["carer_a"]).get(reverse("rules:gap_export")).status_code == 404


# ---------------------------------------------------------------- changes


@pytest.fixture
def change_a(place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    parent_add(child, "father", "at_home")
    services.child_evaluate(child)
    return FindingChange.objects.get(child=child)


@pytest.mark.django_db
def test_the_director_sees_and_confirms_changes(login, users, change_a):
    client = login(users["director_a"])
    body = client.get(reverse("rules:change_list")).content.decode()
    assert "留守娃" in body and "不再符合" in body
    response = client.post(reverse("rules:change_confirm"), {"only": change_a.pk})
    assert response.status_code == 302
    change_a.refresh_from_db()
    assert change_a.confirmed_by == users["director_a"]
    assert "留守娃" not in client.get(reverse("rules:change_list")).content.decode()


@pytest.mark.django_db
def test_ticked_changes_are_confirmed_together(login, users, change_a):
    login(users["supervisor_1"]).post(reverse("rules:change_confirm"), {"change": [change_a.pk]})
    change_a.refresh_from_db()
    assert change_a.confirmed_at is not None


@pytest.mark.django_db
def test_outsiders_neither_see_nor_confirm_changes(login, users, change_a):
    client = login(users["director_b"])
    assert "留守娃" not in client.get(reverse("rules:change_list")).content.decode()
    response = client.post(reverse("rules:change_confirm"), {"only": change_a.pk})
    assert response.status_code == 404
    change_a.refresh_from_db()
    assert change_a.confirmed_at is None
    assert login(users["carer_a"]).get(reverse("rules:change_list")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["9223372036854775808", "9" * 40, "²", "abc"])
def test_a_change_id_that_is_no_id_is_not_found(login, users, change_a, bad):
    client = login(users["director_a"])
    for data in ({"only": bad}, {"change": [change_a.pk, bad]}):
        assert client.post(reverse("rules:change_confirm"), data).status_code == 404
    change_a.refresh_from_db()
    assert change_a.confirmed_at is None


# ---------------------------------------------------------------- receipts and events


@pytest.mark.django_db
def test_recording_a_receipt_from_the_childs_page(login, users, dibao_a):
    client = login(users["director_a"])
    url = reverse("rules:receipt_create", args=[dibao_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"benefit": "dibao", "start_on": TODAY.isoformat(), "monthly_amount": "320"}
    )
    assert response.status_code == 302
    assert BenefitReceipt.objects.get(child=dibao_a).monthly_amount == 320
    page = client.get(reverse("registry:child_detail", args=[dibao_a.pk])).content.decode()
    assert "已享受" in page and "320" in page


@pytest.mark.django_db
def test_a_receipt_form_error_is_shown_beside_the_form(login, users, dibao_a):
    client = login(users["director_a"])
    url = reverse("rules:receipt_create", args=[dibao_a.pk])
    # From the day of the request, not of the import: a run may cross midnight (Beijing time).
    future = (timezone.localdate() + DAY).isoformat()
    response = client.post(url, {"benefit": "dibao", "start_on": future})
    assert response.status_code == 400
    assert "开始日期不能晚于今天" in response.content.decode()


@pytest.mark.django_db
def test_outsiders_cannot_record_receipts(login, users, dibao_a):
    url = reverse("rules:receipt_create", args=[dibao_a.pk])
    assert login(users["director_b"]).get(url).status_code == 404
    assert login(users["director_b"]).post(url, {"benefit": "dibao"}).status_code == 404
    assert not BenefitReceipt.objects.exists()


@pytest.mark.django_db
def test_a_paired_carer_cannot_record_receipts(login, users, dibao_a):
    Pairing.objects.create(
        child=dibao_a, carer=users["carer_a"], kind=CarerKind.CARING_MOTHER, start_date=TODAY
    )
    url = reverse("rules:receipt_create", args=[dibao_a.pk])
    assert login(users["carer_a"]).get(url).status_code == 404


@pytest.mark.django_db
def test_ending_a_receipt(login, users, dibao_a):
    receipt = receipt_add(dibao_a, "dibao", TODAY - 10 * DAY)
    url = reverse("rules:receipt_end", args=[receipt.pk])
    assert login(users["director_b"]).post(url, {"on": TODAY.isoformat()}).status_code == 404
    response = login(users["director_a"]).post(url, {"on": TODAY.isoformat()})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.end_on == TODAY


@pytest.mark.django_db
def test_recording_and_ending_a_hardship_event(login, users, place):
    child = kid(place.village_a, "意外娃")
    client = login(users["director_a"])
    response = client.post(
        reverse("rules:event_create", args=[child.pk]),
        {"kind": "accident", "occurred_on": TODAY.isoformat(), "description": "溺水获救,住院"},
    )
    assert response.status_code == 302
    page = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert "临时困境儿童" in page and "溺水获救" in page
    event = HardshipEvent.objects.get(child=child)
    response = client.post(reverse("rules:event_end", args=[event.pk]), {"on": TODAY.isoformat()})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.ended_on == TODAY


@pytest.mark.django_db
def test_outsiders_cannot_record_or_end_events(login, users, place):
    child = kid(place.village_a, "意外娃")
    event = event_add(child, "accident", TODAY)
    client = login(users["director_b"])
    assert client.get(reverse("rules:event_create", args=[child.pk])).status_code == 404
    assert client.post(reverse("rules:event_end", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.ended_on is None


# ---------------------------------------------------------------- the child's page and parameters


@pytest.mark.django_db
def test_the_childs_page_shows_categories_with_reasons(login, users, place):
    child = left_behind_build(place.village_a)
    services.child_evaluate(child)
    body = login(users["director_a"]).get(reverse("registry:child_detail", args=[child.pk]))
    text = body.content.decode()
    assert "留守儿童" in text and "2022-03 起外出务工" in text


@pytest.mark.django_db
def test_a_carer_sees_the_category_but_not_the_reasons_or_benefits(login, users, place):
    child = left_behind_build(place.village_a)
    Household.objects.filter(pk=child.household_id).update(economic_status="dibao")
    services.child_evaluate(child)
    Pairing.objects.create(
        child=child, carer=users["carer_a"], kind=CarerKind.CARING_MOTHER, start_date=TODAY
    )
    text = login(users["carer_a"]).get(reverse("registry:child_detail", args=[child.pk]))
    text = text.content.decode()
    assert "留守儿童" in text
    assert "外出务工(" not in text and "应享保障待遇" not in text


@pytest.mark.django_db
def test_the_parameters_page(login, users, place):
    response = login(users["county"]).get(reverse("rules:parameter_list"))
    assert "留守儿童年龄上限" in response.content.decode()
    assert login(users["carer_a"]).get(reverse("rules:parameter_list")).status_code == 404


@pytest.mark.django_db
def test_the_menu_offers_the_lists_to_the_roles_that_use_them(login, users):
    def menu(username):
        response = login(users[username]).get(reverse("home"))
        return {key for _, _, key in response.context["nav_items"]}

    assert {"gaps", "changes"} <= menu("director_a")
    assert not {"gaps", "changes"} & menu("carer_a")
    assert "gaps" not in menu("department")


@pytest.mark.django_db
def test_children_registered_through_the_form_are_evaluated(login, users):
    from guanai.rules.models import ChildFinding

    form = {
        "name": "赵一鸣",
        "birth_date": "2017-08-01",
        "sex": "M",
        "father_status": "working_away",
        "father_away_destination": "上海市",
        "mother_status": "working_away",
        "mother_away_destination": "上海市",
        "mother_name": "孙丽",
        "school_stage": "primary",  # a child of 9 without school is asked about first
    }
    login(users["director_a"]).post(reverse("registry:child_create"), form)
    child = Child.objects.get(name="赵一鸣")
    assert ChildFinding.objects.filter(child=child, code="left_behind", is_current=True).exists()


@pytest.mark.django_db
def test_the_children_list_filters_by_category(login, users, place):
    services.child_evaluate(left_behind_build(place.village_a, "留守娃"))
    services.child_evaluate(kid(place.village_a, "在家娃"))
    client = login(users["director_a"])
    body = client.get(reverse("registry:child_list"), {"category": "left_behind"}).content.decode()
    assert "留守娃" in body and "在家娃" not in body
    everyone = client.get(reverse("registry:child_list")).content.decode()
    assert "留守娃" in everyone and "在家娃" in everyone

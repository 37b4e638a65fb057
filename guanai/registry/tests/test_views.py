from datetime import date

import pytest
from django.urls import reverse

from guanai.audit.models import Action, AuditEvent
from guanai.registry import idnumber
from guanai.registry.models import Child
from guanai.testing.factories import COUNTY, child_build


def form_data(**extra):
    return {
        "name": "赵一鸣",
        "id_number": idnumber.make(
            region_code=COUNTY, birth_date=date(2017, 8, 1), sequence=3, sex="M"
        ),
        "household_address": "东风村一组3号",
        "guardian_name": "赵奶奶",
        "guardian_relation": "grandparent_paternal",
        "father_status": "working_away",
        "father_away_destination": "上海市",
        "mother_status": "at_home",
        "mother_name": "孙丽",
        "school_stage": "primary",
    } | extra


@pytest.mark.django_db
def test_it_registers_a_child_through_the_form(client, users):
    client.force_login(users["director_a"])
    response = client.post(reverse("registry:child_create"), form_data())
    child = Child.objects.get(name="赵一鸣")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:child_detail", args=[child.pk])
    assert child.division == users["director_a"].division
    assert child.birth_date == date(2017, 8, 1)


@pytest.mark.django_db
def test_form_errors_are_in_chinese_beside_the_field(client, users):
    client.force_login(users["director_a"])
    response = client.post(reverse("registry:child_create"), form_data(id_number="123"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "身份证号长度" in body
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_links_to_the_existing_file(client, users):
    client.force_login(users["director_a"])
    client.post(reverse("registry:child_create"), form_data())
    existing = Child.objects.get()
    response = client.post(reverse("registry:child_create"), form_data(name="赵二鸣"))
    assert reverse("registry:child_detail", args=[existing.pk]) in response.content.decode()


@pytest.mark.django_db
def test_a_supervisor_chooses_one_of_their_villages(client, users, place):
    client.force_login(users["supervisor_1"])
    response = client.post(reverse("registry:child_create"), form_data(village=place.village_c.pk))
    assert response.status_code == 400
    response = client.post(reverse("registry:child_create"), form_data(village=place.village_b.pk))
    assert Child.objects.get().division == place.village_b


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["张小明", "小明", "zhangxiaoming", "zhangx", "zxm", "ZXM"])
def test_search_by_name_pinyin_and_initials(client, users, children, query):
    client.force_login(users["county"])
    body = client.get(reverse("registry:child_list"), {"q": query}).content.decode()
    assert "张小明" in body
    assert "王小刚" not in body


@pytest.mark.django_db
def test_search_by_id_number_whole_or_tail(client, users, children):
    client.force_login(users["county"])
    number = children["b"].id_number
    for query in (number, number[-4:], number.lower()):
        body = client.get(reverse("registry:child_list"), {"q": query}).content.decode()
        assert "李小红" in body and "张小明" not in body


@pytest.mark.django_db
def test_search_stays_in_scope(client, users, children):
    client.force_login(users["director_a"])
    body = client.get(reverse("registry:child_list"), {"q": "李小红"}).content.decode()
    assert "共 0 名儿童" in body
    assert reverse("registry:child_detail", args=[children["b"].pk]) not in body


@pytest.mark.django_db
def test_the_htmx_search_returns_only_rows(client, users, children):
    client.force_login(users["county"])
    response = client.get(reverse("registry:child_list"), {"q": "zxm"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "张小明" in body and "<html" not in body


@pytest.mark.django_db
def test_the_file_page_masks_and_reveal_is_audited(client, users, children):
    child = children["a"]
    client.force_login(users["director_a"])
    body = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert child.id_number not in body
    assert idnumber.mask(child.id_number) in body
    response = client.post(reverse("registry:child_reveal", args=[child.pk]))
    assert child.id_number in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.REVEAL, object_id=str(child.pk)).exists()


@pytest.mark.django_db
def test_departments_and_carers_may_not_reveal(client, users, children):
    client.force_login(users["department"])
    response = client.post(reverse("registry:child_reveal", args=[children["a"].pk]))
    assert response.status_code == 404
    assert children["a"].id_number not in response.content.decode()


@pytest.mark.django_db
def test_a_stale_edit_shows_a_clear_message(client, users, children):
    child = children["a"]
    client.force_login(users["director_a"])
    page = client.get(reverse("registry:child_edit", args=[child.pk]))
    assert page.status_code == 200
    edit = reverse("registry:child_edit", args=[child.pk])
    data = {
        "name": child.name,
        "id_number": child.id_number,
        "hobbies": "跳绳",
        "version": child.version,
    }
    assert client.post(edit, data).status_code == 302
    response = client.post(edit, data | {"hobbies": "游泳"})
    assert response.status_code == 400
    assert "您的修改未保存" in response.content.decode()
    assert Child.objects.get(pk=child.pk).hobbies == "跳绳"


@pytest.mark.django_db
def test_past_states_can_be_viewed(client, users, children):
    child = children["a"]
    client.force_login(users["director_a"])
    edit = reverse("registry:child_edit", args=[child.pk])
    client.post(
        edit,
        {
            "name": child.name,
            "id_number": child.id_number,
            "hobbies": "跳绳",
            "version": child.version,
        },
    )
    client.post(
        edit,
        {
            "name": child.name,
            "id_number": child.id_number,
            "hobbies": "游泳",
            "version": child.version + 1,
        },
    )
    body = client.get(reverse("registry:child_revision", args=[child.pk, 2])).content.decode()
    assert "跳绳" in body and "游泳" not in body
    detail = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert "兴趣爱好" in detail


@pytest.mark.django_db
def test_deactivated_files_stay_readable(client, users, children):
    child = children["a"]
    client.force_login(users["director_a"])
    response = client.post(
        reverse("registry:child_deactivate", args=[child.pk]),
        {"reason": "moved_away", "on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert (
        "已注销" in client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    )
    listing = client.get(reverse("registry:child_list")).content.decode()
    assert "张小明" not in listing
    listing = client.get(
        reverse("registry:child_list"), {"include_inactive": "on"}
    ).content.decode()
    assert "张小明" in listing


@pytest.mark.django_db
def test_a_carer_sees_a_paired_child_but_cannot_edit(client, users, children):
    from guanai.care.models import CarerKind, Pairing

    Pairing.objects.create(
        child=children["a"],
        carer=users["carer_a"],
        kind=CarerKind.CARING_MOTHER,
        start_date=date(2025, 1, 1),
    )
    client.force_login(users["carer_a"])
    assert client.get(reverse("registry:child_detail", args=[children["a"].pk])).status_code == 200
    assert client.get(reverse("registry:child_edit", args=[children["a"].pk])).status_code == 404


@pytest.mark.django_db
def test_register_a_sibling_into_the_same_household(client, users, children):
    client.force_login(users["director_a"])
    url = reverse("registry:child_create") + f"?sibling_of={children['a'].pk}"
    assert client.get(url).status_code == 200
    client.post(url, form_data(name="张小亮"))
    assert Child.objects.get(name="张小亮").household == children["a"].household


@pytest.mark.django_db
def test_many_children_paginate(client, users, place):
    for i in range(35):
        child_build(place.village_a, f"测试{i:02d}", birth=date(2010, 1, 1 + i % 28))
    client.force_login(users["director_a"])
    body = client.get(reverse("registry:child_list")).content.decode()
    assert "共 35 名儿童" in body and "第 1 / 2 页" in body


@pytest.mark.django_db
def test_a_huge_list_says_more_than_the_limit(client, users, place, monkeypatch):
    from guanai.core import paging

    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    monkeypatch.setattr(paging.BoundedPaginator, "count_limit", 3)
    for i in range(5):
        child_build(place.village_a, f"测试{i}", birth=date(2011, 2, 1 + i))
    client.force_login(users["director_a"])
    body = client.get(reverse("registry:child_list")).content.decode()
    assert "共 超过 3 名儿童" in body


def test_the_files_history_says_what_changed_from_what_to_what(login, users, children):
    from guanai.registry.forms import initial_from_child
    from guanai.registry.services import child_update

    child = children["a"]
    phone = "13800138000"
    data = initial_from_child(child) | {"hobbies": "画画", "phone": phone}
    child_update(actor=users["director_a"], child=child, version=child.version, data=data)
    page = login(users["director_a"]).get(reverse("registry:child_detail", args=[child.pk]))
    text = page.content.decode()
    assert "儿童·兴趣爱好:未填写 → 画画" in text
    assert "child.hobbies" not in text and phone not in text  # labelled, and the phone masked
    assert login(users["director_b"]).get(
        reverse("registry:child_detail", args=[child.pk])
    ).status_code in (403, 404)

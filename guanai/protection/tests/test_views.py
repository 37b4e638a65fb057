"""The protection pages as their users use them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.audit.models import Action, AuditEvent
from guanai.protection.models import ProtectionCase
from guanai.protection.testing import case_build

pytestmark = pytest.mark.django_db


def test_a_director_finds_the_child_and_reports(login, users, children):
    client = login(users["director_a"])
    found = client.get(reverse("protection:report_start"), {"q": "张小明"})
    assert reverse("protection:report_create", args=[children["a"].pk]) in found.content.decode()
    assert (
        "李小红" not in client.get(reverse("protection:report_start"), {"q": "李"}).content.decode()
    )
    url = reverse("protection:report_create", args=[children["a"].pk])
    refused = client.post(url, {"kind": "", "description": "", "channel": "report"})
    assert refused.status_code == 400
    assert not ProtectionCase.objects.exists()
    response = client.post(
        url,
        {
            "kind": "neglect",
            "description": "父母外出,孩子独自在家多日",
            "grade": "orange",
            "source": "visit",
            "channel": "report",
            "reporter_name": "东风村儿童主任",
        },
    )
    case = ProtectionCase.objects.get()
    assert response.url == reverse("protection:case_detail", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert case.number in page and "个案详情仅承办人" in page  # a receipt: not assigned
    assert "父母外出" not in page


def test_the_file_shows_that_a_case_exists_and_whom_to_contact(login, users, children):
    case_build(children["a"], users["director_a"], assignee=users["supervisor_1"])
    director = login(users["director_a"]).get(
        reverse("registry:child_detail", args=[children["a"].pk])
    )
    assert "该儿童有在办的保护个案" in director.content.decode()
    assert "supervisor_1" in director.content.decode()
    boss = login(users["supervisor_1"]).get(
        reverse("registry:child_detail", args=[children["a"].pk])
    )
    assert "剩 " in boss.content.decode()  # the clock, for those who work on it


def test_the_supervisor_grades_and_a_bad_post_shows_the_field(login, users, children):
    case = case_build(children["a"], users["director_a"])
    client = login(users["supervisor_1"])
    url = reverse("protection:case_grade", args=[case.pk])
    refused = client.post(url, {"grade": "red", "reason": ""})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    assert client.post(url, {"grade": "red", "reason": "伤情严重"}).status_code == 302
    case.refresh_from_db()
    assert case.grade == "red"
    viewed = AuditEvent.objects.filter(object_type="protection.protectioncase", action=Action.VIEW)
    client.get(reverse("protection:case_detail", args=[case.pk]))
    assert viewed.filter(actor=users["supervisor_1"]).exists()


def test_outsiders_get_nothing(login, users, children):
    case = case_build(children["b"], users["director_b"])
    for name in ("director_a", "supervisor_2", "department", "carer_a"):
        response = login(users[name]).get(reverse("protection:case_detail", args=[case.pk]))
        assert response.status_code in (403, 404), name
        listing = login(users[name]).get(reverse("protection:case_list"))
        assert case.number not in listing.content.decode()


def test_a_department_user_works_on_their_task(login, users, children):
    case = case_build(children["a"], users["director_a"])
    task = case.tasks.create(
        title="安排心理辅导",
        owner=users["department"],
        due_on=timezone.localdate() + timedelta(days=2),
        created_by=users["supervisor_1"],
    )
    client = login(users["department"])
    assert "安排心理辅导" in client.get(reverse("protection:my_tasks")).content.decode()
    page = client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert "安排心理辅导" in page and "家中长期无人照看" not in page  # tasks, not the notes
    client.post(reverse("protection:task_done", args=[task.pk]), {"note": "已辅导两次"})
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_carers_serious_record_offers_report_in_one_tap(login, users, children):
    from guanai.care.models import Flag
    from guanai.care.testing import pairing_build

    pairing_build(children["a"], users["carer_a"])
    client = login(users["carer_a"])
    response = client.post(
        reverse("care:record_create", args=[children["a"].pk]),
        {
            "activity": "home_visit",
            "date": timezone.localdate().isoformat(),
            "severity": "serious",
            "problems": "孩子说晚上常被继父打",
        },
    )
    flag = Flag.objects.get()
    page = client.get(response.url).content.decode()
    offer = reverse("protection:report_create", args=[children["a"].pk])
    offer += f"?record={flag.record_id}"
    assert "转为报告" in page and offer in page
    # whom it reached (the township supervisor among them), and when
    assert "严重问题已上报:" in page and "supervisor_1(儿童督导员," in page
    form = client.get(offer).content.decode()
    assert "孩子说晚上常被继父打" in form  # the problem carried into the report
    client.post(
        offer,
        {
            "kind": "domestic_violence",
            "description": "孩子说晚上常被继父打",
            "grade": "orange",
            "source": "care_record",
            "channel": "report",
            "reporter_name": "爱心妈妈",
        },
    )
    case = ProtectionCase.objects.get()
    assert case.source_flag == flag and case.reported_by == users["carer_a"]
    again = client.get(offer)  # a second tap opens the case already filed
    assert again.url == reverse("protection:case_detail", args=[case.pk])


def test_the_files_pdf_carries_the_case_as_far_as_the_reader_may_see_it(users, children):
    from guanai.protection import services
    from guanai.registry.reports import child_pdf_html

    case = case_build(children["a"], users["director_a"])
    services.step_record(
        actor=users["supervisor_1"],
        case=case,
        kind="verify",
        done_at=timezone.now(),
        text="已到场核实",
    )
    full = child_pdf_html(
        users["supervisor_1"], children["a"], reveal=False, printed_at=timezone.now()
    )
    assert case.number in full and "已到场核实" in full
    receipt = child_pdf_html(
        users["director_a"], children["a"], reveal=False, printed_at=timezone.now()
    )
    assert case.number in receipt and "已到场核实" not in receipt and "仅承办人可见" in receipt

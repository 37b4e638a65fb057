"""What protection adds to the file's summary card: the child's open cases, as much of each as
the viewer may read (selectors.access_to), and nothing at all for a viewer who may read none."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from guanai.care.testing import pairing_build
from guanai.protection.choices import CaseStatus
from guanai.protection.testing import case_build

pytestmark = pytest.mark.django_db


def card(client, child) -> str:
    body = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    return body.split('id="summary"', 1)[1].split("</section>", 1)[0]


def test_who_works_on_the_case_sees_its_kind_grade_clock_and_handler(login, users, children):
    case = case_build(children["a"], users["director_a"], assignee=users["supervisor_1"])
    shown = card(login(users["supervisor_1"]), children["a"])
    assert "保护个案" in shown and case.number in shown
    assert "忽视" in shown and "橙色" in shown and "剩 " in shown
    assert f"联系:{users['supervisor_1'].display_name}" in shown
    assert reverse("protection:case_detail", args=[case.pk]) in shown
    assert "summary-alert" not in shown


def test_an_overdue_case_asks_for_attention(login, users, children):
    case_build(children["a"], users["director_a"], received_at=timezone.now() - timedelta(days=10))
    shown = card(login(users["supervisor_1"]), children["a"])
    assert "超时 " in shown and "summary-alert" in shown
    assert "联系:乡镇儿童督导员" in shown  # nobody is assigned yet


def test_the_village_director_sees_that_a_case_is_open_and_whom_to_contact(login, users, children):
    case_build(children["a"], users["county"], assignee=users["supervisor_1"])
    shown = card(login(users["director_a"]), children["a"])
    assert "该儿童有在办的保护个案" in shown
    assert f"联系:{users['supervisor_1'].display_name}" in shown
    assert "忽视" not in shown and "橙色" not in shown and "剩 " not in shown


def test_a_carer_who_may_read_no_case_sees_the_same_card_with_or_without_one(
    login, users, children
):
    child = children["a"]
    pairing_build(child, users["carer_a"])
    carer = login(users["carer_a"])
    before = card(carer, child)
    case = case_build(child, users["director_a"], assignee=users["supervisor_1"])
    after = card(carer, child)
    assert after == before
    assert "保护个案" not in after and case.number not in after


def test_a_closed_case_leaves_the_card(login, users, children):
    case_build(children["a"], users["director_a"], status=CaseStatus.CLOSED)
    assert "保护个案" not in card(login(users["supervisor_1"]), children["a"])


def test_the_line_in_english(login, users, children):
    case_build(children["a"], users["director_a"], assignee=users["supervisor_1"])
    client = login(users["supervisor_1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = card(client, children["a"])
    assert "Protection case" in shown and "Neglect" in shown and "Orange" in shown
    assert "left" in shown and "保护个案" not in shown and "忽视" not in shown

"""The window's pages: intake with uploads and the receipt, referral from an application, the
department's work list and its answers, the child's file panel, the figures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanai.window.models import Application, HelpKind, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _intake(login, users, children, files):
    kind = HelpKind.objects.get(area="", code="school_aid")
    client = login(users["supervisor_1"])
    url = reverse("window:intake", args=[children["a"].pk])
    assert "材料清单" in client.get(url, {"kind": kind.pk}).content.decode()
    data = {"kind": kind.pk, "applicant_name": "张父", "note": "学费困难"}
    for r in kind.requirements.all():
        data[f"doc_{r.pk}"] = files(r)
    return client, client.post(url, data)


def test_intake_prints_a_receipt_and_routes_to_education(login, users, children):
    def pdf(r):
        return SimpleUploadedFile(f"{r.pk}.pdf", b"%PDF-1.4", content_type="application/pdf")

    client, response = _intake(login, users, children, pdf)
    application = Application.objects.get()
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert application.number in receipt and "承诺办结时限" in receipt
    refer = reverse("window:referral_create", args=[application.pk])
    refused = client.post(refer, {"department": "education", "limit_days": "", "request": "资助"})
    assert refused.status_code == 400 and "请填写办理时限" in refused.content.decode()
    client.post(refer, {"department": "education", "limit_days": "10", "request": "资助"})
    referral = Referral.objects.get()
    department = login(users["department"])
    listed = department.get(reverse("window:work_list")).content.decode()
    assert referral.number in listed
    department.post(reverse("window:referral_accept", args=[referral.pk]))
    no_outcome = department.post(reverse("window:referral_complete", args=[referral.pk]))
    assert no_outcome.status_code == 400 and "请填写办理结果" in no_outcome.content.decode()
    department.post(reverse("window:referral_complete", args=[referral.pk]), {"outcome": "已资助"})
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.on_time
    document = application.documents.first()
    assert department.get(reverse("window:document", args=[document.pk])).status_code == 200
    township = login(users["supervisor_1"])
    page = township.get(reverse("registry:child_detail", args=[children["a"].pk])).content.decode()
    assert "申请与转办" in page and referral.number in page and "已办结" in page
    assert township.get(reverse("window:figures")).status_code == 200


def test_a_wrong_document_type_is_refused_with_the_reason(login, users, children):
    def exe(r):
        return SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")

    _, response = _intake(login, users, children, exe)
    assert response.status_code == 400
    assert "只能是 PDF、JPEG 或 PNG" in response.content.decode()
    assert not Application.objects.exists()


def test_a_department_user_cannot_open_the_window(login, users):
    client = login(users["department"])
    assert client.get(reverse("window:application_list")).status_code in (403, 404)
    assert client.get(reverse("window:work_list")).status_code == 200


def test_the_county_edits_its_own_calendar(login, users):
    from datetime import date

    from guanai.window.workdays import due_date

    url = reverse("window:calendar")
    assert login(users["supervisor_1"]).get(url).status_code in (403, 404)
    county = login(users["county"])
    assert "国庆节" in county.get(url, {"year": 2026}).content.decode()
    county.post(url, {"day": "2026-10-08", "is_workday": "0", "words": "县庆"})
    assert due_date("360426001001", date(2026, 9, 30), 1) == date(2026, 10, 9)
    county.post(url, {"day": "2026-10-08", "remove": "1"})
    assert due_date("360426001001", date(2026, 9, 30), 1) == date(2026, 10, 8)
    refused = county.post(url, {"day": ""})
    assert refused.status_code == 400 and "请填写日期" in refused.content.decode()


def _task(children, users):
    from datetime import timedelta

    from django.utils import timezone

    from guanai.protection.models import CaseTask
    from guanai.protection.testing import case_build

    case = case_build(children["a"], users["director_a"], assignee=users["director_a"])
    return CaseTask.objects.create(
        case=case,
        title="协调复学",
        owner=users["director_a"],
        due_on=timezone.localdate() + timedelta(days=7),
        created_by=users["supervisor_1"],
    )


def _record(children, users):
    from guanai.care.testing import pairing_build, record_build

    pairing = pairing_build(children["a"], users["carer_a"])
    return record_build(pairing, problems="学费无着", follow_up="申请教育资助")


def test_a_plan_task_is_referred_from_the_case_page(login, users, children):
    from guanai.audit.models import AuditEvent

    task = _task(children, users)
    client = login(users["supervisor_1"])
    case_page = client.get(reverse("protection:case_detail", args=[task.case_id])).content
    start = reverse("window:referral_start", args=[children["a"].pk])
    assert f'{start}?task={task.pk}"'.encode() in case_page
    form = client.get(start, {"task": task.pk}).content.decode()
    assert "协调复学" in form and task.case.number in form
    refused = client.post(start, {"task": task.pk, "department": "", "limit_days": "5"})
    assert refused.status_code == 400 and "请选择承办部门" in refused.content.decode()
    done = client.post(
        start, {"task": task.pk, "department": "education", "limit_days": "5", "request": "复学"}
    )
    referral = Referral.objects.get()
    assert done["Location"] == reverse("window:referral_detail", args=[referral.pk])
    assert (referral.case_task_id, referral.department, referral.limit_days) == (
        task.pk,
        "education",
        5,
    )
    assert AuditEvent.objects.filter(object_id=str(referral.pk), detail__contains="复学").exists()
    listed = login(users["department"]).get(reverse("window:work_list")).content.decode()
    assert referral.number in listed


def test_a_need_in_a_care_record_is_referred_from_the_record_page(login, users, children):
    record = _record(children, users)
    client = login(users["supervisor_1"])
    page = client.get(reverse("care:record_detail", args=[record.pk])).content.decode()
    start = reverse("window:referral_start", args=[children["a"].pk])
    assert f"{start}?record={record.pk}" in page
    form = client.get(start, {"record": record.pk}).content.decode()
    assert "申请教育资助" in form  # the follow-up is the default request
    client.post(
        start,
        {"record": record.pk, "department": "education", "limit_days": "10", "request": "资助"},
    )
    referral = Referral.objects.get()
    assert referral.care_record_id == record.pk and referral.child_id == children["a"].pk
    carer_page = login(users["carer_a"]).get(reverse("care:record_detail", args=[record.pk]))
    assert start not in carer_page.content.decode()  # offered to the window's staff only


def test_refused_users_cannot_refer_a_task_or_a_record(login, users, children):
    task = _task(children, users)
    record = _record(children, users)
    start = reverse("window:referral_start", args=[children["a"].pk])
    data = {"department": "education", "limit_days": "5", "request": "复学"}
    for username in ("director_a", "carer_a", "department", "supervisor_2"):
        client = login(users[username])
        for source in ({"task": task.pk}, {"record": record.pk}):
            assert client.get(start, source).status_code in (403, 404)
            assert client.post(start, {**source, **data}).status_code in (403, 404)
    # The page's child must be the source's: another child's page with A's task is refused.
    other = reverse("window:referral_start", args=[children["c"].pk])
    county = login(users["county"])
    assert county.post(other, {"task": task.pk, **data}).status_code == 404
    assert county.get(start).status_code == 404  # neither a task nor a record
    assert not Referral.objects.exists()


def test_the_pages_offer_the_referral_to_the_windows_staff_only():
    """The other apps' templates name the window's roles (they may not import the window)."""
    import re
    from pathlib import Path

    from guanai.window.permissions import WINDOW_STAFF

    root = Path(__file__).resolve().parents[2]
    for template in (
        "protection/templates/protection/case_detail.html",
        "care/templates/care/record_detail.html",
    ):
        text = (root / template).read_text(encoding="utf-8")
        named = re.findall(r'user\.role in "([a-z_ ]+)"', text)
        assert named and all(set(n.split()) == set(WINDOW_STAFF) for n in named)


def test_a_department_sees_its_own_figures_and_the_township_every_desk(login, users, children):
    from django.utils import timezone

    from guanai.accounts.models import Department
    from guanai.window.testing import referral_build

    now = timezone.now()
    for days, on_time in ((3, True), (5, True), (12, False)):
        referral_build(
            children["a"],
            users["supervisor_1"],
            status="completed",
            closed_at=now,
            handling_days=days,
            on_time=on_time,
        )
    referral_build(
        children["a"], users["supervisor_1"], lapsed_at=now, escalated_at=now
    )  # open, lapsed and escalated
    referral_build(children["a"], users["supervisor_1"], department=Department.HEALTH)
    desk = login(users["department"])
    assert "本部门统计" in desk.get(reverse("window:work_list")).content.decode()
    page = desk.get(reverse("window:figures"))
    rows = page.context["rows"]
    assert [r.department for r in rows] == ["education"]
    education = rows[0]
    assert (education.open, education.lapsed, education.escalated) == (1, 1, 1)
    assert (education.completed, education.on_time, education.median_days) == (3, 2, 5.0)
    assert education.on_time_share == 67 and "67%" in page.content.decode()
    township = login(users["supervisor_1"]).get(reverse("window:figures"))
    assert [r.department for r in township.context["rows"]] == ["education", "health"]
    assert login(users["carer_a"]).get(reverse("window:figures")).status_code in (403, 404)


def test_the_work_lists_pages_keep_the_status_filter(login, users, children):
    from guanai.window.testing import referral_build

    for _ in range(31):
        referral_build(children["a"], users["supervisor_1"], status="accepted")
    page = login(users["department"]).get(reverse("window:work_list"), {"status": "accepted"})
    assert "?status=accepted&amp;page=2" in page.content.decode()

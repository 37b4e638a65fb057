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

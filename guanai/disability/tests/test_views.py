from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guanai.accounts.models import Department, Role
from guanai.disability.models import Claim, ClaimStatus, RehabApplication, Status
from guanai.disability.testing import application_build, claim_build, rehab_objects_for
from guanai.disability.tests.conftest import APPLIED
from guanai.testing.factories import user_build

APPLY = {
    "kind": "training",
    "category": "intellectual",
    "applicant_name": "陈母",
    "applicant_relation": "母亲",
    "residence": "household",
    "diagnosis": "精神发育迟滞",
    "applied_on": APPLIED.isoformat(),
}


def test_it_files_an_application_from_the_childs_file(login, users, child):
    client = login(users["director_a"])
    page = client.get(reverse("registry:child_detail", args=[child.pk]))
    assert "康复救助" in page.content.decode()
    url = reverse("disability:application_create", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, APPLY)
    application = RehabApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disability:application_detail", args=[application.pk])


def test_a_refused_application_shows_the_rule_on_the_form(login, users, child):
    client = login(users["director_a"])
    url = reverse("disability:application_create", args=[child.pk])
    # born 2019-05-01: 7 on 2026-05-01, and a cochlear implant is for children up to 6
    response = client.post(
        url,
        APPLY | {"kind": "cochlear_implant", "category": "hearing", "applied_on": "2026-05-01"},
    )
    assert response.status_code == 200
    assert (
        "申请时 7 岁,不符合年龄条件:人工耳蜗植入手术救助对象为 0-6 岁儿童"
        in response.content.decode()
    )
    assert not RehabApplication.objects.exists()


def test_outsiders_get_404(login, users, child):
    application = application_build(child)
    for username in ("director_b", "supervisor_2"):
        client = login(users[username])
        assert (
            client.get(reverse("disability:application_create", args=[child.pk])).status_code == 404
        )
        url = reverse("disability:application_detail", args=[application.pk])
        assert client.get(url).status_code == 404


def test_the_diagnosis_is_masked_for_roles_that_do_not_decide(login, users, child, federation):
    application_build(child, diagnosis="脑瘫伴智力低下")
    page = login(users["department"]).get(reverse("registry:child_detail", args=[child.pk]))
    assert "脑瘫伴智力低下" not in page.content.decode()
    page = login(federation).get(reverse("registry:child_detail", args=[child.pk]))
    assert "脑瘫伴智力低下" in page.content.decode()


def test_the_menu_item_is_for_its_users(login, users, federation, place):
    assert "康复救助" in login(federation).get("/").content.decode()
    assert login(users["department"]).get(reverse("disability:overview")).status_code == 200
    police = user_build(
        "police", Role.DEPARTMENT, place.county, department=Department.PUBLIC_SECURITY
    )
    assert login(police).get(reverse("disability:overview")).status_code == 403


def test_refer_claim_check_and_batch_pages(
    login, users, child, institution, federation, federation_2
):
    application = application_build(child)
    client = login(federation)
    detail = reverse("disability:application_detail", args=[application.pk])
    assert "转介定点康复机构" in client.get(detail).content.decode()
    client.post(
        reverse("disability:application_refer", args=[application.pk]),
        {"institution": institution.pk, "on": "2026-03-05"},
    )
    application.refresh_from_db()
    assert application.status == Status.REFERRED
    url = reverse("disability:claim_create", args=[application.pk])
    bad = client.post(url, {"period_start": "2026-03-05", "period_end": "2026-03-31", "cost": "-3"})
    assert "总费用不能为负数" in bad.content.decode()
    client.post(
        url,
        {"period_start": "2026-03-05", "period_end": "2026-03-31", "months": "1", "cost": "2000"},
    )
    claim = Claim.objects.get()
    assert claim.payable == 1700
    check = reverse("disability:claim_check", args=[claim.pk])
    client.post(check, {"checker": "机构会计"})
    login(federation_2).post(check)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FEDERATION_CHECKED
    county = login(users["county"])
    assert "待拨付的结算 1 笔" in county.get(reverse("disability:batch_list")).content.decode()
    response = county.post(reverse("disability:batch_list"))
    claim.refresh_from_db()
    assert response["Location"] == reverse("disability:batch_detail", args=[claim.batch_id])
    assert "1700.00 元" in county.get(response["Location"]).content.decode()


def test_the_batch_xlsx_has_each_institution_and_the_total(login, users, child, place):
    objects = rehab_objects_for(child)
    application = RehabApplication.objects.get(pk=objects["rehab_pk"])
    batch_claim = Claim.objects.get(pk=objects["claim_pk"])
    claim_build(
        application,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        status=ClaimStatus.BATCHED,
        batch=batch_claim.batch,
    )
    response = login(users["county"]).get(
        reverse("disability:batch_xlsx", args=[objects["batch_pk"]])
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][0] == "德安县康复中心" and rows[2][2] == child.name
    assert rows[-2][0] == "德安县康复中心 小计" and rows[-2][10] == 3400
    assert rows[-1][0] == "合计" and rows[-1][10] == 3400


@pytest.mark.parametrize("username", ["director_a", "supervisor_1"])
def test_village_and_township_staff_cannot_reach_batches(login, users, child, username):
    batch = rehab_objects_for(child)["batch_pk"]
    client = login(users[username])
    assert client.get(reverse("disability:batch_detail", args=[batch])).status_code == 403
    assert client.get(reverse("disability:batch_xlsx", args=[batch])).status_code == 403


def test_institutions_are_set_by_the_county(login, users, place):
    federation = user_build(
        "fed", Role.DEPARTMENT, place.county, department=Department.DISABLED_FEDERATION
    )
    client = login(federation)
    response = client.post(
        reverse("disability:institution_list"),
        {
            "name": "爱心康复园",
            "capacity": "30",
            "agreement_start": "2026-01-01",
            "agreement_end": "2025-01-01",
        },
    )
    assert "协议截止日期不能早于起始日期" in response.content.decode()
    client.post(reverse("disability:institution_list"), {"name": "爱心康复园", "capacity": "30"})
    assert "爱心康复园" in client.get(reverse("disability:overview")).content.decode()


def test_the_dashboards_have_a_section(login, users, child):
    from django.core.cache import cache

    cache.clear()
    application_build(child)  # eligible, waiting for a referral
    body = login(users["supervisor_1"]).get(reverse("stats:dashboard")).content.decode()
    assert "<h2>残疾儿童康复与送教</h2>" in body
    assert "口径:审核通过、尚未转介定点机构的申请数" in body
    waiting = body.split('id="fig-rehab_waiting"')[1]
    assert '<strong class="stat-value">1</strong>' in waiting.split("</div>")[1]

"""Rehabilitation assistance on a desktop, from a child's application to finance's batch."""

import re
import subprocess
import sys
from datetime import date

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 860}
FIND_CHILD = """
import django, datetime
django.setup()
from guanai.accounts.models import User
from guanai.registry.models import Child
director = User.objects.get(username="director")
born_after = datetime.date.today().replace(year=datetime.date.today().year - 14)
child = Child.objects.filter(
    division=director.division, is_active=True, birth_date__gt=born_after
).order_by("id").first()
print(child.pk, child.name)
"""


@pytest.fixture
def desktop(browser, demo_server):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=demo_server["base"])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_from_application_to_a_finance_batch(desktop, demo_server):
    found = subprocess.run(
        [sys.executable, "-c", FIND_CHILD],
        env=demo_server["env"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    child_pk, child_name = found[0], found[1]
    today = date.today().isoformat()
    page = desktop

    # The village director files the application from the child's file.
    log_in(page, "director")
    page.goto(f"/children/{child_pk}/")
    page.click("a:has-text('申请康复救助')")
    page.select_option("#id_kind", "training")
    page.select_option("#id_category", "intellectual")
    page.fill("#id_applicant_name", "申请人母亲")
    page.fill("#id_applicant_relation", "母亲")
    page.select_option("#id_residence", "permit")
    page.fill("#id_diagnosis", "精神发育迟滞,县医院诊断证明")
    page.click("button:has-text('提交申请')")
    page.wait_for_url(re.compile(r"/disability/applications/\d+/$"))
    application_url = page.url
    assert page.locator("#application-status").inner_text() == "审核通过"
    assert "符合智力残疾儿童康复训练救助对象为 0-14 岁的条件" in page.locator("main").inner_text()

    # The federation designates an institution, refers the child and enters the claim.
    log_in(page, "federation")
    page.goto("/disability/institutions/")
    page.fill("#id_name", "德安县启智康复中心")
    page.fill("#id_capacity", "40")
    page.click("button:has-text('添加')")
    assert "德安县启智康复中心" in page.locator("table").inner_text()
    page.goto(application_url)
    assert "精神发育迟滞" in page.locator("main").inner_text()
    page.select_option("#id_institution", label="德安县启智康复中心")
    page.click("button:has-text('转介')")
    assert page.locator("#application-status").inner_text() == "已转介机构"
    page.click("a:has-text('录入结算')")
    page.fill("#id_period_start", today)
    page.fill("#id_period_end", today)
    page.fill("#id_months", "1")
    page.fill("#id_cost", "2500")
    page.fill("#id_insurance_paid", "-100")
    page.click("button:has-text('保存结算')")
    assert "基本医保支付不能为负数" in page.locator("main").inner_text()
    page.fill("#id_insurance_paid", "300")
    page.click("button:has-text('保存结算')")
    page.wait_for_url(application_url)
    assert "余额 2200 元高于标准 1700 元" in page.locator("main").inner_text()

    # The institution's check (recorded with its checker), then the federation's.
    page.goto("/disability/claims/")
    row = page.locator("tr", has_text=child_name)
    row.locator("input[name=checker]").fill("机构会计 孙")
    row.locator("button:has-text('机构核对')").click()
    page.goto("/disability/claims/?status=institution_checked")
    page.locator("tr", has_text=child_name).locator("button:has-text('残联审核')").click()

    # Civil affairs makes the frozen batch for finance and downloads it.
    log_in(page, "county")
    page.goto("/disability/batches/")
    page.click("button:has-text('生成拨付批次')")
    page.wait_for_url(re.compile(r"/disability/batches/\d+/$"))
    assert "1700.00 元" in page.locator("#batch-total").inner_text()
    assert child_name in page.locator("table").inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('下载 xlsx')")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_home_teaching_on_a_phone(phone, demo_server):
    found = subprocess.run(
        [sys.executable, "-c", FIND_CHILD],
        env=demo_server["env"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    log_in(phone, "director")
    phone.goto(f"/children/{found[0]}/")
    phone.click("a:has-text('安排送教上门')")
    phone.fill("#id_start_date", date.today().isoformat())  # any day of the year: visits today
    phone.fill("#id_end_date", date.fromordinal(date.today().toordinal() + 200).isoformat())
    phone.fill("#id_teacher_name", "送教 王老师")
    phone.fill("#id_guardian_name", "监护人")
    phone.check("#id_voluntary")
    phone.fill("#id_situation", "重度肢体残疾,不能到校")
    phone.fill("#id_plan", "生活适应、语文、数学")
    phone.click("button:has-text('保存协议')")
    phone.wait_for_url(re.compile(r"/disability/teaching/\d+/$"))
    start = phone.locator("main").inner_text()
    assert "送教 王老师" in start
    phone.fill("#id_hours", "两")
    phone.fill("#id_content", "认识数字 1-10")
    phone.click("button:has-text('保存记录')")
    assert "课时须为数字" in phone.locator("main").inner_text()
    phone.fill("#id_hours", "2")
    phone.click("button:has-text('保存记录')")
    assert "1 次,2 课时" in phone.locator("#teaching-hours").inner_text()
    phone.goto("/disability/teaching/")
    assert "送教 王老师" in phone.locator("#teaching-summary").inner_text()

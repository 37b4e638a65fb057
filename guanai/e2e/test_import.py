"""A township supervisor imports a department's roster on a phone and watches it finish."""

import re
from pathlib import Path

import pytest

from guanai.e2e.conftest import log_in
from guanai.ingest.tests.factories import xlsx_bytes

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_supervisor_imports_a_roster_and_sees_the_report(phone):
    roster = xlsx_bytes(
        [
            ["学生姓名", "出生日期", "性别", "班级"],
            ["欧阳小雨", "2016-05-01", "女", "三(1)班"],
            ["司马小川", "2015-11-20", "男", "四(2)班"],
            ["诸葛小月", "2017-02-14", "女", "二(1)班"],
        ]
    )
    log_in(phone, "supervisor")
    phone.click("button.nav-toggle")  # the menu folds away on a phone
    phone.click("nav.mainnav a:has-text('导入')")
    phone.wait_for_url("**/import/")
    phone.set_input_files(
        "#id_file", files=[{"name": "学校名册.xlsx", "mimeType": XLSX, "buffer": roster}]
    )
    phone.select_option("#id_source", "education")
    village = phone.locator("#id_village option:not([value=''])").first.get_attribute("value")
    phone.select_option("#id_village", village)
    phone.click("button:has-text('上传并导入')")
    phone.wait_for_url(re.compile(r"/import/jobs/\d+/$"))
    status = phone.locator("#import-status [data-status]")
    # The worker beside the server runs the job; the page polls until it is done.
    phone.wait_for_selector("#import-status [data-status=done]", timeout=60000)
    assert status.inner_text() == "已完成"
    body = phone.locator("#import-status").inner_text()
    assert "行数" in body and "3" in body
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.click("nav.tabs a:has-text('导入记录')")
    assert "学校名册.xlsx" in phone.locator("main").inner_text()


def test_a_supervisor_imports_the_township_ledger_as_villages_keep_it(phone, demo_server):
    """The demo's 民政 ledger: a sheet per village under a title, a two-row header, guardian cells
    merged over siblings, numbered empty lines, 合计 and signatures; no default village needed."""
    rosters = Path(demo_server["env"]["GUANAI_VAR_DIR"]) / "demo-rosters"
    ledger = next(rosters.glob("民政_留守儿童台账_*.xlsx"))
    log_in(phone, "supervisor")
    phone.goto("/import/")
    phone.set_input_files("#id_file", str(ledger))
    phone.select_option("#id_source", "civil")
    phone.click("button:has-text('上传并导入')")
    phone.wait_for_url(re.compile(r"/import/jobs/\d+/$"))
    phone.wait_for_selector("#import-status [data-status=done]", timeout=90000)
    body = phone.locator("#import-status").inner_text()
    assert "跳过的空行、合计、签名行" in body and "新建档案\n0" in body
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

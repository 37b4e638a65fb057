"""On a phone: a village director reports a case from the child's file, the township
supervisor grades it red, nobody verifies within 24 hours, and the lapse reaches the
supervisor's inbox (and, past the escalation time, the county)."""

import subprocess
import sys
from datetime import timedelta

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

RECEIVED_AT = """
from guanai.protection.models import ProtectionCase
print(ProtectionCase.objects.get(number="{number}").received_at.isoformat())
"""


def _guanai(demo_server, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "guanai", *args],
        env=demo_server["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]  # shell prints its imports first


def test_a_report_graded_red_lapses_and_escalates(phone, browser, demo_server):
    from datetime import datetime

    log_in(phone, "director")
    phone.goto("/children/")
    phone.locator("main table a[href^='/children/']").first.click()
    phone.click("#protection a:has-text('报告保护个案')")
    phone.select_option("#id_kind", "neglect")
    phone.fill("#id_description", "孩子独自在家三天,家中无食物")
    phone.select_option("#id_source", "visit")
    phone.click("button:has-text('提交报告')")
    phone.wait_for_url("**/protection/cases/*/")
    assert "已受理,编号" in phone.locator("main").inner_text()
    number = phone.locator("h1").inner_text().split()[-1]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    log_in(phone, "supervisor")
    phone.goto("/protection/")
    phone.click(f"a:has-text('{number}')")
    phone.select_option("#id_grade", "red")
    phone.fill("#id_reason", "孩子年幼,无人照看,有安全危险")
    phone.click("button:has-text('保存等级')")
    assert "已调整等级" in phone.locator("main").inner_text()
    assert "红色" in phone.locator("main").inner_text()

    received = datetime.fromisoformat(
        _guanai(demo_server, "shell", "-c", RECEIVED_AT.format(number=number))
    )
    out = _guanai(demo_server, "protection", "sweep", "--at", str(received + timedelta(hours=25)))
    assert "超时" in out
    phone.goto("/notices/")
    assert f"个案 {number} 超过响应时限" in phone.locator("main").inner_text()
    phone.goto("/protection/?lapsed=1&status=all")
    assert number in phone.locator("main").inner_text()
    _guanai(demo_server, "protection", "sweep", "--at", str(received + timedelta(hours=37)))
    log_in(phone, "county")
    phone.goto("/notices/")
    assert f"个案 {number} 超时未响应,上报县级" in phone.locator("main").inner_text()

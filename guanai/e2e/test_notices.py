"""A village director on a phone finds a new notice behind the folded menu and follows it."""

import subprocess
import sys

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

SEND = """
from guanai.accounts.models import User
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
director = User.objects.get(username="director")
notices_send([Notice(user=director, kind=NoticeKind.FLAG, key="e2e:flag", title="关爱记录发现严重问题",
                     body="孩子独自在家", url="/care/flags/")])
"""


def test_a_director_reads_a_notice_from_the_phone_menu(phone, demo_server):
    subprocess.run(
        [sys.executable, "-m", "guanai", "shell", "-c", SEND],
        env=demo_server["env"],
        check=True,
        capture_output=True,
    )
    log_in(phone, "director")
    menu_item = phone.locator("nav.mainnav a[href='/notices/']")
    assert not menu_item.is_visible()  # folded away on a phone
    phone.click("button.nav-toggle")
    assert menu_item.is_visible()
    assert "通知 (1)" in menu_item.inner_text()
    menu_item.click()
    phone.wait_for_url("**/notices/")
    assert "孩子独自在家" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.click("main button:has-text('查看')")
    phone.wait_for_url("**/care/flags/")
    assert phone.locator("nav.mainnav a[href='/notices/']").inner_text().strip() == "通知"

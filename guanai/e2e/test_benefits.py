"""On a desktop: the township proposes a benefit from the gap list, the county approves it, the
child leaves the gap list and is on the month's frozen payment list."""

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def desktop(browser, demo_server):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=demo_server["base"])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_from_the_gap_list_to_the_payment_list(desktop):
    log_in(desktop, "supervisor")
    desktop.goto("/rules/gaps/")
    first = desktop.locator("main table tbody tr").filter(has=desktop.locator("a:has-text('申报')"))
    row = first.first
    name = row.locator("td").nth(0).inner_text().strip()
    benefit = row.locator("td").nth(2).inner_text().strip()
    file_link = row.locator("td a").first.get_attribute("href")
    code = row.locator("a:has-text('申报')").get_attribute("href").split("benefit=")[1]
    row.locator("a:has-text('申报')").click()
    desktop.click("button:has-text('提交县级审批')")
    desktop.wait_for_url("**/benefits/")
    assert name in desktop.locator("main").inner_text()

    log_in(desktop, "county")
    desktop.goto("/benefits/")
    desktop.locator("main tr", has_text=name).locator("a:has-text('审批')").click()
    desktop.check("input[name=decision][value=approve]")
    desktop.click("button:has-text('提交审批')")
    desktop.wait_for_url("**/benefits/")
    assert "已审批" in desktop.locator("main").inner_text()
    desktop.goto(f"/rules/gaps/?benefit={code}")
    assert desktop.locator(f"main table a[href='{file_link}']").count() == 0

    desktop.goto("/benefits/payments/")
    desktop.select_option("#id_benefit", label=benefit)
    desktop.click("button:has-text('冻结名册')")
    desktop.wait_for_url("**/benefits/payments/*/")
    assert name in desktop.locator("main table").inner_text()

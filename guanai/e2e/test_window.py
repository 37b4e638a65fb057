"""On a desktop: the township window registers an application with its documents, prints the
receipt and routes it to education; the education user accepts and completes it; the
township sees it done within the limit."""

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def desktop(browser, demo_server):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=demo_server["base"])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_an_application_is_routed_to_education_and_completed(desktop, tmp_path):
    page = desktop
    document = tmp_path / "doc.pdf"
    document.write_bytes(b"%PDF-1.4 e2e")
    log_in(page, "supervisor")
    page.goto("/children/")
    page.locator("main table a[href^='/children/']").first.click()
    page.click("#window a:has-text('受理申请')")
    page.select_option("#kind", label="教育资助(15 个工作日)")
    page.wait_for_selector("#applicant_name")
    page.fill("#applicant_name", "张父")
    page.fill("#note", "学费困难")
    for field in page.locator("input[type=file]").all():
        field.set_input_files(str(document))
    page.click("button:has-text('受理并打印回执')")
    page.wait_for_url("**/receipt/")
    receipt = page.locator("main").inner_text()
    assert "受理回执" in receipt and "承诺办结时限" in receipt
    page.click("a:has-text('转办')")
    page.select_option("#department", "education")
    page.fill("#limit_days", "10")
    page.click("button:has-text('转办')")
    assert "已转办 教育" in page.locator("main").inner_text()
    number = page.locator("main table a[href*='/window/referrals/']").first.inner_text()

    log_in(page, "education")
    page.goto("/window/desk/")
    page.click(f"a:has-text('{number}')")
    page.click("button:has-text('接收')")
    assert "已接收" in page.locator("main").inner_text()
    page.fill("#outcome", "已发放教育资助")
    page.click("button:has-text('办结')")
    assert "已办结" in page.locator("main").inner_text()

    log_in(page, "supervisor")
    page.goto("/window/referrals/")
    row = page.locator(f"tr:has-text('{number}')").inner_text()
    assert "已办结" in row
    page.click(f"a:has-text('{number}')")
    assert "按时" in page.locator("main").inner_text()

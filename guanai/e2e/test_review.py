"""On phones: the village enters a deciding fact, the township returns it with a comment, the
village corrects it, the township accepts it in batch, and the file is no longer 待审核."""

import re

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _edit_illness(phone, file_url: str, illness: str) -> None:
    phone.goto(file_url + "edit/")
    phone.fill("#id_serious_illness", illness)
    phone.click("button:has-text('保存')")
    phone.wait_for_url(re.compile(r"/children/\d+/$"))


def test_the_village_enters_the_township_returns_then_accepts(phone):
    log_in(phone, "director")
    phone.goto("/children/")
    first = phone.locator("main table tbody tr a[href^='/children/']").first
    name = first.inner_text().strip()
    file_url = first.get_attribute("href")
    _edit_illness(phone, file_url, "先天性心脏病")
    panel = phone.locator("#fact-review")
    assert "待审核" in panel.inner_text() and "重大疾病" in panel.inner_text()

    log_in(phone, "supervisor")
    phone.goto("/children/review/")
    # Health is masked until the reviewer reveals it (on record).
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("button:has-text('显示完整内容')")
    card = phone.locator(".review-card", has_text=name).filter(has_text="先天性心脏病").first
    card.locator("summary:has-text('退回')").click()
    card.locator("textarea[name=comment]").fill("请附医院诊断证明后再报")
    card.locator("button:has-text('退回村(居)')").click()
    phone.wait_for_selector(f"text=已退回 {name}")

    log_in(phone, "director")
    phone.goto("/")
    assert f"审核退回:{name}" in phone.locator("main").inner_text()
    phone.goto(file_url)
    assert "请附医院诊断证明后再报" in phone.locator("#fact-review").inner_text()
    _edit_illness(phone, file_url, "先天性心脏病(已附诊断证明)")

    log_in(phone, "supervisor")
    phone.goto("/children/review/")
    assert phone.locator(".review-card", has_text=name).filter(has_text="重大疾病").count() == 1
    phone.click("button:has-text('通过所选')")
    phone.wait_for_selector("text=已审核通过")
    phone.goto(file_url)
    assert phone.locator("#fact-review").count() == 0

"""On a 390 px phone in English the header's buttons stay on one line."""

import pytest

from guanai.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# How many lines the text of an element takes: distinct tops of its text's line boxes.
LINES = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
}"""


@pytest.mark.parametrize("username", ["director", "supervisor"])
def test_the_english_header_fits_a_phone(phone, username):
    log_in(phone, username)
    phone.click("header .lang-switch button")  # English
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    chinese = phone.locator("header .lang-switch button")
    log_out = phone.locator("header button:has-text('Log out')")
    assert chinese.inner_text() == "中文"
    for button in (chinese, log_out, phone.locator("header .nav-toggle")):
        assert button.evaluate(LINES) == 1, button
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The buttons sit side by side on the bar, not stacked.
    assert abs(chinese.bounding_box()["y"] - log_out.bounding_box()["y"]) < 2
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "Log out" in phone.locator("header").inner_text()
    assert "退出" not in phone.locator("header").inner_text()

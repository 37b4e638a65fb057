"""axe-core (vendored, pinned: guanai/e2e/vendor/axe.min.js 4.10.2, MPL-2.0) over the main pages
of each role on a phone-sized screen: no serious or critical violation."""

from pathlib import Path

import pytest

from guanai.e2e.conftest import PHONE, log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def phone_axe(browser, demo_server):
    # The pages forbid inline scripts (CSP); the checker is injected by the test only.
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=demo_server["base"],
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{url}: {v['id']} ({v['impact']}) {v['help']} — {v['nodes']}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def first_file(page) -> str:
    page.goto("/children/")
    return page.locator("main table tbody tr a[href^='/children/']").first.get_attribute("href")


def test_the_checker_finds_what_it_should(phone_axe):
    page = phone_axe
    page.goto("/accounts/login/")
    page.set_content("<html lang='zh'><body><main><button></button></main></body></html>")
    page.add_script_tag(path=str(AXE))
    ids = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
    assert "button-name" in ids


def test_the_main_pages_have_no_serious_accessibility_violations(phone_axe):
    page = phone_axe
    found = violations(page, "/accounts/login/")
    log_in(page, "director")
    file_url = first_file(page)
    for url in ("/", "/children/", file_url, "/children/new/", "/notices/"):
        found += violations(page, url)
    log_in(page, "carer")
    found += violations(page, "/")
    log_in(page, "supervisor")
    for url in ("/", "/children/review/", "/stats/", "/protection/", "/window/", "/rules/gaps/"):
        found += violations(page, url)
    log_in(page, "county")
    for url in ("/benefits/", "/disability/"):
        found += violations(page, url)
    assert found == []

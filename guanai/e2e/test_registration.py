"""A village director registers a left-behind child on a 390 px phone (issue 18.1): the ID number
fills the birth date and sex as it is typed, a first save with mistakes lists every one of them
at the top with links to the fields, the page keeps what was typed, and the corrected save opens
the file with its summary card. Prints the fields touched and the page loads it took."""

import time
from datetime import date

import pytest

from guanai.e2e.conftest import log_in
from guanai.registry import idnumber
from guanai.registry.presenters import age_on

pytestmark = pytest.mark.e2e

NUMBER = idnumber.make(region_code="360426", birth_date=date(2016, 5, 4), sequence=457, sex="F")


class Journey:
    """Counts what the director does: fields filled or chosen, and pages loaded."""

    def __init__(self, page):
        self.page = page
        self.fields: set[str] = set()
        self.loads = 0
        page.on("load", lambda _: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def fill(self, name: str, value: str) -> None:
        self.fields.add(name)
        self.page.fill(f"[name={name}]", value)
        self.page.dispatch_event(f"[name={name}]", "change")

    def choose(self, name: str, value: str) -> None:
        self.fields.add(name)
        self.page.select_option(f"[name={name}]", value)


def test_a_director_registers_a_left_behind_child_on_a_phone(phone, demo_server):
    log_in(phone, "director")
    journey = Journey(phone)
    started = time.monotonic()
    phone.goto("/children/new/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The essentials are open, the rest folded; the name is marked required before saving.
    marker = "getComputedStyle(document.querySelector('#field-name > label'), '::after').content"
    assert "*" in phone.evaluate(marker)
    assert not phone.locator("[name=hobbies]").is_visible()
    assert not phone.locator("#field-father_away_destination").is_visible()

    journey.fill("name", "陈小雨")
    journey.fill("id_number", NUMBER)
    phone.locator("#check-id_number .check-ok").wait_for()
    assert phone.input_value("[name=birth_date]") == "2016-05-04"
    assert phone.input_value("[name=sex]") == "F"

    journey.choose("father_status", "working_away")
    # Choosing 外出务工 brings up 务工地, marked as needed.
    assert phone.locator("#field-father_away_destination.needed").is_visible()
    journey.choose("mother_status", "working_away")
    journey.fill("mother_away_destination", "浙江省宁波市")
    journey.fill("guardian_name", "陈奶奶")
    journey.choose("guardian_relation", "grandparent_paternal")
    journey.fill("guardian_phone", "1380000123")  # a digit short
    phone.locator("#check-guardian_phone .errorlist").wait_for()
    phone.click("details.file-section summary:has-text('就学')")
    journey.choose("school_stage", "primary")

    with phone.expect_navigation():
        phone.click("button[type=submit]:has-text('保存')")
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    links = summary.locator("a")
    assert links.count() == 2  # both mistakes at once
    assert "务工地" in summary.inner_text() and "监护人电话" in summary.inner_text()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    # Everything typed is still there.
    assert phone.input_value("[name=name]") == "陈小雨"
    assert phone.input_value("[name=mother_away_destination]") == "浙江省宁波市"
    assert phone.input_value("[name=school_stage]") == "primary"

    summary.locator("a:has-text('务工地')").click()
    assert phone.evaluate("document.activeElement.name") == "father_away_destination"
    journey.fill("father_away_destination", "广东省东莞市")
    journey.fill("guardian_phone", "13800001234")
    with phone.expect_navigation():
        phone.click("button[type=submit]:has-text('保存')")
    seconds = time.monotonic() - started

    assert "/children/new/" not in phone.url
    card = phone.locator("#summary")
    assert card.locator(".badge:has-text('留守儿童')").is_visible()
    assert f"{age_on(date(2016, 5, 4), date.today())} 岁 · 女" in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The card is the first thing on the file: within the first phone screen.
    assert card.bounding_box()["y"] < 844
    print(
        f"\nregistration on a phone: {len(journey.fields)} fields touched, "
        f"{journey.loads} page loads (form, refused save, file), {seconds:.1f} s of script"
    )
    assert len(journey.fields) <= 12
    assert journey.loads == 3

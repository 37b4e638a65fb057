"""Protection's figures on the dashboards, its list filter, the response-time table and the
home page's 我的待办."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from guanai.accounts.scoping import area_for
from guanai.protection import services
from guanai.protection.selectors import cases_per_worker, response_times
from guanai.protection.testing import case_build
from guanai.stats.figures import figures_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(users, children):
    cache.clear()
    now = timezone.now()
    red = case_build(
        children["a"], users["director_a"], grade="red", received_at=now - timedelta(hours=30)
    )
    answered = case_build(children["b"], users["director_b"], grade="orange")
    services.step_record(
        actor=users["supervisor_1"], case=answered, kind="verify", done_at=now, text="到场"
    )
    other = case_build(
        children["c"], users["director_c"], grade="blue", assignee=users["director_c"]
    )
    return {"red": red, "answered": answered, "other": other}


def test_the_township_dashboard_counts_its_cases(users, place, cases):
    today = timezone.localdate()
    figures = figures_for(users["supervisor_1"], place.township_1, today)
    assert figures.figure("cases_open").value == 2
    assert figures.figure("grade_red").value == 1 and figures.figure("grade_blue").value == 0
    late = figures.figure("cases_late")
    assert (late.value, late.total) == (1, 2)  # the red case, unanswered past 24 hours
    county = figures_for(users["county"], place.county, today)
    assert county.figure("cases_open").value == 3
    assert county.figure("cases_open").link["case"] == "open"


def test_the_figure_opens_the_list_of_children_with_an_open_case(login, users, cases):
    page = login(users["supervisor_1"]).get("/children/?case=open").content.decode()
    assert "张小明" in page and "李小红" in page and "王小刚" not in page


def test_response_times_per_township_and_cases_per_worker(users, place, cases):
    area = area_for(users["county"], place.county)
    now = timezone.now()
    rows = {r.division_code: r for r in response_times(area, now - timedelta(days=30), now)}
    first = rows[place.township_1.code]
    assert (first.cases, first.answered, first.breaches) == (2, 1, 1)
    assert first.median_hours is not None and first.median_hours < 1
    busiest = cases_per_worker(area)
    assert {"assignee__username": "director_c", "open_cases": 1}.items() <= next(
        w for w in busiest if w["assignee_id"] == users["director_c"].pk
    ).items()


def test_the_home_page_lists_my_case_tasks(login, users, cases):
    cases["other"].tasks.create(
        title="联系学校心理老师",
        owner=users["director_c"],
        due_on=timezone.localdate() - timedelta(days=1),
        created_by=users["supervisor_2"],
    )
    page = login(users["director_c"]).get(reverse("home")).content.decode()
    assert "我的待办" in page and "联系学校心理老师" in page and "已逾期" in page
    assert (
        "联系学校心理老师" not in login(users["director_a"]).get(reverse("home")).content.decode()
    )
